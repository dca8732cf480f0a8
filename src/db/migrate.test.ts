import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { applyMigrations, defaultMigrationsDir, MigrationError, readMigrations } from './migrate';
import { createThrowawayDatabase, type TestDatabase } from '../../test/support/db';

const migrationsDir = defaultMigrationsDir();
const migrationNames = readMigrations(migrationsDir).map((migration) => migration.name);

async function query<T extends object>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A scratch copy of the migrations folder that a test may edit. */
function copyMigrations(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-migrations-'));
  fs.cpSync(migrationsDir, dir, { recursive: true });
  return dir;
}

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  logs: string | null;
  applied_steps_count: number;
}

describe('applyMigrations', () => {
  let database: TestDatabase;
  let firstRun: { applied: string[] };
  const scratchDirs: string[] = [];

  beforeAll(async () => {
    database = await createThrowawayDatabase('migrate');
    firstRun = await applyMigrations(database.url);
  });

  afterAll(async () => {
    await database?.drop();
    for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('when run on an empty database, then every migration folder is applied in name order', () => {
    expect(migrationNames.length).toBeGreaterThan(0);
    expect(firstRun.applied).toEqual(migrationNames);
  });

  test('when applied, then _prisma_migrations records each migration as Prisma does, with the SHA-256 of its file', async () => {
    const rows = await query<MigrationRow>(database.url, 'SELECT * FROM _prisma_migrations ORDER BY started_at');
    expect(rows.map((row) => row.migration_name)).toEqual(migrationNames);
    for (const row of rows) {
      const file = fs.readFileSync(path.join(migrationsDir, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  test('when applied, then the migrations table has the exact column types Prisma creates', async () => {
    const columns = await query<{ column_name: string; data_type: string; is_nullable: string; len: number | null }>(
      database.url,
      `SELECT column_name, data_type, is_nullable, character_maximum_length AS len
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', is_nullable: 'NO', len: 36 },
      { column_name: 'checksum', data_type: 'character varying', is_nullable: 'NO', len: 64 },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', is_nullable: 'YES', len: null },
      { column_name: 'migration_name', data_type: 'character varying', is_nullable: 'NO', len: 255 },
      { column_name: 'logs', data_type: 'text', is_nullable: 'YES', len: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', is_nullable: 'YES', len: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', is_nullable: 'NO', len: null },
      { column_name: 'applied_steps_count', data_type: 'integer', is_nullable: 'NO', len: null },
    ]);
  });

  test('when run a second time, then nothing is applied and the recorded migrations are left as they were', async () => {
    const recorded = () => query<MigrationRow>(database.url, 'SELECT * FROM _prisma_migrations ORDER BY migration_name');
    const before = await recorded();
    expect(before.map((row) => row.migration_name)).toEqual(migrationNames);
    const messages: string[] = [];
    await expect(applyMigrations(database.url, { log: (message) => messages.push(message) })).resolves.toEqual({ applied: [] });
    expect(await recorded()).toEqual(before);
    expect(messages).toContain('Database schema is up to date.');
  });

  test('when two processes migrate a fresh database at once, then each migration is applied exactly once', async () => {
    const fresh = await createThrowawayDatabase('migrate_concurrent');
    try {
      const messages: string[] = [];
      const results = await Promise.all([
        applyMigrations(fresh.url, { log: (message) => messages.push(message) }),
        applyMigrations(fresh.url, { log: (message) => messages.push(message) }),
      ]);
      expect(results.flatMap((result) => result.applied).sort()).toEqual(migrationNames);
      const rows = await query<{ migration_name: string }>(fresh.url, 'SELECT migration_name FROM _prisma_migrations');
      expect(rows.map((row) => row.migration_name).sort()).toEqual(migrationNames);
      expect(messages.join('\n')).not.toMatch(/postgres(ql)?:\/\//);
    } finally {
      await fresh.drop();
    }
  });

  test('when an applied migration file was changed, then applying refuses and names the migration', async () => {
    const dir = copyMigrations();
    scratchDirs.push(dir);
    const name = migrationNames[0];
    fs.appendFileSync(path.join(dir, name, 'migration.sql'), '\nSELECT 1\n');

    const attempt = applyMigrations(database.url, { migrationsDir: dir });
    await expect(attempt).rejects.toThrow(MigrationError);
    await expect(attempt).rejects.toThrow(new RegExp(`"${name}" was modified after it was applied`));
  });

  test('when only the line endings of an applied migration changed, then it still counts as applied (as in Prisma)', async () => {
    const dir = copyMigrations();
    scratchDirs.push(dir);
    const file = path.join(dir, migrationNames[0], 'migration.sql');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));

    await expect(applyMigrations(database.url, { migrationsDir: dir })).resolves.toEqual({ applied: [] });
  });

  test('when a new migration fails, then it is rolled back, not recorded, and the error names it', async () => {
    const dir = copyMigrations();
    scratchDirs.push(dir);
    const name = '29991231000000_broken';
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(
      path.join(dir, name, 'migration.sql'),
      'CREATE TABLE "half_done" ("id" INTEGER);\nALTER TABLE "no_such_table" ADD COLUMN "x" INTEGER;\n',
    );

    await expect(applyMigrations(database.url, { migrationsDir: dir })).rejects.toThrow(
      new RegExp(`"${name}" failed and was rolled back: .*no_such_table`),
    );
    const recorded = await query(database.url, 'SELECT 1 FROM _prisma_migrations WHERE migration_name = $1', [name]);
    expect(recorded).toHaveLength(0);
    const table = await query<{ exists: string | null }>(database.url, `SELECT to_regclass('half_done')::text AS exists`);
    expect(table[0].exists).toBeNull();
  });

  test('when a migration failed earlier and is not rolled back, then applying refuses and names it', async () => {
    const name = '20000101000000_failed_by_prisma';
    await query(
      database.url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, started_at)
       VALUES (gen_random_uuid()::text, repeat('0', 64), $1, 'boom', now())`,
      [name],
    );
    try {
      await expect(applyMigrations(database.url)).rejects.toThrow(new RegExp(`"${name}" failed earlier`));

      // Once marked rolled back (what `prisma migrate resolve --rolled-back` does), it is ignored.
      await query(database.url, 'UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1', [name]);
      await expect(applyMigrations(database.url)).resolves.toEqual({ applied: [] });
    } finally {
      await query(database.url, 'DELETE FROM _prisma_migrations WHERE migration_name = $1', [name]);
    }
  });
});
