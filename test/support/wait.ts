import { pollUntil } from '../../src/infra/poll';

export { StopPolling } from '../../src/infra/poll';

/**
 * Waits until `condition` returns something other than undefined, null or false, and returns
 * it. A throwing condition counts as "not yet" (its last error is reported on timeout);
 * throw `new StopPolling(error)` to fail at once. Use this instead of sleeping in tests.
 */
export function waitFor<T>(
  condition: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  { timeoutMs = 10_000, intervalMs = 50, description }: { timeoutMs?: number; intervalMs?: number; description: string },
): Promise<T> {
  return pollUntil(condition, { timeoutMs, intervalMs, description });
}
