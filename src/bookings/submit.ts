import { WithStartWorkflowOperation } from '@temporalio/client';
import type { Actor } from '../domain/actor';
import { ADDON_NAME_RU } from '../domain/addons';
import type { BookingRequestBody, ValidBookingRequest } from '../domain/booking-request';
import { DomainError } from '../domain/errors';
import { DB_INT_MAX } from '../db/limits';
import { formatMoscow } from '../domain/moscow-time';
import { PRODUCTION_POLICY } from '../domain/policy';
import { STATUS_LABEL_RU } from '../domain/status';
import { quotePrice } from '../domain/price';
import { DEFAULT_SLOT_RULES, validateBookingRequest, type RoomForRules } from '../domain/slot-rules';
import { russianWorkCalendar } from '../domain/work-calendar';
import type { bookingWorkflow } from '../../workflows/booking.workflow';
import { BOOKING_WORKFLOW_TYPE, SUBMIT_UPDATE_ID, submitUpdate, WORKFLOW_REVISION, type BookingWorkflowInput } from '../../workflows/booking.messages';
import { bookingPlaceAttributes } from '../../workflows/search-attributes';
import type { BookingServiceDeps } from './deps';
import { toDomainError } from './errors';
import { bookingCodeFor, bookingIdFor, requestHashOf, workflowIdFor } from './ids';
import { loadBookingView, type BookingView } from './view';

/** How long a submission may wait for its hold before the resident is told to try again. */
export const SUBMIT_DEADLINE_MS = 60_000;

/**
 * The stretch of the production calendar a booking carries. Every count of working days starts
 * before the event (after its hard deadline the booking expires) and spans a few weeks at most,
 * the New Year holidays included; it starts a day before the submission so that a worker whose
 * clock is behind the API's across Moscow midnight still counts from inside it.
 */
const CALENDAR_BEFORE_SUBMISSION_MS = 86_400_000;
const CALENDAR_BEYOND_EVENT_MS = 60 * 86_400_000;

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
  const prepared = await prepareSubmission(deps, command);
  if (prepared.kind === 'replay') return prepared.view;
  // Most losers of a contended slot are told here, from one indexed read, instead of each
  // starting a workflow whose hold then fails. The hold's exclusion constraint stays the judge:
  // a slot free here can still be lost to a concurrent submission there.
  if (prepared.slotHeld) throw slotTaken();
  return startSubmission(deps, prepared);
}

/** What a submission needs of its room: the rules, the price, and the names its answer shows. */
export interface RoomForBooking {
  room: { id: number; name: string; capacity: number; pricePerHour: number };
  venue: { id: number; name: string; address: string };
  district: { id: number; name: string };
  forRules: RoomForRules;
}

/** A request checked against the catalog and the rules, ready for its workflow. */
export interface PreparedSubmission {
  kind: 'new';
  command: SubmitBookingCommand;
  bookingId: string;
  requestHash: string;
  request: ValidBookingRequest;
  catalog: RoomForBooking;
  /**
   * An active hold overlapped the slot when the request was read (before any workflow): most
   * losers of a contended slot are told from this. A slot free here can still be lost.
   */
  slotHeld: boolean;
}

/** Validation, and the answer to a replayed request (a booking made by this key already). */
export async function prepareSubmission(deps: BookingServiceDeps, command: SubmitBookingCommand): Promise<PreparedSubmission | { kind: 'replay'; view: BookingView }> {
  const { residentId, idempotencyKey, body } = command;
  if (typeof idempotencyKey !== 'string' || idempotencyKey.length < 1 || idempotencyKey.length > 200) {
    throw new DomainError('VALIDATION', 'Idempotency-Key must be 1–200 characters', [
      { field: 'Idempotency-Key', code: 'INVALID_IDEMPOTENCY_KEY', messageRu: 'Нужен заголовок Idempotency-Key (1–200 символов)', messageEn: 'An Idempotency-Key header of 1–200 characters is required' },
    ]);
  }
  const requestHash = requestHashOf(body);
  const bookingId = bookingIdFor(residentId, idempotencyKey);

  // A replay of a request that already made a booking: answer from the database, start nothing.
  // One statement also brings the room (a new request needs it) and whether the slot is held.
  const read = await readSubmission(deps, bookingId, body);
  if (read.existingHash !== null) {
    if (read.existingHash !== requestHash) throw mismatch();
    return { kind: 'replay', view: await loadBookingView(deps.prisma, bookingId, residentViewer(residentId)) };
  }
  const catalog = read.catalog;
  if (!catalog) {
    throw new DomainError('VALIDATION', 'Unknown room', [{ field: 'roomId', code: 'UNKNOWN_ROOM', messageRu: 'Такого зала нет', messageEn: 'No such room' }]);
  }
  const now = deps.now?.() ?? new Date();
  const checked = validateBookingRequest(body, catalog.forRules, now, deps.slotRules ?? DEFAULT_SLOT_RULES);
  if (!checked.ok) throw new DomainError('VALIDATION', 'The booking request is invalid', checked.errors);
  return { kind: 'new', command, bookingId, requestHash, request: checked.value, catalog, slotHeld: read.slotHeld };
}

