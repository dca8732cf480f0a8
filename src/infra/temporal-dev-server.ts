import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { pollUntil, StopPolling } from './poll';
import { describePortHolder, findListeningProcess, findProcessByCommandLine, isPortFree, readLogTail, terminateChild } from './process-tools';
import { BOOKING_SEARCH_ATTRIBUTES, CLI_SEARCH_ATTRIBUTE_TYPE, ensureSearchAttributes } from './search-attributes';

export { BOOKING_SEARCH_ATTRIBUTES, ensureSearchAttributes } from './search-attributes';

/**
 * Runs `temporal server start-dev` as a child process: the local Temporal server and Web UI
 * for development and tests. Its chatter goes to a log file under dataDir, not the console.
 */

export interface TemporalDevServerOptions {
  cliPath: string;
  /** Holds the SQLite database (`temporal.db`) and the server log. */
  dataDir: string;
  port: number;
  uiPort: number;
  namespace?: string;
  ip?: string;
  /** false keeps all state in memory (tests); by default it survives restarts. */
  persistent?: boolean;
  uiCodecEndpoint?: string;
  /** Serves the UI under this path (e.g. `/admin/temporal`, where the API proxies it) instead of `/`. */
  uiPublicPath?: string;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface TemporalDevServer {
  /** host:port of the frontend (gRPC). */
  address: string;
  /** The Web UI, with its public path. */
  uiUrl: string;
  logFile: string;
  /** SIGTERM, then SIGKILL after stopTimeoutMs. */
  stop(): Promise<void>;
}

export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const { cliPath, dataDir, port, uiPort, namespace = 'default', ip = '127.0.0.1', persistent = true } = options;
  const log = options.log ?? (() => undefined);
  const address = `${ip}:${port}`;
  const dbFile = path.join(dataDir, 'temporal.db');
  fs.mkdirSync(dataDir, { recursive: true });
  await assertNoConflicts({ ip, port, uiPort, dbFile: persistent ? dbFile : undefined });

  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--ui-port', String(uiPort), '--namespace', namespace, '--color', 'never'];
  if (persistent) args.push('--db-filename', dbFile);
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.uiPublicPath) args.push('--ui-public-path', options.uiPublicPath);
  for (const [name, type] of Object.entries(BOOKING_SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${CLI_SEARCH_ATTRIBUTE_TYPE[type]}`);

  const logFile = openLogFile(path.join(dataDir, 'temporal-dev-server.log'));
  const logFd = fs.openSync(logFile, 'a');
  const started = Date.now();
  const child = spawn(cliPath, args, { stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);

  let exit: string | undefined;
  let ready = false;
  let stopping = false;
  child.once('error', (error) => (exit = `could not be run (${error.message})`));
  child.once('exit', (code, signal) => {
    exit = `exited with ${code ?? signal}`;
    if (ready && !stopping) log(`Temporal dev server ${exit} unexpectedly; see ${logFile}`);
  });
  // A server outliving a crashed parent would hold the port and the database file.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    stopping = true;
    process.removeListener('exit', killOnExit);
    await terminateChild(child, options.stopTimeoutMs ?? 10_000);
  };

  try {
    const connection = await waitUntilReady(address, namespace, options.startTimeoutMs ?? 60_000, () => exit);
    try {
      const added = await ensureSearchAttributes(connection, namespace);
      if (added.length > 0 && persistent) log(`Registered search attributes ${added.join(', ')} in ${dbFile}`);
    } finally {
      await connection.close();
    }
  } catch (error) {
    await stop();
    const tail = readLogTail(logFile);
    throw new Error(`Temporal dev server failed to start: ${(error as Error).message}${tail ? `\nLast lines of ${logFile}:\n${tail}` : ''}`);
  }
  ready = true;
  const uiUrl = `http://${ip}:${uiPort}${options.uiPublicPath ?? ''}`;
  log(`Temporal dev server ready at ${address} in ${Date.now() - started} ms (UI ${uiUrl}, log ${logFile})`);
  return { address, uiUrl, logFile, stop };
}

/** Ready means: the frontend answers and the namespace exists, i.e. clients can start workflows. */
function waitUntilReady(address: string, namespace: string, timeoutMs: number, exited: () => string | undefined): Promise<Connection> {
  return pollUntil(
    async () => {
      const exit = exited();
      if (exit) throw new StopPolling(new Error(`the server process ${exit}`));
      const connection = await Connection.connect({ address, connectTimeout: '2s' });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return connection;
      } catch (error) {
        await connection.close();
        throw error;
      }
    },
    { timeoutMs, intervalMs: 100, description: `the Temporal frontend at ${address} (namespace ${namespace})` },
  );
}

async function assertNoConflicts({ ip, port, uiPort, dbFile }: { ip: string; port: number; uiPort: number; dbFile?: string }) {
  // Two servers on one SQLite file would corrupt it, whatever ports they use.
  const sharing = dbFile ? findProcessByCommandLine(`--db-filename ${dbFile}`) : undefined;
  if (sharing) {
    throw new Error(
      `A Temporal dev server (pid ${sharing.pid}, probably left from an earlier run) is still using ${dbFile}. Stop it with \`kill ${sharing.pid}\` and start again.`,
    );
  }
  for (const [what, candidate] of [['frontend', port], ['Web UI', uiPort]] as const) {
    if (await isPortFree(candidate, ip)) continue;
    const holder = findListeningProcess(candidate);
    if (holder?.commandLine?.includes('start-dev')) {
      throw new Error(
        `A Temporal dev server (pid ${holder.pid}, probably left from an earlier run) still holds port ${candidate} (${what}). ` +
          `Stop it with \`kill ${holder.pid}\` and start again.`,
      );
    }
    throw new Error(`Port ${candidate} for the Temporal ${what} is in use by ${describePortHolder(candidate)}. Free it or choose another port (TEMPORAL_PORT / TEMPORAL_UI_PORT).`);
  }
}

/** Keeps the previous run's log as `.1` so a failed start can be compared with the last good one. */
function openLogFile(file: string): string {
  if (fs.existsSync(file)) fs.renameSync(file, `${file}.1`);
  return file;
}
