import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { EventActor, ProjectionInput } from '../activities';
import type { Actor } from '../src/domain/actor';
import { compensationOrder } from '../src/domain/addons';
import { formatMoscow } from '../src/domain/moscow-time';
import { releasesHold, STATUS_LABEL_RU, type BookingStatus } from '../src/domain/status';
import { projectBooking, releaseHold } from './booking.activities';
import type { BookingContext } from './booking.context';
import type { HumanTask } from './booking.state';
import { takesPatch, TASK_SEARCH_ATTRIBUTES_PATCH } from './patches';
import { BookingStatusKey, SlaStateKey, TaskDueAtKey } from './search-attributes';

export const SYSTEM: EventActor = { role: 'SYSTEM', id: null };
export const eventActor = (actor: Actor): EventActor => ({ role: actor.role, id: actor.id });

export interface CommitStep {
  type: string;
  actor: EventActor;
  /** The new status; omitted for events that keep the status. */
  to?: BookingStatus;
  /** The next human task (undefined = unchanged, null = none). */
  task?: HumanTask | null;
  note?: string | null;
  data?: Record<string, unknown>;
  booking?: ProjectionInput['booking'];
  orderAddOns?: ProjectionInput['orderAddOns'];
  addOnChange?: ProjectionInput['addOnChange'];
}

const WAITING_ON_RU = { CALLBACK: 'звонок оператора', ADDONS: 'выбор доп. услуг заявителем', CONFIRMATION: 'подтверждение оператором' } as const;
const WAITING_ON_EN = { CALLBACK: 'the operator’s call-back', ADDONS: 'the applicant’s choice of extra services', CONFIRMATION: 'the operator’s confirmation' } as const;

/**
 * What the Temporal UI shows while a person is expected to act, in Russian and then in English
 * (a workflow's metadata, not its history: changing the wording replays the same).
 */
export function showCurrentDetails(ctx: BookingContext): void {
  const { task, status } = ctx.state;
  if (task) {
    const due = formatMoscow(new Date(task.dueAt));
    setCurrentDetails(`Ждём: ${WAITING_ON_RU[task.kind]} до ${due} (мск); SLA: ${task.slaState}\nWaiting for ${WAITING_ON_EN[task.kind]} until ${due} (Moscow time); SLA: ${task.slaState}`);
  } else {
    setCurrentDetails(`Статус: ${STATUS_LABEL_RU[status as BookingStatus] ?? status}\nStatus: ${status}`);
  }
}

/**
 * Applies one step: the in-memory state changes at once (so validators of later updates see
 * it), then the projection is queued. Entering a final state first compensates: approved
 * add-ons are cancelled newest first, then the hold is released (unless COMPLETED).
 * Resolves when the compensations and the projection are in the database.
 */
export function commit(ctx: BookingContext, step: CommitStep): Promise<unknown> {
  const { state, input } = ctx;
  const from = state.status as BookingStatus;
  const now = Date.now();
  const occurredAt = new Date(now).toISOString();
  if (step.task !== undefined) state.task = step.task;
  const attributes: SearchAttributeUpdatePair[] = [];
  if (step.to) {
    state.status = step.to;
    attributes.push({ key: BookingStatusKey, value: step.to });
  }
  if ((step.task !== undefined || step.type.startsWith('SLA_')) && takesPatch(ctx.input, TASK_SEARCH_ATTRIBUTES_PATCH)) {
    attributes.push(...taskSearchAttributes(state.task));
  }
  if (attributes.length > 0) upsertSearchAttributes(attributes);
  state.version += 1;
  showCurrentDetails(ctx);

  const compensations: Promise<unknown>[] = [];
  if (step.to && releasesHold(step.to)) {
    for (const line of compensationOrder(state.addOns)) {
      line.status = 'CANCELLED';
      const key = ctx.eventKey(`ADDON_CANCELLED-${line.code}`);
      compensations.push(ctx.serial(() =>
        projectBooking({
          bookingId: input.bookingId,
          event: { key, type: 'ADDON_CANCELLED', actor: step.actor, data: { code: line.code, compensation: true }, occurredAt },
          addOnChange: { code: line.code, status: 'CANCELLED' },
        }),
      ));
    }
    compensations.push(ctx.serial(() => releaseHold({ bookingId: input.bookingId, releasedAt: occurredAt })));
  }

  // Built now, not when the queued step runs: the projection shows the state as of this step.
  const task = state.task;
  const projectionInput: ProjectionInput = {
    bookingId: input.bookingId,
    event: { key: ctx.eventKey(step.type), type: step.type, fromStatus: step.to ? from : null, toStatus: step.to ?? null, actor: step.actor, note: step.note, data: step.data, occurredAt },
    booking: {
      status: step.to,
      dueAt: task ? new Date(task.dueAt).toISOString() : null,
      slaState: task ? task.slaState : null,
      callbackAttempts: state.callbackAttempts,
      ...step.booking,
    },
    orderAddOns: step.orderAddOns,
    addOnChange: step.addOnChange,
  };
  const projection = ctx.serial(() => projectBooking(projectionInput));
  // A failed compensation fails the caller (the update or the timer), never silently.
  return Promise.all([...compensations, projection]);
}

/** Lets the Temporal UI find, say, every overdue call-back: `BookingStatus = "AWAITING_CALLBACK" AND TaskDueAt < "<now>"`. */
export function taskSearchAttributes(task: HumanTask | null): SearchAttributeUpdatePair[] {
  return [
    { key: TaskDueAtKey, value: task ? new Date(task.dueAt) : null },
    { key: SlaStateKey, value: task ? task.slaState : null },
  ];
}

export function workflowIdOf(): string {
  return workflowInfo().workflowId;
}
