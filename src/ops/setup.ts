import { msToTs } from '@temporalio/common/lib/time';
import { seedDatabase, staffSeedOptions } from '../catalog/seed';
import { loadConfig } from '../config';
import { createPrismaClient } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { pollUntil } from '../infra/poll';
import { ensureSearchAttributes } from '../infra/search-attributes';
import { connectTemporal } from '../infra/temporal-connection';

/**
 * The one-shot set-up of a deployment (the `setup` service of docker-compose.yml, or a
 * release step): applies the SQL migrations and loads the catalog (idempotent), then waits for
 * Temporal, registers the namespace when it is missing (a self-hosted cluster; on Temporal Cloud
 * it must exist already) and the booking search attributes. Exits 0 when everything is ready.
 *
 *   npm run setup   (node --import tsx src/ops/setup.ts in the image)
 */

const NAMESPACE_RETENTION_DAYS = 30;
const say = (message: string) => console.log(`[setup] ${message}`);

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.database.url) throw new Error('DATABASE_URL must be set');
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS must be set');

  await applyMigrations(config.database.url, { log: say });
  const prisma = createPrismaClient(config.database.url);
  try {
    const seeded = await seedDatabase(prisma, { log: say, ...staffSeedOptions(config.staff) });
    say(`catalog: ${seeded.venues} venues, ${seeded.rooms} rooms, ${seeded.districts} districts`);
  } finally {
    await prisma.$disconnect();
  }

  const { namespace } = config.temporal;
  const connection = await pollUntil(() => connectTemporal(config.temporal), {
    timeoutMs: 180_000,
    intervalMs: 2_000,
    description: `Temporal at ${config.temporal.address}`,
  });
  try {
    const exists = await connection.workflowService.describeNamespace({ namespace }).then(
      () => true,
      (error: { code?: number }) => {
        if (error.code === 5) return false; // NOT_FOUND
        throw error;
      },
    );
    if (!exists) {
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${NAMESPACE_RETENTION_DAYS} days`) });
      say(`namespace ${namespace} registered (retention ${NAMESPACE_RETENTION_DAYS} days)`);
    }
    // A new namespace takes a moment to reach every service: retry until it is known everywhere.
    const added = await pollUntil(() => ensureSearchAttributes(connection, namespace), {
      timeoutMs: 60_000,
      intervalMs: 1_000,
      description: `the search attributes of namespace ${namespace}`,
    });
    say(added.length > 0 ? `search attributes registered: ${added.join(', ')}` : 'search attributes present');
  } finally {
    await connection.close();
  }
  say('ready');
}

main().catch((error: unknown) => {
  console.error(`[setup] failed: ${(error as Error).message}`);
  process.exit(1);
});
