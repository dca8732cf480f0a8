import type { Connection } from '@temporalio/client';
import type { PrismaClient } from '../db/client';

export type DependencyState = 'up' | 'down';

export interface HealthReport {
  database: DependencyState;
  temporal: DependencyState;
}

export interface HealthProbe {
  check(): Promise<HealthReport>;
}

const PROBE_TIMEOUT_MS = 2_000;

/** Each dependency gets a short, bounded probe so a hung dependency cannot hang /health. */
export function createHealthProbe(prisma: PrismaClient, temporal: Connection): HealthProbe {
  return {
    async check() {
      const [database, temporalState] = await Promise.all([
        probe(() => prisma.$queryRaw`SELECT 1`),
        probe(() => temporal.healthService.check({})),
      ]);
      return { database, temporal: temporalState };
    },
  };
}

async function probe(call: () => Promise<unknown>): Promise<DependencyState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('probe timed out')), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([call(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
