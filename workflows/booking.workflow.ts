import { allHandlersFinished, condition, continueAsNew, log, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { isFinalStatus, type BookingStatus } from '../src/domain/status';
import { createContext } from './booking.context';
import { bookingStateQuery, WORKFLOW_REVISION, type BookingWorkflowInput } from './booking.messages';
import { snapshot } from './booking.state';
import { nextTimer } from './booking.timers';
import { registerAddOnHandlers } from './handlers/addons';
import { registerCallbackHandler } from './handlers/callback';
import { registerDecisionHandlers } from './handlers/decision';
import { adoptOrphanedHold, registerSubmitHandler, settleFailedHold } from './handlers/submit';
import { bookingPlaceAttributes, VenueIdKey } from './search-attributes';

export * from './booking.messages';

export type BookingOutcome = BookingStatus | 'NOT_HELD' | 'NOT_SUBMITTED';

/**
 * One booking, from the submission (an Update sent with Update-with-Start) to a final state.
 * Handlers change the state and project it; this loop only waits for the next durable timer
 * (SLA steps, hard deadline, add-ons window, reminder, completion) or for a handler's change.
 */
export async function bookingWorkflow(input: BookingWorkflowInput): Promise<BookingOutcome> {
  // A booking the service started under a newer revision than this worker knows (the API was
  // deployed before the workers) must not run on older behaviour: a newer worker replaying it
  // would then fail on non-determinism for good. A plain Error fails only this workflow task,
  // which Temporal retries until a worker that knows the revision takes it.
  if ((input.revision ?? 0) > WORKFLOW_REVISION) throw new Error(`Booking started under workflow revision ${input.revision}; this worker knows up to ${WORKFLOW_REVISION}. Deploy the workers first.`);
  const ctx = createContext(input);
  const { state } = ctx;
  setHandler(bookingStateQuery, () => snapshot(state));
  registerSubmitHandler(ctx);
  registerCallbackHandler(ctx);
  registerAddOnHandlers(ctx);
  registerDecisionHandlers(ctx);

  // The service starts bookings with these already set (one visibility write fewer); a booking
  // started without them (and every history from before) sets them here. Either way the choice
  // follows from the start event alone, so a replay makes the same one.
  if (workflowInfo().typedSearchAttributes.get(VenueIdKey) === undefined) upsertSearchAttributes(bookingPlaceAttributes(input));

  const submitWait = input.policy.submitWaitMs ?? 60_000;
  if (!(await condition(() => state.submitReceived, submitWait)) && !(await adoptOrphanedHold(ctx))) return 'NOT_SUBMITTED';
  await condition(() => state.status !== 'SUBMITTING');
  if (state.status === 'NOT_HELD') {
    const unsettled = state.holdUnsettled;
    if (!(unsettled && (await settleFailedHold(ctx)))) {
      await condition(allHandlersFinished);
      // Nothing was held after all. The resident was told to retry, but Temporal answers a retried
      // submission (same update id) from the run that already answered it: a fresh run takes it.
      if (unsettled) return continueAsNew<typeof bookingWorkflow>({ ...input, requestHash: state.requestHash ?? undefined });
      return 'NOT_HELD';
    }
  }

  while (!isFinalStatus(state.status as BookingStatus)) {
    const timer = nextTimer(ctx);
    const version = state.version;
    const changed = timer
      ? timer.at > Date.now() && (await condition(() => state.version !== version, timer.at - Date.now()))
      : await condition(() => state.version !== version);
    if (!changed && timer) {
      log.info('Booking timer fired', { timer: timer.name });
      await timer.fire();
    }
  }

  await ctx.settled();
  await condition(allHandlersFinished);
  return state.status as BookingStatus;
}
