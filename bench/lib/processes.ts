import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './infra';

/** A TypeScript entry run as its own Node process (tsx as an import hook, so the pid is the process). */
export interface BenchProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Resolves with the first stdout line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export function startTs(name: string, entry: string, env: NodeJS.ProcessEnv, logDir: string): BenchProcess {
  fs.mkdirSync(logDir, { recursive: true });
  const log = fs.createWriteStream(path.join(logDir, `${name}.log`));
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    log.write(chunk);
    buffer += chunk.toString();
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  return {
    name,
    child,
    pid: child.pid!,
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms (see ${logDir}/${name}.log)`)), timeoutMs);
        child.once('exit', (code) => reject(new Error(`${name} exited with ${code} (see ${logDir}/${name}.log)`)));
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      });
    },
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exit;
        clearTimeout(killer);
      }
      log.end();
    },
  };
}

/** Resident set size of a process from /proc, in MiB. */
export function rssMiB(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kib) ? kib / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `intervalMs` until stop() is called. */
export function sampleRss(pid: number, intervalMs = 250) {
  const samples: number[] = [];
  const timer = setInterval(() => {
    const value = rssMiB(pid);
    if (value !== undefined) samples.push(value);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const sorted = [...samples].sort((a, b) => a - b);
      return { samples: samples.length, first: samples[0], last: samples.at(-1), max: sorted.at(-1), median: sorted[Math.floor(sorted.length / 2)] };
    },
  };
}
