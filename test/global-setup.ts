import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedDatabase } from '../src/catalog/seed';
import { loadConfig, type Config } from '../src/config';
import { createPrismaClient } from '../src/db/client';
import { ensureDatabase } from '../src/db/create-database';
import { applyMigrations } from '../src/db/migrate';
import { resolveTemporalCli } from '../src/infra/temporal-cli';
import { sweepStaleTestDatabases, testDatabaseName } from './support/db';
import { startDevServerOnFreePorts } from './support/dev-server';
import { startTestPostgres } from './support/test-postgres';
import { log, stopTestInfrastructure, type TestInfrastructure } from './support/test-infrastructure';

/**
 * Starts what every test shares, once per Jest run: a Temporal dev server (in memory, free
 * ports) and PostgreSQL (DATABASE_URL's server, else an embedded one) with a fresh database,
 * migrated and seeded. Tests find them through OPENDK_TEST_* variables; test/global-teardown.ts
 * stops them, using the state left on globalThis (both run in Jest's main process).
 */

const STALE_DATABASE_AGE_MS = 24 * 60 * 60_000;

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const infra: TestInfrastructure = {};
  globalThis.__openDkTestInfrastructure = infra;
  log('starting the Temporal dev server and PostgreSQL…');
  try {
    const [temporal, postgres] = await Promise.allSettled([startTemporal(config, infra), startPostgres(config, infra)]);
    for (const result of [temporal, postgres]) if (result.status === 'rejected') throw result.reason;
    process.env.OPENDK_TEST_TEMPORAL_ADDRESS = infra.temporal!.address;
    process.env.OPENDK_TEST_ADMIN_URL = infra.postgres!.adminUrl;
    process.env.OPENDK_TEST_DATABASE_URL = await prepareRunDatabase(infra);
  } catch (error) {
    // Jest skips global teardown when setup fails: release what did start.
    await stopTestInfrastructure(infra);
    throw error;
  }
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function startTemporal(config: Config, infra: TestInfrastructure): Promise<void> {
  const cliPath = await resolveTemporalCli({ configuredPath: config.temporal.cliPath, projectRoot: config.projectRoot, log });
  infra.temporalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-test-temporal-'));
  infra.temporal = await startDevServerOnFreePorts({ cliPath, dataDir: infra.temporalDir, persistent: false, log });
}

async function startPostgres(config: Config, infra: TestInfrastructure): Promise<void> {
  infra.postgres = await startTestPostgres({ projectRoot: config.projectRoot, databaseUrl: config.database.url, log });
  log(`PostgreSQL: ${infra.postgres.description}`);
}

async function prepareRunDatabase(infra: TestInfrastructure): Promise<string> {
  const adminUrl = infra.postgres!.adminUrl;
  const swept = await sweepStaleTestDatabases(adminUrl, STALE_DATABASE_AGE_MS);
  if (swept.length > 0) log(`dropped ${swept.length} test database(s) left by earlier runs`);
  infra.runDatabase = testDatabaseName('run');
  const url = await ensureDatabase(adminUrl, infra.runDatabase);
  const { applied } = await applyMigrations(url, { log: () => undefined });
  const prisma = createPrismaClient(url);
  try {
    await seedDatabase(prisma);
  } finally {
    await prisma.$disconnect();
  }
  log(`database ${infra.runDatabase}: ${applied.length} migration(s) applied, catalog seeded`);
  return url;
}
