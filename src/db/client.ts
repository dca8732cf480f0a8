import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

/**
 * The one way the application builds a Prisma client. Prisma 7 has no native query engine: the
 * generated client compiles queries in WebAssembly and talks to PostgreSQL through the `pg`
 * driver adapter. No global singleton: the API, the worker and each test own their client and
 * call `$disconnect()` when done.
 *
 * Other code imports models, enums and `Prisma` from here, never from the generated folder
 * (which is git-ignored and rebuilt by `scripts/prisma-generate.js`).
 */
export function createPrismaClient(databaseUrl: string, options: DatabaseClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    // Bounded waits: with PostgreSQL down or unreachable a request fails within seconds (the API
    // answers 503) instead of waiting on the OS's TCP timeout; the pool reconnects by itself.
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
    ...(options.maxConnections ? { max: options.maxConnections } : {}),
  });
  return new PrismaClient({ adapter });
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/**
 * The services' limit for one query: far above any query of theirs (a hold waits for its room
 * at most its attempt's 10 s), so it only ends waits on a server that hangs, which would
 * otherwise hold a request, an outbox claim or a metrics scrape (and its pooled connection)
 * for as long as the hang lasts.
 */
export const SERVICE_QUERY_TIMEOUT_MS = 30_000;

export interface DatabaseClientOptions {
  /** How long to wait for a new connection (pool `connectionTimeoutMillis`); default 5 s. */
  connectTimeoutMs?: number;
  /** Client-side limit for one query (pg `query_timeout`): a hung server cannot hold a request forever. Unset: none. */
  queryTimeoutMs?: number;
  /** Pool size (pg default 10). */
  maxConnections?: number;
}

export * from '../generated/prisma/client';
