import { setHandler } from '@temporalio/workflow';
import { commit, eventActor } from '../booking.commit';
import type { BookingContext } from '../booking.context';
import { recordCallbackUpdate, type ActionResult, type RecordCallbackInput } from '../booking.messages';
import { addonsTask, callbackTask } from '../booking.tasks';
import { refuse, requireAttendees, requireOptionalText, requireStaff, requireStatus, requireText } from '../booking.validators';

/** What an operator may correct on the call-back. */
const CHANGEABLE = new Set(['eventTitle', 'attendees', 'comment']);

/** The operator's call-back: AGREED → ADDONS, REJECTED → REJECTED, NO_ANSWER → retry or EXPIRED. */
export function registerCallbackHandler(ctx: BookingContext): void {
  const { state, input } = ctx;

  async function recordCallback({ actor, outcome, note, changes }: RecordCallbackInput): Promise<ActionResult> {
    const now = Date.now();
    const by = eventActor(actor);
    state.callbackAttempts += 1;
    const attempt = state.callbackAttempts;
    const data = { outcome, attempt, changes: changes ?? null };
    const mail = { kind: 'CALLBACK_OUTCOME' as const, key: String(attempt), data: { outcome, attempt, maxAttempts: input.policy.maxCallbackAttempts, note } };
    const calledBackAt = new Date(now).toISOString();

    if (outcome === 'AGREED') {
      // Only what the call-back may change (the validator refuses anything else): the rest of
      // the booking's row (its status, deadline, attempts) is the workflow's to write.
      const changed = { eventTitle: changes?.eventTitle, attendees: changes?.attendees, comment: changes?.comment };
      const booking = Object.fromEntries(Object.entries({ calledBackAt, ...changed }).filter(([, value]) => value !== undefined));
      const done = commit(ctx, { type: 'CALLBACK_AGREED', actor: by, to: 'ADDONS', task: addonsTask(ctx, now), note, data, booking });
      ctx.notify(mail);
      await done;
    } else if (outcome === 'REJECTED') {
      const done = commit(ctx, { type: 'CALLBACK_REJECTED', actor: by, to: 'REJECTED', task: null, note, data, booking: { calledBackAt } });
      ctx.notify({ kind: 'REJECTED', data: { reason: note } });
      await done;
    } else if (attempt >= input.policy.maxCallbackAttempts) {
      const recorded = commit(ctx, { type: 'CALLBACK_NO_ANSWER', actor: by, note, data });
      const expired = commit(ctx, { type: 'EXPIRED', actor: by, to: 'EXPIRED', task: null, data: { reason: 'NO_ANSWER', attempts: attempt } });
      ctx.notify({ kind: 'EXPIRED', data: { reason: 'NO_ANSWER' } });
      await Promise.all([recorded, expired]);
    } else {
      const done = commit(ctx, { type: 'CALLBACK_NO_ANSWER', actor: by, task: callbackTask(ctx, now), note, data });
      ctx.notify(mail);
      await done;
    }
    return { status: state.status as ActionResult['status'] };
  }

  setHandler(recordCallbackUpdate, recordCallback, {
    validator: (payload) => {
      requireStaff(ctx, payload?.actor);
      requireStatus(ctx, 'AWAITING_CALLBACK');
      if (!['AGREED', 'NO_ANSWER', 'REJECTED'].includes(payload.outcome)) refuse('VALIDATION', 'outcome must be AGREED, NO_ANSWER or REJECTED');
      if (payload.attempt !== undefined && payload.attempt !== state.callbackAttempts + 1) {
        refuse('INVALID_STATE', `Call-back attempt ${String(payload.attempt)} is not the next one (${state.callbackAttempts} recorded)`);
      }
      requireOptionalText(payload.note, 'note');
      if (payload.changes && payload.outcome !== 'AGREED') refuse('VALIDATION', 'changes are accepted only with AGREED');
      if (payload.changes != null && (typeof payload.changes !== 'object' || Object.keys(payload.changes).some((key) => !CHANGEABLE.has(key)))) {
        refuse('VALIDATION', `changes may name only ${[...CHANGEABLE].join(', ')}`);
      }
      if (payload.changes?.attendees !== undefined) requireAttendees(payload.changes.attendees);
      // A new title replaces the old one: blank would leave the booking without one.
      if (payload.changes?.eventTitle !== undefined) requireText(payload.changes.eventTitle, 'eventTitle', 200);
      requireOptionalText(payload.changes?.comment, 'comment');
    },
    description: 'Operator records the outcome of the call-back.',
  });
}