/**
 * The booking workflow's start input for a prepared submission. It carries the request's hash:
 * should the server keep the start and lose the submission, a retry under the same key with
 * other details meets a run that refuses it (IDEMPOTENCY_MISMATCH) rather than one that would
 * hold this request's room and times with that request's details.
 */
export function bookingWorkflowInput(deps: Pick<BookingServiceDeps, 'policy' | 'workCalendar' | 'now'>, prepared: PreparedSubmission): BookingWorkflowInput {
  const { command: { residentId }, bookingId, requestHash, request, catalog } = prepared;
  const calendarFor = deps.workCalendar ?? russianWorkCalendar;
  return {
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
    workCalendar: calendarFor(new Date((deps.now?.() ?? new Date()).getTime() - CALENDAR_BEFORE_SUBMISSION_MS), new Date(request.endsAt.getTime() + CALENDAR_BEYOND_EVENT_MS)),
    revision: WORKFLOW_REVISION,
    requestHash,
  };
}

/**
 * The Update-with-Start of a prepared submission; the hold decides. submitBooking checks the
 * slot before this; a caller that skips the check sees what a race's loser sees.
 */
export async function startSubmission(deps: BookingServiceDeps, prepared: PreparedSubmission): Promise<BookingView> {
  const { command: { residentId, idempotencyKey }, requestHash, request, catalog } = prepared;
  const price = quotePrice({ startsAt: request.startsAt, endsAt: request.endsAt, pricePerHour: catalog.room.pricePerHour, addOns: request.addOns });
  const input = bookingWorkflowInput(deps, prepared);
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof bookingWorkflow>(BOOKING_WORKFLOW_TYPE, {
    workflowId: workflowIdFor(input.bookingId),
    taskQueue: deps.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: bookingPlaceAttributes(input),
    staticSummary: `${catalog.room.name}, ${catalog.venue.name}, ${formatMoscow(request.startsAt)}`,
  });
  let result;
  try {
    // The resident waits for this answer; under a burst (hundreds at once for one slot) the holds
    // queue behind the database pool, so this call gets longer than the client's 10 s default.
    // An unreachable server still fails at once, which is what the default protects.
    const deadline = Date.now() + SUBMIT_DEADLINE_MS;
    result = await deps.temporal.connection.withDeadline(deadline, () => deps.temporal.workflow.executeUpdateWithStart(submitUpdate, {
      updateId: SUBMIT_UPDATE_ID,
      args: [
        {
          actor: { id: residentId, role: 'RESIDENT', districtIds: [] },
          eventTitle: request.eventTitle,
          eventType: request.eventType,
          attendees: request.attendees,
          contactPhone: request.contactPhone,
          contactName: request.contactName,
          comment: request.comment,
          roomPrice: price.roomPrice,
          idempotencyKey,
          requestHash,
          addOns: request.addOns.map((line) => ({ code: line.code, quantity: line.quantity, note: line.note, listPrice: line.unitPrice })),
        },
      ],
      startWorkflowOperation,
    }));
  } catch (error) {
    throw toDomainError(error);
  }
  // The same key raced in with another body: the first body won.
  if (result.requestHash !== requestHash) throw mismatch();
  // The hold just wrote the row from this very request: answer from what is known, without
  // reading it back. Anything else (a retried hold that found the row, an older workflow) reads it.
  if (result.created && result.status === 'AWAITING_CALLBACK' && result.submittedAt && result.dueAt) {
    return newBookingView({ input, request, catalog, roomPrice: price.roomPrice, submittedAt: result.submittedAt, dueAt: result.dueAt });
  }
  return loadBookingView(deps.prisma, result.bookingId, residentViewer(residentId));
}

const residentViewer = (residentId: string): Actor => ({ id: residentId, role: 'RESIDENT', districtIds: [] });

/**
 * The view of a booking its submission has just created, field for field what loadBookingView
 * reads back, for its resident, from the rows the hold activity wrote (activities/hold.activities.ts):
 * status AWAITING_CALLBACK, the ordered add-ons one millisecond apart, the SUBMITTED event.
 */
