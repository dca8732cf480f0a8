import { addDuration } from '../src/domain/duration';
import type { BookingContext } from './booking.context';
import type { HumanTask } from './booking.state';

/** The human tasks and their deadlines, from the policy in the input. */

export function callbackTask(ctx: BookingContext, now: number): HumanTask {
  const { policy } = ctx.input;
  const attempt = ctx.state.callbackAttempts + 1;
  const delay = attempt === 1 ? policy.callbackSla : policy.callbackRetryDelay;
  return { id: `CALLBACK-${attempt}`, kind: 'CALLBACK', startedAt: now, dueAt: addDuration(new Date(now), delay).getTime(), slaState: 'ON_TIME', escalates: true };
}

export function addonsTask(ctx: BookingContext, now: number): HumanTask {
  const dueAt = addDuration(new Date(now), ctx.input.policy.addonsWindow).getTime();
  return { id: 'ADDONS', kind: 'ADDONS', startedAt: now, dueAt, slaState: 'ON_TIME', escalates: false };
}

export function confirmationTask(ctx: BookingContext, now: number): HumanTask {
  const dueAt = addDuration(new Date(now), ctx.input.policy.confirmationSla).getTime();
  return { id: 'CONFIRMATION', kind: 'CONFIRMATION', startedAt: now, dueAt, slaState: 'ON_TIME', escalates: true };
}
