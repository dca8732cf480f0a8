import { WithStartWorkflowOperation } from '@temporalio/client';
import type { BookingRequestBody } from '../domain/booking-request';
import { DomainError } from '../domain/errors';
import { formatMoscow } from '../domain/moscow-time';
import { PRODUCTION_POLICY } from '../domain/policy';
import { quotePrice } from '../domain/price';
import { DEFAULT_SLOT_RULES, validateBookingRequest } from '../domain/slot-rules';
import type { bookingWorkflow } from '../../workflows/booking.workflow';
import { BOOKING_WORKFLOW_TYPE, SUBMIT_UPDATE_ID, submitUpdate, type BookingWorkflowInput } from '../../workflows/booking.messages';
import { loadRoomForBooking } from './catalog';
import type { BookingServiceDeps } from './deps';
import { toDomainError } from './errors';
import { bookingCodeFor, bookingIdFor, requestHashOf, workflowIdFor } from './ids';
import { loadBookingView, type BookingView } from './view';

export interface SubmitBookingCommand {
  residentId: string;
  idempotencyKey: string;
  body: BookingRequestBody;
}

/**
 * Validates the request against the catalog, then runs Update-with-Start: the workflow
 * `booking-<uuid>` starts (or is reused) and its `submit` update holds the slot, so the resident
 * learns synchronously whether the slot is theirs. Throws DomainError: VALIDATION, SLOT_TAKEN,
 * IDEMPOTENCY_MISMATCH, UNAVAILABLE.
 */
export async function submitBooking(deps: BookingServiceDeps, command: SubmitBookingCommand): Promise<BookingView> {
  const { residentId, idempotencyKey, body } = command;
  if (typeof idempotencyKey !== 'string' || idempotencyKey.length < 1 || idempotencyKey.length > 200) {
    throw new DomainError('VALIDATION', 'Idempotency-Key must be 1–200 characters', [
      { field: 'Idempotency-Key', code: 'INVALID_IDEMPOTENCY_KEY', messageRu: 'Нужен заголовок Idempotency-Key (1–200 символов)', messageEn: 'An Idempotency-Key header of 1–200 characters is required' },
    ]);
  }
  const requestHash = requestHashOf(body);
  const bookingId = bookingIdFor(residentId, idempotencyKey);

  // A replay of a request that already made a booking: answer from the database, start nothing.
  const existing = await deps.prisma.booking.findUnique({ where: { id: bookingId }, select: { requestHash: true } });
  if (existing) {
    if (existing.requestHash !== requestHash) throw mismatch();
    return loadBookingView(deps.prisma, bookingId);
  }

  const catalog = await loadRoomForBooking(deps.prisma, body?.roomId);
  if (!catalog) {
    throw new DomainError('VALIDATION', 'Unknown room', [{ field: 'roomId', code: 'UNKNOWN_ROOM', messageRu: 'Такого зала нет', messageEn: 'No such room' }]);
  }
  const now = deps.now?.() ?? new Date();
  const checked = validateBookingRequest(body, catalog.forRules, now, deps.slotRules ?? DEFAULT_SLOT_RULES);
  if (!checked.ok) throw new DomainError('VALIDATION', 'The booking request is invalid', checked.errors);
  const request = checked.value;
  const price = quotePrice({ startsAt: request.startsAt, endsAt: request.endsAt, pricePerHour: catalog.room.pricePerHour, addOns: request.addOns });

  const input: BookingWorkflowInput = {
    bookingId,
    code: bookingCodeFor(bookingId),
    residentId,
    roomId: catalog.room.id,
    venueId: catalog.venue.id,
    districtId: catalog.district.id,
    districtName: catalog.district.name,
    startsAt: request.startsAt.toISOString(),
    endsAt: request.endsAt.toISOString(),
    policy: deps.policy ?? PRODUCTION_POLICY,
  };
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof bookingWorkflow>(BOOKING_WORKFLOW_TYPE, {
    workflowId: workflowIdFor(bookingId),
    taskQueue: deps.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: `${catalog.room.name}, ${catalog.venue.name}, ${formatMoscow(request.startsAt)}`,
  });
  let result;
  try {
    result = await deps.temporal.workflow.executeUpdateWithStart(submitUpdate, {
      updateId: SUBMIT_UPDATE_ID,
      args: [
        {
          actor: { id: residentId, role: 'RESIDENT', districtIds: [] },
          eventTitle: request.eventTitle,
          eventType: request.eventType,
          attendees: request.attendees,
          contactPhone: request.contactPhone,
          comment: request.comment,
          roomPrice: price.roomPrice,
          idempotencyKey,
          requestHash,
          addOns: request.addOns.map((line) => ({ code: line.code, quantity: line.quantity, note: line.note, listPrice: line.unitPrice })),
        },
      ],
      startWorkflowOperation,
    });
  } catch (error) {
    throw toDomainError(error);
  }
  // The same key raced in with another body: the first body won.
  if (result.requestHash !== requestHash) throw mismatch();
  return loadBookingView(deps.prisma, result.bookingId);
}

function mismatch(): DomainError {
  return new DomainError('IDEMPOTENCY_MISMATCH', 'This Idempotency-Key was already used with a different request');
}
