import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';

/**
 * Applies the SQL migrations under prisma/migrations the way `prisma migrate deploy` would,
 * without Prisma's schema engine (which cannot be downloaded here). The bookkeeping is Prisma's
 * own, so `prisma migrate deploy` and `prisma migrate status` agree wherever the engine exists:
 *
 * - the `_prisma_migrations` table has Prisma's exact DDL;
 * - a row per migration: a random UUID, the SHA-256 hex of migration.sql, started_at,
 *   finished_at, applied_steps_count = 1 (the whole script is one step), logs NULL;
 * - the same session advisory lock key as Prisma (72707369), so two starting processes (or this
 *   and a real `prisma migrate deploy`) never apply migrations at the same time.
 *
 * Unlike Prisma, each migration runs in one transaction together with its row, so a failed
 * migration leaves nothing behind and can simply be fixed and re-run. Migrations must therefore
 * be transaction-safe (no CREATE INDEX CONCURRENTLY).
 */

export interface ApplyMigrationsOptions {
  /** Folder with `<timestamp>_<name>/migration.sql` folders. Defaults to prisma/migrations. */
  migrationsDir?: string;
  log?: (message: string) => void;
}

export interface LocalMigration {
  name: string;
  script: string;
  checksum: string;
}

/** Prisma's advisory lock key for Migrate ("should not be used by any other tool" — except a stand-in). */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

/** Verbatim from Prisma's PostgreSQL connector (`create_migrations_table`). */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migrationName: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** SHA-256 hex of the script, as Prisma records it. */
export function migrationChecksum(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

/**
 * Prisma accepts a checksum computed with either line-ending convention, because git may
 * rewrite line endings on checkout (schema-connector checksum.rs `script_matches_checksum`).
 */
function checksumMatches(script: string, checksum: string): boolean {
  const variants = [script, script.replace(/\r\n/g, '\n'), script.replace(/\n/g, '\r\n')];
  return variants.some((variant) => migrationChecksum(variant) === checksum);
}

/**
 * The source tree keeps migrations in prisma/migrations; the compiled build (dist/src/db) sits
 * one level deeper, so look upwards for the first folder that exists.
 */
export function defaultMigrationsDir(): string {
  const candidates = [
    path.resolve(__dirname, '..', '..', 'prisma', 'migrations'),
    path.resolve(__dirname, '..', '..', '..', 'prisma', 'migrations'),
  ];
  return candidates.find((candidate) => fs.existsSync(candidate)) ?? candidates[0];
}

/** Migration folders in name order (the timestamp prefix makes that chronological). */
export function readMigrations(migrationsDir: string): LocalMigration[] {
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(migrationsDir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const script = fs.readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, script, checksum: migrationChecksum(script) };
    });
}

export async function applyMigrations(
  databaseUrl: string,
  options: ApplyMigrationsOptions = {},
): Promise<{ applied: string[] }> {
  const log = options.log ?? (() => undefined);
  const migrations = readMigrations(options.migrationsDir ?? defaultMigrationsDir());

  const client = new Client({ connectionString: databaseUrl });
  // An idle client that loses its connection emits 'error'; unhandled, that would kill the process.
  client.on('error', (error) => log(`migration connection error: ${error.message}`));
  await client.connect();
  try {
    await acquireLock(client, log);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const pending = pendingMigrations(migrations, await readHistory(client), log);
      const applied: string[] = [];
      for (const migration of pending) {
        await applyOne(client, migration, log);
        applied.push(migration.name);
      }
      log(applied.length === 0 ? 'Database schema is up to date.' : `Applied ${applied.length} migration(s).`);
      return { applied };
    } finally {
      // Closing the session releases the lock anyway; do not let a failed unlock hide the real error.
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

async function acquireLock(client: Client, log: (message: string) => void): Promise<void> {
  const attempt = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
    PRISMA_MIGRATE_LOCK_KEY,
  ]);
  if (attempt.rows[0].locked) return;
  log('Another process is applying migrations; waiting for it to finish.');
  await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
}

async function readHistory(client: Client): Promise<MigrationRow[]> {
  const result = await client.query<MigrationRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at',
  );
  return result.rows;
}

/**
 * Decides what to apply, refusing the cases where `prisma migrate` would refuse too: a failed
 * migration not marked rolled back (P3009), or an applied migration whose file has changed.
 */
function pendingMigrations(
  migrations: LocalMigration[],
  history: MigrationRow[],
  log: (message: string) => void,
): LocalMigration[] {
  const failed = history.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) {
    throw new MigrationError(
      `Migration "${failed.migration_name}" failed earlier and is not marked as rolled back. ` +
        'Repair the database, then record the outcome with `prisma migrate resolve` ' +
        '(or set rolled_back_at on its _prisma_migrations row) before applying migrations again.',
      failed.migration_name,
    );
  }

  // Rows marked rolled back do not count: Prisma applies such a migration again.
  const applied = history.filter((row) => row.finished_at !== null && row.rolled_back_at === null);
  const localNames = new Set(migrations.map((migration) => migration.name));
  for (const row of applied) {
    if (!localNames.has(row.migration_name)) {
      log(`Migration "${row.migration_name}" is recorded in the database but missing from the migrations folder.`);
    }
  }

  const pending: LocalMigration[] = [];
  for (const migration of migrations) {
    const rows = applied.filter((row) => row.migration_name === migration.name);
    if (rows.length === 0) {
      pending.push(migration);
    } else if (!rows.some((row) => checksumMatches(migration.script, row.checksum))) {
      throw new MigrationError(
        `Migration "${migration.name}" was modified after it was applied: the checksum of its ` +
          'migration.sql no longer matches _prisma_migrations. Restore the original file and put ' +
          'the change in a new migration.',
        migration.name,
      );
    }
  }
  return pending;
}

async function applyOne(client: Client, migration: LocalMigration, log: (message: string) => void): Promise<void> {
  log(`Applying migration ${migration.name}`);
  await client.query('BEGIN');
  try {
    const id = randomUUID();
    await client.query(
      'INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, clock_timestamp())',
      [id, migration.checksum, migration.name],
    );
    // Without parameters, pg uses the simple query protocol, which runs a multi-statement script.
    await client.query(migration.script);
    await client.query(
      'UPDATE _prisma_migrations SET applied_steps_count = 1, finished_at = clock_timestamp() WHERE id = $1',
      [id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Migration "${migration.name}" failed and was rolled back: ${reason}`, migration.name, {
      cause: error,
    });
  }
}
