import { addDuration } from '../src/domain/duration';
import type { BookingContext } from './booking.context';
import type { HumanTask } from './booking.state';
import { sinceRevision } from './patches';

/** The human tasks and their deadlines, from the policy and the production calendar in the input. */

export function callbackTask(ctx: BookingContext, now: number): HumanTask {
  const { policy } = ctx.input;
  const attempt = ctx.state.callbackAttempts + 1;
  const delay = attempt === 1 ? policy.callbackSla : policy.callbackRetryDelay;
  const dueAt = byHardDeadline(ctx, addDuration(new Date(now), delay, ctx.input.workCalendar).getTime());
  return { id: `CALLBACK-${attempt}`, kind: 'CALLBACK', startedAt: now, dueAt, slaState: 'ON_TIME', escalates: true };
}

/**
 * From revision 4 the add-ons window takes at most half the time left before the hard deadline,
 * so the operator keeps the other half to confirm: a window that outlasted the deadline promised
 * the resident days the booking did not have, and it expired with nobody able to confirm it.
 */
export function addonsTask(ctx: BookingContext, now: number): HumanTask {
  const window = addDuration(new Date(now), ctx.input.policy.addonsWindow, ctx.input.workCalendar).getTime();
  const deadline = ctx.state.hardDeadline;
  const dueAt = sinceRevision(ctx.input, 4) && deadline !== null ? Math.min(window, now + Math.max(0, Math.floor((deadline - now) / 2))) : window;
  return { id: 'ADDONS', kind: 'ADDONS', startedAt: now, dueAt, slaState: 'ON_TIME', escalates: false };
}

export function confirmationTask(ctx: BookingContext, now: number): HumanTask {
  const dueAt = byHardDeadline(ctx, addDuration(new Date(now), ctx.input.policy.confirmationSla, ctx.input.workCalendar).getTime());
  return { id: 'CONFIRMATION', kind: 'CONFIRMATION', startedAt: now, dueAt, slaState: 'ON_TIME', escalates: true };
}

/**
 * From revision 4 no task is due after the booking's hard deadline. Before, a booking made two
 * days ahead (its deadline a day before the event) could show, and sort the operator queue by,
 * a call-back due after the event, and expire before the first reminder.
 */
function byHardDeadline(ctx: BookingContext, dueAt: number): number {
  const deadline = ctx.state.hardDeadline;
  return sinceRevision(ctx.input, 4) && deadline !== null ? Math.min(dueAt, deadline) : dueAt;
}
