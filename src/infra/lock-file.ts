import fs from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive } from './process-tools';
import { pollUntil } from './poll';

/**
 * A lock file holding the owner's pid, created with O_EXCL. It guards work that two processes
 * (two test runs, a test run and `npm start`) must not do at once. A lock whose owner died
 * (crash, SIGKILL) is taken over, so no one has to delete lock files by hand.
 */

export interface HeldLock {
  file: string;
  release(): Promise<void>;
}

export async function readLockOwner(file: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await fs.readFile(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The lock, or undefined when a live process holds it. */
export async function tryAcquireLock(file: string): Promise<HeldLock | undefined> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await fs.writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return { file, release: () => fs.rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readLockOwner(file);
    if (owner !== undefined && isProcessAlive(owner)) return undefined;
    // The owner is gone. Re-read right before removing so that we do not delete a lock a
    // third process has just taken over (a small window, acceptable for local tooling).
    if ((await readLockOwner(file)) === owner) await fs.rm(file, { force: true });
  }
  return undefined;
}

export async function acquireLock(
  file: string,
  { timeoutMs, onWait }: { timeoutMs: number; onWait?: (ownerPid: number | undefined) => void },
): Promise<HeldLock> {
  const first = await tryAcquireLock(file);
  if (first) return first;
  onWait?.(await readLockOwner(file));
  return pollUntil(() => tryAcquireLock(file), { timeoutMs, intervalMs: 500, description: `lock ${file}` });
}
