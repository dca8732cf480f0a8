import path from 'node:path';
import { defineConfig } from 'prisma/config';

/**
 * Prisma 7 CLI configuration. `prisma generate` needs no database, so the URL is read from the
 * environment only when present (`env()` from 'prisma/config' throws when a variable is unset,
 * which would break an offline `npm install`). Migrations are hand-written SQL applied by
 * src/db/migrate.ts; the path is given so `prisma migrate deploy` agrees where the engine exists.
 */
export default defineConfig({
  schema: path.join(__dirname, 'prisma', 'schema.prisma'),
  migrations: {
    path: path.join(__dirname, 'prisma', 'migrations'),
    seed: 'tsx prisma/seed.ts',
  },
  datasource: process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : undefined,
});
