import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import { seedDatabase } from '../../src/catalog/seed';
import { createPrismaClient } from '../../src/db/client';
import { dropDatabase, ensureDatabase } from '../../src/db/create-database';
import { applyMigrations } from '../../src/db/migrate';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres';
import { findFreePort } from '../../src/infra/process-tools';
import { resolveTemporalCli } from '../../src/infra/temporal-cli';
import { startTemporalDevServer } from '../../src/infra/temporal-dev-server';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const say = (message: string) => console.log(`[bench] ${message}`);

export interface BenchInfra {
  databaseUrl: string;
  temporalAddress: string;
  temporalCli: string;
  stop(): Promise<void>;
}

/**
 * One embedded PostgreSQL (its own data dir under .data/bench, a free port) with a fresh,
 * migrated and seeded database, and one in-memory Temporal dev server on free ports: the same
 * parts `npm start` runs, private to the benchmark.
 */
export async function startBenchInfra(): Promise<BenchInfra> {
  const dataDir = path.join(PROJECT_ROOT, '.data', 'bench');
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch((error) => say(`stop failed: ${(error as Error).message}`));
  };
  try {
    const postgres = await startEmbeddedPostgres({ dataDir, port: await findFreePort(), database: 'postgres', log: say });
    stops.push(() => postgres.stop());
    await tunePostgres(postgres.adminUrl);
    await dropDatabase(postgres.adminUrl, 'opendk_bench');
    const databaseUrl = await ensureDatabase(postgres.adminUrl, 'opendk_bench');
    await applyMigrations(databaseUrl, { log: () => undefined });
    const prisma = createPrismaClient(databaseUrl);
    try {
      const seeded = await seedDatabase(prisma);
      say(`catalog: ${seeded.venues} venues, ${seeded.rooms} rooms`);
    } finally {
      await prisma.$disconnect();
    }

    const temporalCli = await resolveTemporalCli({ configuredPath: process.env.TEMPORAL_CLI, projectRoot: PROJECT_ROOT, log: say });
    const temporalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-bench-temporal-'));
    const temporal = await startTemporalDevServer({ cliPath: temporalCli, dataDir: temporalDir, port: await findFreePort(), uiPort: await findFreePort(), persistent: false, log: say });
    stops.push(async () => {
      await temporal.stop();
      fs.rmSync(temporalDir, { recursive: true, force: true });
    });
    return { databaseUrl, temporalAddress: temporal.address, temporalCli, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Enough connections for every pool of every process the benchmark runs at once. */
async function tunePostgres(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ max_connections: string }>('SHOW max_connections');
    say(`PostgreSQL max_connections = ${rows[0].max_connections}`);
  } finally {
    await client.end();
  }
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  loadAverage: number[];
  node: string;
  postgres: string;
  temporal: string;
  os: string;
}

export async function describeMachine(databaseUrl: string, temporalCli: string): Promise<MachineInfo> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  let postgres: string;
  try {
    postgres = (await client.query<{ version: string }>('SELECT version()')).rows[0].version;
  } finally {
    await client.end();
  }
  let temporal = 'unknown';
  try {
    temporal = execFileSync(temporalCli, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // reported as unknown
  }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
    node: process.version,
    postgres,
    temporal,
    os: `${os.type()} ${os.release()}`,
  };
}
