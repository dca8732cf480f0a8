/**
 * `npm run seed` (and `prisma db seed`): applies the SQL migrations, then loads the venue
 * catalog and the staff accounts into the database named by DATABASE_URL. Idempotent.
 * The staff are the deployment's (ADMIN_EMAILS; the demo accounts only where SEED_DEMO_STAFF
 * allows), as `npm run setup` (src/ops/setup.ts) seeds them, which also readies Temporal.
 * The embedded development database is started by `npm start`, not here.
 */
import { loadConfig } from '../src/config';
import { seedDatabase, staffSeedOptions } from '../src/catalog/seed';
import { createPrismaClient } from '../src/db/client';
import { applyMigrations } from '../src/db/migrate';

async function main(): Promise<void> {
  const config = loadConfig();
  const databaseUrl = config.database.url;
  if (!databaseUrl) {
    throw new Error('DATABASE_URL is not set: point it at the PostgreSQL database to seed.');
  }
  const log = (message: string) => console.log(message);
  const started = Date.now();

  await applyMigrations(databaseUrl, { log });
  const prisma = createPrismaClient(databaseUrl);
  try {
    const summary = await seedDatabase(prisma, { log, ...staffSeedOptions(config.staff) });
    console.log(
      `Seeded: ${summary.districts} districts, ${summary.venues} venues, ${summary.rooms} rooms ` +
        `in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((error: unknown) => {
  // The message only: a pg error may echo connection parameters in its details.
  console.error(`Seeding failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
