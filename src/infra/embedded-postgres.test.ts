import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { pollUntil, StopPolling } from './poll';
import { findFreePort, isProcessAlive } from './process-tools';

/**
 * Real embedded PostgreSQL, started by a child process (see testing/embedded-postgres-child.ts)
 * on one data dir for the whole file, in order: first start, restart, crash, stale pid file.
 */

jest.setTimeout(120_000);

const CHILD = path.join(__dirname, 'testing', 'embedded-postgres-child.ts');
const DATABASE = 'opendk_app';
let dataDir: string;
const running = new Set<ChildProcessWithoutNullStreams>();

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-pg-test-'));
});

afterAll(async () => {
  for (const child of running) await stopChild(child);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stderr: () => string;
}

async function startChild(): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, String(await findFreePort()), DATABASE]);
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const line = await pollUntil(
    () => {
      if (child.exitCode !== null) throw new StopPolling(new Error(`child exited with ${child.exitCode}: ${stderr}`));
      return stdout.includes('\n') && stdout.split('\n')[0];
    },
    { timeoutMs: 120_000, description: 'the embedded PostgreSQL child to report its URL' },
  ).catch((error) => {
    throw new Error(`${(error as Error).message}\n${stderr}`);
  });
  return { child, url: JSON.parse(line).url, stderr: () => stderr };
}

/** Asks the child to stop PostgreSQL and exit; kills it if it has not within 30 s. */
async function stopChild(child: ChildProcessWithoutNullStreams): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin.write('stop\n');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
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
  const { child, url, stderr } = await startChild();
  expect(new URL(url).pathname).toBe(`/${DATABASE}`);
  expect(stderr()).toContain('Initialising a PostgreSQL cluster');
  await query(url, 'CREATE TABLE survivor (name text)');
  await query(url, "INSERT INTO survivor VALUES ('Дом культуры')");
  expect(await query(url, 'SHOW server_encoding')).toEqual([{ server_encoding: 'UTF8' }]);
  await stopChild(child);
  expect(postmasterPid()).toBeUndefined();
});

test('restarts on the same data dir without initialising again', async () => {
  const { child, url, stderr } = await startChild();
  expect(stderr()).not.toContain('Initialising');
  expect(await query(url, 'SELECT name FROM survivor')).toEqual([{ name: 'Дом культуры' }]);
  await stopChild(child);
});

test('refuses a second process on a data dir that is in use', async () => {
  const { child } = await startChild();
  await expect(startChild()).rejects.toThrow(/is in use by another process \(pid \d+/);
  await stopChild(child);
});

test('after a crash, stops the postmaster the dead run left behind and starts again', async () => {
  const crashed = await startChild();
  const orphan = postmasterPid()!;
  const died = new Promise((resolve) => crashed.child.once('exit', resolve));
  crashed.child.kill('SIGKILL');
  await died;
  running.delete(crashed.child);
  expect(isProcessAlive(orphan)).toBe(true); // PostgreSQL outlives its killed parent

  const { child, url, stderr } = await startChild();
  expect(stderr()).toContain(`Stopping PostgreSQL (pid ${orphan}) left running`);
  expect(isProcessAlive(orphan)).toBe(false);
  expect(await query(url, 'SELECT count(*)::int AS n FROM survivor')).toEqual([{ n: 1 }]);
  await stopChild(child);
});

test('removes a stale postmaster.pid that names a live process other than PostgreSQL', async () => {
  // A pid reused by another process after a crash: PostgreSQL itself would refuse to start.
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  fs.writeFileSync(pidFile, `${process.pid}\n${path.join(dataDir, 'postgres')}\n`);
  const { child, url, stderr } = await startChild();
  expect(stderr()).toContain('Removing a stale');
  expect(await query(url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  await stopChild(child);
});
