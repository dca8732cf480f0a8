/**
 * Polling with a deadline: the one way infrastructure code waits for something to become true.
 * A fixed sleep either wastes time or flakes; a deadline fails with a message that says what
 * was awaited and the last reason it was not there yet.
 */

export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Completes "timed out after …ms waiting for <description>". */
  description: string;
}

/** Thrown from a check to stop polling at once (e.g. the awaited process has exited). */
export class StopPolling extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = 'StopPolling';
  }
}

export class PollTimeoutError extends Error {
  constructor(description: string, timeoutMs: number, readonly lastError?: unknown) {
    const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
    super(`Timed out after ${timeoutMs} ms waiting for ${description}${cause}`);
    this.name = 'PollTimeoutError';
  }
}

/**
 * Calls `check` until it returns a value other than undefined, null or false, and returns that
 * value. Errors thrown by `check` count as "not yet" (the last one is reported on timeout),
 * except StopPolling, whose reason is rethrown.
 */
export async function pollUntil<T>(
  check: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  { timeoutMs, intervalMs = 100, description }: PollOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      if (error instanceof StopPolling) throw error.reason;
      lastError = error;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new PollTimeoutError(description, timeoutMs, lastError);
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, remaining)));
  }
}
