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
export function createPrismaClient(databaseUrl: string): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl });
  return new PrismaClient({ adapter });
}

export * from '../generated/prisma/client';
