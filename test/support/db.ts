import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { databaseUrl, dropDatabase, ensureDatabase } from '../../src/db/create-database';

/**
 * PostgreSQL for tests. OPENDK_TEST_DATABASE_URL is the run's database (migrated and seeded
 * by global setup, shared by all tests: use unique keys, never truncate). A test that needs
 * an empty or private database creates a throwaway one on the same server.
 */

export function testDatabaseUrl(): string {
  return requireEnv('OPENDK_TEST_DATABASE_URL');
}

/** The server's maintenance database, for creating and dropping databases. */
export function testAdminUrl(): string {
  return requireEnv('OPENDK_TEST_ADMIN_URL');
}

/** Names carry their creation time, so global setup can sweep databases left by crashed runs. */
const TEST_DATABASE_NAME = /^opendk_test_([0-9a-z]{8,9})_/;

export function testDatabaseName(label: string): string {
  // PostgreSQL truncates identifiers at 63 bytes; keep the label short and plain.
  const safeLabel = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 24);
  return `opendk_test_${Date.now().toString(36)}_${safeLabel}_${randomBytes(3).toString('hex')}`;
}

/** When a database named by testDatabaseName was created; undefined for any other name. */
export function testDatabaseCreatedAt(name: string): Date | undefined {
  const match = TEST_DATABASE_NAME.exec(name);
  return match ? new Date(Number.parseInt(match[1], 36)) : undefined;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** An empty database on the test server; drop() removes it even if connections are left open. */
export async function createThrowawayDatabase(label = 'tmp'): Promise<TestDatabase> {
  const adminUrl = testAdminUrl();
  const name = testDatabaseName(label);
  const url = await ensureDatabase(adminUrl, name);
  return { name, url, drop: () => dropDatabase(adminUrl, name) };
}

/** Drops test databases older than maxAgeMs: leftovers of runs that crashed before teardown. */
export async function sweepStaleTestDatabases(adminUrl: string, maxAgeMs: number): Promise<string[]> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  let stale: string[];
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'opendk\\_test\\_%'`);
    const cutoff = Date.now() - maxAgeMs;
    stale = rows.map((row) => row.datname).filter((name) => (testDatabaseCreatedAt(name)?.getTime() ?? Infinity) < cutoff);
  } finally {
    await client.end();
  }
  for (const name of stale) await dropDatabase(adminUrl, name);
  return stale;
}

export { databaseUrl, dropDatabase };

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests through Jest, whose global setup prepares PostgreSQL.`);
  return value;
}
