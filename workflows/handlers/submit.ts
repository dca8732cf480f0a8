import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, setHandler, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { DEFAULT_HOLD_WINDOW_MS, hardDeadline } from '../../src/domain/policy';
import type { HeldBooking } from '../../activities';
import { findHeldBooking, holdSlot, holdSlotWithin } from '../booking.activities';
import { showCurrentDetails, taskSearchAttributes } from '../booking.commit';
import type { BookingContext } from '../booking.context';
import { submitUpdate, type SubmitInput, type SubmitResult } from '../booking.messages';
import { callbackTask } from '../booking.tasks';
import { refuse, requireAttendees, requireOptionalText, requireOwner, requireText } from '../booking.validators';
import { BookingStatusKey } from '../search-attributes';
import { workflowIdOf } from '../booking.commit';
import { ADOPT_ORPHANED_HOLD_PATCH, SUBMISSION_MAIL_OUTBOX_PATCH, sinceRevision, takesPatch } from '../patches';

/** The submission (sent with Update-with-Start): hold the slot or fail with SLOT_TAKEN. */
export function registerSubmitHandler(ctx: BookingContext): void {
  const { input, state } = ctx;

  async function submit(payload: SubmitInput): Promise<SubmitResult> {
    state.submitReceived = true;
    const now = Date.now();
    state.hardDeadline = hardDeadline(input.policy, new Date(now), new Date(input.startsAt), input.workCalendar).getTime();
    state.requestHash = payload.requestHash;
    const task = callbackTask(ctx, now);
    const mailOutbox = takesPatch(ctx.input, SUBMISSION_MAIL_OUTBOX_PATCH);
    const settlesFailedHold = sinceRevision(input, 3);
    const holdWindowMs = input.policy.holdWindowMs ?? DEFAULT_HOLD_WINDOW_MS;
    state.holdBefore = now + holdWindowMs;
    const hold = settlesFailedHold ? holdSlotWithin(holdWindowMs) : holdSlot;
    let held;
    try {
      held = await hold({
        bookingId: input.bookingId,
        code: input.code,
        workflowId: workflowIdOf(),
        residentId: input.residentId,
        roomId: input.roomId,
        venueId: input.venueId,
        districtId: input.districtId,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        eventTitle: payload.eventTitle,
        eventType: payload.eventType,
        attendees: payload.attendees,
        contactPhone: payload.contactPhone,
        contactName: payload.contactName ?? null,
        comment: payload.comment,
        roomPrice: payload.roomPrice,
        idempotencyKey: payload.idempotencyKey,
        requestHash: payload.requestHash,
        addOns: payload.addOns,
        submittedAt: new Date(now).toISOString(),
        dueAt: new Date(task.dueAt).toISOString(),
        mailOutbox,
        holdBefore: new Date(state.holdBefore).toISOString(),
      });
    } catch (error) {
      const cause = error instanceof ActivityFailure ? error.cause : error;
      const slotTaken = cause instanceof ApplicationFailure && cause.type === 'SLOT_TAKEN';
      state.status = 'NOT_HELD';
      // Without the database's answer an attempt may still commit: settled in the main loop.
      state.holdUnsettled = settlesFailedHold && !slotTaken;
      state.version += 1;
      if (slotTaken) refuse('SLOT_TAKEN', 'The slot is already taken');
      throw ApplicationFailure.create({ type: 'UNAVAILABLE', message: 'The slot could not be held, try again', nonRetryable: true });
    }
    state.addOns = payload.addOns.map((line, index) => ({ code: line.code, quantity: line.quantity, listPrice: line.listPrice, status: 'REQUESTED', seq: index + 1 }));
    state.status = held.status;
    state.task = held.status === 'AWAITING_CALLBACK' ? task : null;
    state.version += 1;
    upsertSearchAttributes(submittedAttributes(ctx));
    showCurrentDetails(ctx);
    // Since the patch the hold wrote the e-mail request itself, in its own statement.
    if (held.created && !mailOutbox) ctx.notify({ kind: 'SUBMITTED' });
    return { bookingId: input.bookingId, status: held.status, requestHash: held.requestHash, created: held.created, submittedAt: new Date(now).toISOString(), dueAt: new Date(task.dueAt).toISOString() };
  }

  setHandler(submitUpdate, submit, {
    validator: (payload) => {
      requireOwner(ctx, payload?.actor);
      if (state.submitReceived) {
        // No submission was recorded: the run is looking for the hold of a lost one (adoptOrphanedHold).
        // The resident's retry is answered when that is settled, by the database or by a fresh run.
        if (state.status === 'SUBMITTING') refuse('UNAVAILABLE', 'An earlier submission is still being settled; try again shortly');
        refuse('INVALID_STATE', 'The booking was already submitted');
      }
      if (input.requestHash !== undefined && payload?.requestHash !== input.requestHash) refuse('IDEMPOTENCY_MISMATCH', 'The key was used for a request with other details');
      // The service checked all of it; this keeps a direct caller from wedging the hold.
      requireText(payload.eventTitle, 'eventTitle', 200);
      requireAttendees(payload.attendees);
      requireText(payload.contactPhone, 'contactPhone', 40);
      requireOptionalText(payload.contactName, 'contactName', 100);
      requireOptionalText(payload.comment, 'comment');
      if (!Array.isArray(payload.addOns)) refuse('VALIDATION', 'addOns must be a list');
      for (const line of payload.addOns) requireOptionalText(line?.note, 'note', 1000);
    },
    description: 'Resident submits the application: holds the slot (SLOT_TAKEN if it is held).',
  });
}

