import path from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgresBusyError, startEmbeddedPostgres } from '../../src/infra/embedded-postgres';
import { findFreePort } from '../../src/infra/process-tools';
import { databaseUrl } from './db';
import { startOnFreshPorts } from './fresh-ports';

/**
 * The PostgreSQL server a test run uses: the one DATABASE_URL points at, or an embedded one.
 * Embedded clusters live in slots under .data/test-postgres, initialised once and reused; a
 * run takes the first slot no other live run holds, so parallel runs in one checkout work.
 */

const EMBEDDED_SLOTS = 4;

export interface TestPostgresServer {
  /** A URL to the maintenance database, for CREATE/DROP DATABASE. */
  adminUrl: string;
  /** Where it runs, without credentials, for the log. */
  description: string;
  stop(): Promise<void>;
}

export async function startTestPostgres(options: { projectRoot: string; databaseUrl?: string; log: (m: string) => void }): Promise<TestPostgresServer> {
  if (options.databaseUrl) {
    const { host, port } = new URL(options.databaseUrl);
    return { adminUrl: await maintenanceUrl(options.databaseUrl), description: `DATABASE_URL server ${host}${port ? '' : ':5432'}`, stop: async () => undefined };
  }
  for (let slot = 0; slot < EMBEDDED_SLOTS; slot += 1) {
    const dataDir = path.join(options.projectRoot, '.data', 'test-postgres', `slot-${slot}`);
    try {
      const server = await startOnFreshPorts(
        'the embedded PostgreSQL',
        async () => startEmbeddedPostgres({ dataDir, port: await findFreePort(), database: 'postgres', log: options.log }),
        (error) => error instanceof EmbeddedPostgresBusyError,
      );
      return { adminUrl: server.adminUrl, description: `embedded PostgreSQL 127.0.0.1:${server.port} (${dataDir})`, stop: server.stop };
    } catch (error) {
      if (!(error instanceof EmbeddedPostgresBusyError)) throw error;
    }
  }
  throw new Error(`All ${EMBEDDED_SLOTS} embedded PostgreSQL slots under .data/test-postgres are held by other running test runs.`);
}

/** The server's `postgres` database, or the given one where the server has no `postgres`. */
async function maintenanceUrl(url: string): Promise<string> {
  const candidate = databaseUrl(url, 'postgres');
  const client = new Client({ connectionString: candidate });
  try {
    await client.connect();
    return candidate;
  } catch (error) {
    if ((error as { code?: string }).code === '3D000') return url; // invalid_catalog_name
    throw new Error(`Cannot connect to the PostgreSQL server of DATABASE_URL: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
