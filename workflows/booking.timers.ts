import { addDuration, subtractDuration } from '../src/domain/duration';
import { slaStages } from '../src/domain/sla';
import { HUMAN_TASK_STATUSES, type BookingStatus } from '../src/domain/status';
import { commit, SYSTEM } from './booking.commit';
import type { BookingContext } from './booking.context';
import { confirmationTask } from './booking.tasks';

/** The next durable timer the booking waits on, and what happens when it fires. */
export interface DueTimer {
  at: number;
  name: string;
  /** It moves the booking to another status (a deadline, the add-ons window, completion). */
  changesStatus?: true;
  fire(): Promise<unknown>;
}

function slaTimer(ctx: BookingContext): DueTimer | null {
  const task = ctx.state.task;
  if (!task || !task.escalates) return null;
  const stages = slaStages(new Date(task.startedAt), new Date(task.dueAt), ctx.input.workCalendar);
  const order = ['ON_TIME', 'REMINDED', 'ESCALATED', 'OVERDUE'];
  const next = stages.find((stage) => order.indexOf(stage.state) > order.indexOf(task.slaState));
  if (!next) return null;
  return {
    at: next.at.getTime(),
    name: `SLA ${next.state} (${task.id})`,
    fire() {
      task.slaState = next.state;
      const done = commit(ctx, { type: `SLA_${next.state}`, actor: SYSTEM, data: { task: task.kind, taskId: task.id, dueAt: new Date(task.dueAt).toISOString() } });
      const data = { task: task.kind, dueAt: new Date(task.dueAt).toISOString() };
      if (next.state === 'REMINDED') ctx.notify({ kind: 'TASK_REMINDER', key: task.id, data });
      if (next.state === 'ESCALATED') ctx.notify({ kind: 'TASK_ESCALATION', key: task.id, data });
      return done;
    },
  };
}

function deadlineTimer(ctx: BookingContext): DueTimer | null {
  const { state } = ctx;
  if (state.hardDeadline === null || !HUMAN_TASK_STATUSES.includes(state.status as BookingStatus)) return null;
  return {
    at: state.hardDeadline,
    name: 'hard deadline',
    changesStatus: true,
    fire() {
      const done = commit(ctx, { type: 'EXPIRED', actor: SYSTEM, to: 'EXPIRED', task: null, data: { reason: 'DEADLINE' } });
      ctx.notify({ kind: 'EXPIRED', data: { reason: 'DEADLINE' } });
      return done;
    },
  };
}

function addonsWindowTimer(ctx: BookingContext): DueTimer | null {
  const task = ctx.state.task;
  if (ctx.state.status !== 'ADDONS' || !task) return null;
  return {
    at: task.dueAt,
    name: 'add-ons window',
    changesStatus: true,
    fire: () => commit(ctx, { type: 'ADDONS_WINDOW_CLOSED', actor: SYSTEM, to: 'AWAITING_CONFIRMATION', task: confirmationTask(ctx, Date.now()) }),
  };
}

function confirmedTimers(ctx: BookingContext): DueTimer[] {
  const { state, input } = ctx;
  if (state.status !== 'CONFIRMED') return [];
  const startsAt = new Date(input.startsAt);
  const timers: DueTimer[] = [];
  if (!state.reminderSent && Date.now() < startsAt.getTime()) {
    timers.push({
      at: subtractDuration(startsAt, input.policy.residentReminderBefore, input.workCalendar).getTime(),
      name: 'resident reminder',
      fire() {
        state.reminderSent = true;
        state.version += 1;
        ctx.notify({ kind: 'EVENT_REMINDER' });
        return commit(ctx, { type: 'RESIDENT_REMINDED', actor: SYSTEM });
      },
    });
  }
  timers.push({
    at: addDuration(new Date(input.endsAt), input.policy.completeAfterEnd, input.workCalendar).getTime(),
    name: 'completion',
    changesStatus: true,
    fire: () => commit(ctx, { type: 'COMPLETED', actor: SYSTEM, to: 'COMPLETED', task: null }),
  });
  return timers;
}

function pendingTimers(ctx: BookingContext): DueTimer[] {
  return [deadlineTimer(ctx), addonsWindowTimer(ctx), slaTimer(ctx), ...confirmedTimers(ctx)].filter((timer): timer is DueTimer => timer !== null);
}

/** The earliest pending timer (ties: the first listed wins, the hard deadline before SLA steps). */
export function nextTimer(ctx: BookingContext): DueTimer | null {
  return pendingTimers(ctx).reduce<DueTimer | null>((best, timer) => (best === null || timer.at < best.at ? timer : best), null);
}

/**
 * A timer that moves the booking to another status and whose time has come, though it has not
 * fired yet: a worker catching up delivers a late action in the same task as the timer, and the
 * SDK runs the action first. Validators refuse actions then (booking.validators.ts).
 */
export function statusChangeDue(ctx: BookingContext): DueTimer | undefined {
  return pendingTimers(ctx).find((timer) => timer.changesStatus && timer.at <= Date.now());
}
