/** Bench only: the smallest Update-with-Start target, one update handler that returns at once. */
import { allHandlersFinished, condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const trivialUpdate = defineUpdate<{ ok: true }, [{ id: string }]>('submit');

export async function trivialWorkflow(): Promise<void> {
  let received = false;
  setHandler(trivialUpdate, () => {
    received = true;
    return { ok: true as const };
  });
  await condition(() => received, '1 minute');
  await condition(allHandlersFinished);
}
