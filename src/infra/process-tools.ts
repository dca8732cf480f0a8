import { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/** Small process and port helpers for the local infrastructure (Linux first, portable where cheap). */

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a process, or undefined where /proc is not available. */
export function readCommandLine(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return undefined;
  }
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A port that was free a moment ago. Another process may still take it before we bind it;
 * callers that spawn servers surface that as the server's own "address in use" error.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Which process listens on a TCP port, read from /proc (Linux). Used only to make a
 * "port in use" error actionable, so any failure just yields undefined.
 */
export function findListeningProcess(port: number): { pid: number; commandLine?: string } | undefined {
  try {
    const inodes = new Set<string>();
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      if (!fs.existsSync(table)) continue;
      for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
        const fields = line.trim().split(/\s+/);
        // fields: sl local_address rem_address st … inode(9); st 0A = LISTEN
        if (fields.length > 9 && fields[3] === '0A' && parseInt(fields[1].split(':')[1], 16) === port) inodes.add(fields[9]);
      }
    }
    if (inodes.size === 0) return undefined;
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let fds: string[];
      try {
        fds = fs.readdirSync(`/proc/${entry}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        try {
          const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${entry}/fd/${fd}`));
          if (match && inodes.has(match[1])) {
            const pid = Number(entry);
            return { pid, commandLine: readCommandLine(pid) };
          }
        } catch {
          // The process or descriptor went away while we looked.
        }
      }
    }
  } catch {
    // Not Linux, or /proc is restricted.
  }
  return undefined;
}

/** The first process whose command line contains `fragment` (Linux /proc), e.g. a database path. */
export function findProcessByCommandLine(fragment: string): { pid: number; commandLine: string } | undefined {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    const commandLine = pid === process.pid ? undefined : readCommandLine(pid);
    if (commandLine?.includes(fragment)) return { pid, commandLine };
  }
  return undefined;
}

/** "pid 123 (temporal server start-dev …)" or "an unknown process". */
export function describePortHolder(port: number): string {
  const holder = findListeningProcess(port);
  if (!holder) return 'an unknown process';
  const command = holder.commandLine ? ` (${truncate(holder.commandLine, 160)})` : '';
  return `pid ${holder.pid}${command}`;
}

/**
 * SIGTERM, then SIGKILL if the child has not exited within `timeoutMs`. Resolves once it has
 * exited.
 */
export async function terminateChild(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** The last lines of a log file, for error messages; empty when it cannot be read. */
export function readLogTail(file: string, lines = 20): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').filter(Boolean).slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Runs `stop` on the first SIGINT or SIGTERM and ignores the signals after it, so a second one
 * cannot cut an orderly stop short: Ctrl-C in a terminal reaches a process twice under tsx (from
 * the terminal and relayed by tsx), and an orchestrator may follow SIGTERM with more. Only
 * SIGKILL ends the stop early.
 */
export function onStopSignal(stop: (signal: NodeJS.Signals) => unknown): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      stop(signal);
    });
  }
}