/**
 * No submission arrived in time. If a hold was nevertheless committed (the server lost an
 * update whose local activity had run, and the resident's retry was answered from the
 * database), the workflow takes the booking over instead of leaving it without a driver.
 * Returns false when there is nothing to adopt.
 */
export async function adoptOrphanedHold(ctx: BookingContext): Promise<boolean> {
  if (!takesPatch(ctx.input, ADOPT_ORPHANED_HOLD_PATCH)) return false;
  const { input, state } = ctx;
  // From here a late submission is refused; the service answers retries from the database.
  state.submitReceived = true;
  if (sinceRevision(input, 3)) {
    // A lost submission's hold started no later than now: its window ends by now + the window.
    state.holdBefore = Date.now() + (input.policy.holdWindowMs ?? DEFAULT_HOLD_WINDOW_MS);
    return settleFailedHold(ctx);
  }
  const held = await findHeldBooking({ bookingId: input.bookingId });
  if (!held) return false;
  adopt(ctx, held);
  return true;
}

/**
 * A hold without a known outcome (revision 3): it failed without the database's answer, or its
 * submission never reached the workflow. Once its window is over no attempt can commit any more:
 * the booking is adopted if one did, else there is none.
 */
export async function settleFailedHold(ctx: BookingContext): Promise<boolean> {
  const { input, state } = ctx;
  const holdBefore = state.holdBefore!;
  if (holdBefore > Date.now()) await sleep(holdBefore - Date.now());
  const held = await findHeldBooking({ bookingId: input.bookingId, fence: { roomId: input.roomId, holdBefore: new Date(holdBefore).toISOString() } });
  state.holdUnsettled = false;
  if (!held) return false;
  adopt(ctx, held);
  return true;
}

/** Takes over a booking its hold committed without the workflow recording the submission. */
function adopt(ctx: BookingContext, held: HeldBooking): void {
  const { input, state } = ctx;
  const submittedAt = Date.parse(held.createdAt);
  state.hardDeadline = hardDeadline(input.policy, new Date(submittedAt), new Date(input.startsAt), input.workCalendar).getTime();
  state.addOns = held.addOns.map((line, index) => ({ code: line.code, quantity: line.quantity, listPrice: line.listPrice, status: 'REQUESTED', seq: index + 1 }));
  state.status = held.status;
  state.task = held.status === 'AWAITING_CALLBACK' ? callbackTask(ctx, submittedAt) : null;
  state.version += 1;
  upsertSearchAttributes(submittedAttributes(ctx));
  showCurrentDetails(ctx);
  ctx.notify({ kind: 'SUBMITTED' });
}

/** The status a submission reached and, from revision 2, the call-back task it opened: the Temporal UI finds a new booking by its deadline at once. */
function submittedAttributes(ctx: BookingContext): SearchAttributeUpdatePair[] {
  const status: SearchAttributeUpdatePair = { key: BookingStatusKey, value: ctx.state.status };
  return sinceRevision(ctx.input, 2) ? [status, ...taskSearchAttributes(ctx.state.task)] : [status];
}
