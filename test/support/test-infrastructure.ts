import fs from 'node:fs';
import { dropDatabase } from '../../src/db/create-database';
import type { TemporalDevServer } from '../../src/infra/temporal-dev-server';
import type { TestPostgresServer } from './test-postgres';

/** What test/global-setup.ts started, handed to test/global-teardown.ts through globalThis. */
export interface TestInfrastructure {
  temporal?: TemporalDevServer;
  temporalDir?: string;
  postgres?: TestPostgresServer;
  runDatabase?: string;
}

declare global {
  // eslint-disable-next-line no-var
  var __openDkTestInfrastructure: TestInfrastructure | undefined;
}

export const log = (message: string) => void process.stderr.write(`[test infra] ${message}\n`);

/** Stops whatever the setup started; each part is attempted even if another fails. */
export async function stopTestInfrastructure(infra: TestInfrastructure): Promise<void> {
  const failures: unknown[] = [];
  const attempt = async (what: string, action: () => Promise<void>) => {
    try {
      await action();
    } catch (error) {
      failures.push(error);
      log(`failed to ${what}: ${(error as Error).message}`);
    }
  };
  if (infra.runDatabase && infra.postgres) await attempt('drop the run database', () => dropDatabase(infra.postgres!.adminUrl, infra.runDatabase!));
  if (infra.temporal) await attempt('stop the Temporal dev server', () => infra.temporal!.stop());
  if (infra.temporalDir) fs.rmSync(infra.temporalDir, { recursive: true, force: true });
  if (infra.postgres) await attempt('stop PostgreSQL', () => infra.postgres!.stop());
  if (failures.length > 0) throw failures[0];
}
