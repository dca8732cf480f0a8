import { createHash } from 'node:crypto';
import type { UpdateDefinition } from '@temporalio/client';
import type { Actor } from '../domain/actor';
import { ADDONS_UNDECIDED_REFUSAL, type AddOnCode } from '../domain/addons';
import { DomainError, type FieldError } from '../domain/errors';
import { attendeesRangeError, overCapacityError, validateAddOnOrder } from '../domain/slot-rules';
import {
  cancelUpdate,
  confirmUpdate,
  decideAddOnUpdate,
  orderAddOnsUpdate,
  recordCallbackUpdate,
  rejectUpdate,
  submitAddOnsUpdate,
  type ActionResult,
  type CallbackOutcome,
  type RecordCallbackInput,
} from '../../workflows/booking.messages';
import { loadRoomForBooking } from './catalog';
import type { BookingServiceDeps } from './deps';
import { toDomainError } from './errors';
import { assertVisible } from './readers';
import { loadBookingView, type BookingView } from './view';

/**
 * A client's Idempotency-Key for an action. Sent again with the same request (its answer was
 * lost), the action is the same Temporal update, whose outcome it gets, instead of a second
 * update the workflow would refuse as out of turn (409). The id is made of the actor, the action
 * and the request with the key, so a key reused for anything else is a new update.
 */
export type ActionKey = string;

function updateIdOf(action: string, actorId: string, payload: object, key: ActionKey | undefined): string | undefined {
  if (key === undefined) return undefined;
  return `${action}-${createHash('sha256').update(JSON.stringify([actorId, key, payload])).digest('base64url')}`;
}

/** Sends one update with the actor; the workflow's validator decides (404 / 403 / 409). */
async function act<P extends { actor: Actor }>(
  deps: BookingServiceDeps,
  actor: Actor,
  bookingId: string,
  update: UpdateDefinition<ActionResult, [P]>,
  payload: Omit<P, 'actor'>,
  key: ActionKey | undefined,
): Promise<BookingView> {
  const { workflowId } = await assertVisible(deps, actor, bookingId);
  // Only the fields of Actor travel, whatever the caller's object carries (e.g. an e-mail).
  const who: Actor = { id: actor.id, role: actor.role, districtIds: [...actor.districtIds] };
  const updateId = updateIdOf(update.name, who.id, payload, key);
  try {
    await deps.temporal.workflow.getHandle(workflowId).executeUpdate(update, { args: [{ ...payload, actor: who } as P], ...(updateId ? { updateId } : {}) });
  } catch (error) {
    throw toDomainError(error);
  }
  return loadBookingView(deps.prisma, bookingId, actor);
}

export function cancelBooking(deps: BookingServiceDeps, actor: Actor, bookingId: string, input: { reason: string }, key?: ActionKey): Promise<BookingView> {
  return act(deps, actor, bookingId, cancelUpdate, { reason: input.reason }, key);
}

export async function orderAddOns(
  deps: BookingServiceDeps,
  actor: Actor,
  bookingId: string,
  input: { items: { code: AddOnCode; quantity?: number; note?: string | null }[] },
  key?: ActionKey,
): Promise<BookingView> {
  const { roomId } = await assertVisible(deps, actor, bookingId);
  const catalog = await loadRoomForBooking(deps.prisma, roomId);
  const { errors, lines } = validateAddOnOrder(input.items ?? [], catalog!.forRules);
  if (errors.length > 0) throw new DomainError('VALIDATION', 'The order is invalid', errors);
  const items = lines.map((line) => ({ code: line.code, quantity: line.quantity, note: line.note, listPrice: line.unitPrice }));
  return act(deps, actor, bookingId, orderAddOnsUpdate, { items }, key);
}

export function submitAddOns(deps: BookingServiceDeps, actor: Actor, bookingId: string, input: { note?: string | null } = {}, key?: ActionKey): Promise<BookingView> {
  return act(deps, actor, bookingId, submitAddOnsUpdate, { note: input.note ?? null }, key);
}

export async function recordCallback(
  deps: BookingServiceDeps,
  actor: Actor,
  bookingId: string,
  input: { outcome: CallbackOutcome; note?: string | null; changes?: RecordCallbackInput['changes']; attempt?: number },
  key?: ActionKey,
): Promise<BookingView> {
  const attendees = input.changes?.attendees;
  if (attendees !== undefined) {
    const { roomId } = await assertVisible(deps, actor, bookingId);
    const catalog = await loadRoomForBooking(deps.prisma, roomId);
    const { capacity } = catalog!.room;
    if (!Number.isInteger(attendees) || attendees < 1) throw new DomainError('VALIDATION', 'Attendees out of range', [attendeesRangeError('changes.attendees', capacity)]);
    if (attendees > capacity) throw new DomainError('VALIDATION', 'Too many attendees for the room', [overCapacityError('changes.attendees', capacity)]);
  }
  return act(deps, actor, bookingId, recordCallbackUpdate, { outcome: input.outcome, note: input.note ?? null, changes: input.changes, ...(input.attempt !== undefined ? { attempt: input.attempt } : {}) }, key);
}

export function decideAddOn(
  deps: BookingServiceDeps,
  actor: Actor,
  bookingId: string,
  input: { code: AddOnCode; decision: 'APPROVED' | 'DECLINED'; price?: number; note?: string | null },
  key?: ActionKey,
): Promise<BookingView> {
  return act(deps, actor, bookingId, decideAddOnUpdate, { code: input.code, decision: input.decision, price: input.price, note: input.note ?? null }, key);
}

export async function confirmBooking(deps: BookingServiceDeps, actor: Actor, bookingId: string, input: { note?: string | null } = {}, key?: ActionKey): Promise<BookingView> {
  try {
    return await act(deps, actor, bookingId, confirmUpdate, { note: input.note ?? null }, key);
  } catch (error) {
    if (error instanceof DomainError && error.type === 'INVALID_STATE' && error.message === ADDONS_UNDECIDED_REFUSAL) {
      throw new DomainError('INVALID_STATE', error.message, [ADDONS_UNDECIDED]);
    }
    throw error;
  }
}

/** Why a confirmation was refused, when the reason is services still without a decision: the operator can act on it. */
export const ADDONS_UNDECIDED: FieldError = {
  field: 'addOns',
  code: 'ADDONS_UNDECIDED',
  messageRu: 'Сначала примите решение по каждой заказанной услуге, затем подтвердите бронь.',
  messageEn: 'Decide on every ordered service first, then confirm the booking.',
};

export function rejectBooking(deps: BookingServiceDeps, actor: Actor, bookingId: string, input: { reason: string }, key?: ActionKey): Promise<BookingView> {
  return act(deps, actor, bookingId, rejectUpdate, { reason: input.reason }, key);
}