function newBookingView(known: {
  input: BookingWorkflowInput;
  request: ValidBookingRequest;
  catalog: RoomForBooking;
  roomPrice: number;
  submittedAt: string;
  dueAt: string;
}): BookingView {
  const { input, request, catalog, roomPrice, submittedAt, dueAt } = known;
  const at = new Date(submittedAt).getTime();
  return {
    id: input.bookingId,
    code: input.code,
    workflowId: workflowIdFor(input.bookingId),
    residentId: input.residentId,
    status: 'AWAITING_CALLBACK',
    statusLabelRu: STATUS_LABEL_RU.AWAITING_CALLBACK,
    room: { id: catalog.room.id, name: catalog.room.name, capacity: catalog.room.capacity },
    venue: { id: catalog.venue.id, name: catalog.venue.name, address: catalog.venue.address },
    district: { id: catalog.district.id, name: catalog.district.name },
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    eventTitle: request.eventTitle,
    eventType: request.eventType,
    attendees: request.attendees,
    contactPhone: request.contactPhone,
    contactName: request.contactName,
    comment: request.comment,
    prices: { room: roomPrice, addOns: 0, total: roomPrice },
    dueAt,
    slaState: null,
    callbackAttempts: 0,
    calledBackAt: null,
    createdAt: submittedAt,
    updatedAt: submittedAt,
    addOns: request.addOns.map((line, index) => ({
      code: line.code,
      nameRu: ADDON_NAME_RU[line.code],
      quantity: line.quantity,
      note: line.note,
      status: 'REQUESTED',
      listPrice: line.unitPrice,
      listTotal: line.unitPrice * line.quantity,
      price: null,
      decisionNote: null,
      orderedAt: new Date(at + index).toISOString(),
      decidedAt: null,
      cancelledAt: null,
    })),
    timeline: [
      {
        type: 'SUBMITTED',
        fromStatus: null,
        toStatus: 'AWAITING_CALLBACK',
        actorRole: 'RESIDENT',
        actorId: input.residentId,
        note: null,
        data: { addOns: request.addOns.map((line) => line.code), dueAt },
        occurredAt: submittedAt,
      },
    ],
  };
}

interface SubmissionRead {
  existingHash: string | null;
  catalog: RoomForBooking | null;
  slotHeld: boolean;
}

/**
 * In one statement: the booking this key already made (its request hash), the room with what
 * the rules and the answer need, and whether an active hold overlaps the requested slot (the
 * overlap the exclusion constraint slot_holds_no_overlap forbids: [startsAt, endsAt)).
 * The body is not validated yet: a room id or instant that cannot be one reads as nothing.
 */
async function readSubmission(deps: BookingServiceDeps, bookingId: string, body: BookingRequestBody | undefined): Promise<SubmissionRead> {
  const roomId = Number.isInteger(body?.roomId) && Math.abs(body!.roomId) <= DB_INT_MAX ? body!.roomId : null;
  const startsAt = instantOrNull(body?.startsAt);
  const endsAt = instantOrNull(body?.endsAt);
  // The room comes shaped as RoomForBooking, so nothing maps it again here.
  const [row] = await deps.prisma.$queryRaw<{ existing_hash: string | null; catalog: RoomForBooking | null; held: boolean }[]>`
    SELECT (SELECT request_hash FROM bookings WHERE id = ${bookingId}::uuid) AS existing_hash,
           (SELECT json_build_object(
                     'room', json_build_object('id', r.id, 'name', r.name, 'capacity', r.capacity, 'pricePerHour', r.price_per_hour_kopecks),
                     'venue', json_build_object('id', v.id, 'name', v.name, 'address', v.address),
                     'district', json_build_object('id', d.id, 'name', d.name),
                     'forRules', json_build_object(
                       'id', r.id, 'capacity', r.capacity, 'opensAtMinute', r.opens_at_minute, 'closesAtMinute', r.closes_at_minute,
                       'openWeekdays', r.open_weekdays,
                       'venueAddOns', COALESCE((SELECT json_agg(json_build_object('code', a.code, 'price', a.price_kopecks) ORDER BY a.code)
                                                  FROM venue_addons a WHERE a.venue_id = v.id), '[]'::json)))
              FROM rooms r JOIN venues v ON v.id = r.venue_id JOIN districts d ON d.id = v.district_id
             WHERE r.id = ${roomId}::int) AS catalog,
           EXISTS (SELECT 1 FROM slot_holds WHERE room_id = ${roomId}::int AND active
                      AND starts_at < ${endsAt}::timestamptz AND ends_at > ${startsAt}::timestamptz) AS held`;
  return { existingHash: row.existing_hash, catalog: row.catalog, slotHeld: row.held };
}

/** An instant PostgreSQL reads back as written (years 1–9999), or null. */
function instantOrNull(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const year = new Date(value).getUTCFullYear();
  return year >= 1 && year <= 9999 ? new Date(value) : null;
}

function slotTaken(): DomainError {
  return new DomainError('SLOT_TAKEN', 'The slot is already taken');
}

function mismatch(): DomainError {
  return new DomainError('IDEMPOTENCY_MISMATCH', 'This Idempotency-Key was already used with a different request');
}
