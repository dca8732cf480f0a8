import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startPostgresChild, type PostgresChild } from '../../test/support/postgres-child';
import { findFreePort, isProcessAlive } from './process-tools';

/**
 * Real embedded PostgreSQL, started by a child process (see testing/embedded-postgres-child.ts)
 * on one data dir for the whole file, in order: first start, restart, crash, stale pid file.
 */

jest.setTimeout(120_000);

const DATABASE = 'opendk_app';
let dataDir: string;
const running = new Set<PostgresChild>();

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-pg-test-'));
});

afterAll(async () => {
  for (const child of running) await stopChild(child);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function startChild(): Promise<PostgresChild> {
  const started = await startPostgresChild(dataDir, await findFreePort(), DATABASE);
  running.add(started);
  return started;
}

async function stopChild(started: PostgresChild): Promise<void> {
  running.delete(started);
  await started.stop();
}

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function postmasterPid(): number | undefined {
  const file = path.join(dataDir, 'postgres', 'postmaster.pid');
  return fs.existsSync(file) ? Number.parseInt(fs.readFileSync(file, 'utf8'), 10) : undefined;
}

test('initialises a cluster, creates the app database and accepts queries', async () => {
  const started = await startChild();
  expect(new URL(started.url).pathname).toBe(`/${DATABASE}`);
  expect(started.stderr()).toContain('Initialising a PostgreSQL cluster');
  await query(started.url, 'CREATE TABLE survivor (name text)');
  await query(started.url, "INSERT INTO survivor VALUES ('Дом культуры')");
  expect(await query(started.url, 'SHOW server_encoding')).toEqual([{ server_encoding: 'UTF8' }]);
  await stopChild(started);
  expect(postmasterPid()).toBeUndefined();
});

test('restarts on the same data dir without initialising again', async () => {
  const started = await startChild();
  expect(started.stderr()).not.toContain('Initialising');
  expect(await query(started.url, 'SELECT name FROM survivor')).toEqual([{ name: 'Дом культуры' }]);
  await stopChild(started);
});

test('refuses a second process on a data dir that is in use', async () => {
  const started = await startChild();
  await expect(startChild()).rejects.toThrow(/is in use by another process \(pid \d+/);
  await stopChild(started);
});

test('after a crash, stops the postmaster the dead run left behind and starts again', async () => {
  const crashed = await startChild();
  const orphan = postmasterPid()!;
  const died = new Promise((resolve) => crashed.child.once('exit', resolve));
  crashed.child.kill('SIGKILL');
  await died;
  running.delete(crashed);
  expect(isProcessAlive(orphan)).toBe(true); // PostgreSQL outlives its killed parent

  const started = await startChild();
  expect(started.stderr()).toContain(`Stopping PostgreSQL (pid ${orphan}) left running`);
  expect(isProcessAlive(orphan)).toBe(false);
  expect(await query(started.url, 'SELECT count(*)::int AS n FROM survivor')).toEqual([{ n: 1 }]);
  await stopChild(started);
});

test('removes a stale postmaster.pid that names a live process other than PostgreSQL', async () => {
  // A pid reused by another process after a crash: PostgreSQL itself would refuse to start.
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  fs.writeFileSync(pidFile, `${process.pid}\n${path.join(dataDir, 'postgres')}\n`);
  const started = await startChild();
  expect(started.stderr()).toContain('Removing a stale');
  expect(await query(started.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  await stopChild(started);
});
