/**
 * The booking workflow's public contract: input, updates and queries. Imported by the workflow,
 * the worker and the service layer (src/bookings). Payloads carry ids and decisions, and the
 * submission's details (phone, contact person, event title, comment), which the payload codec
 * encrypts (src/codec); the resident's e-mail never travels here — activities read it from the database.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../src/domain/actor';
import type { AddOnCode, AddOnLine } from '../src/domain/addons';
import type { EventType } from '../src/domain/booking-request';
import type { BookingPolicy } from '../src/domain/policy';
import type { BookingStatus, SlaState } from '../src/domain/status';
import type { WorkCalendar } from '../src/domain/work-calendar';

export const BOOKING_WORKFLOW_TYPE = 'bookingWorkflow';

export interface BookingWorkflowInput {
  bookingId: string;
  /** Application number shown to people, e.g. "ДК-7F3A-9C12-B4E0". */
  code: string;
  residentId: string;
  roomId: number;
  venueId: number;
  districtId: number;
  districtName: string;
  /** ISO-8601 instants. */
  startsAt: string;
  endsAt: string;
  policy: BookingPolicy;
  /**
   * The production calendar from the submission to well after the event, with office hours
   * (revision 5): the policy's working days skip its holidays, a count starts no earlier than
   * the next opening, and reminders fall in office hours. Absent in bookings started before,
   * which count Monday to Friday.
   */
  workCalendar?: WorkCalendar;
  /**
   * The workflow revision the service started this booking under (WORKFLOW_REVISION). From
   * revision 1 the behaviours added with patched() before it are simply on (workflows/patches.ts),
   * so a new booking's history carries no patch markers (each also costs a TemporalChangeVersion
   * visibility write). Absent in bookings started before, which still decide with patched().
   */
  revision?: number;
  /**
   * The request hash of the submission this run is for: set by the service at the start, and on
   * a run continued after a failed hold (revision 3). A submission with other details under the
   * same key is refused (IDEMPOTENCY_MISMATCH), as the service refuses it. Absent in runs started
   * before the service set it, which take the first submission that comes.
   */
  requestHash?: string;
}

/** See BookingWorkflowInput.revision. Bump only together with a recorded history generation. */
export const WORKFLOW_REVISION = 5;

export interface OrderedAddOn {
  code: AddOnCode;
  quantity: number;
  note: string | null;
  /** The venue's list price per unit, in kopecks, checked by the service against the catalog. */
  listPrice: number;
}

export interface SubmitInput {
  actor: Actor;
  eventTitle: string;
  eventType: EventType;
  attendees: number;
  contactPhone: string;
  /** Whom to ask for on the call-back; absent from submissions made before the field existed. */
  contactName?: string | null;
  comment: string | null;
  roomPrice: number;
  idempotencyKey: string;
  requestHash: string;
  addOns: OrderedAddOn[];
}

export interface SubmitResult {
  bookingId: string;
  status: BookingStatus;
  requestHash: string;
  /**
   * Set when this submission created the booking row (not a retry that found it): when it was
   * submitted and the call-back deadline, so the service can answer without reading the row back.
   * Absent from results recorded before they existed.
   */
  created?: boolean;
  submittedAt?: string;
  dueAt?: string;
}

export type CallbackOutcome = 'AGREED' | 'NO_ANSWER' | 'REJECTED';

export interface RecordCallbackInput {
  actor: Actor;
  outcome: CallbackOutcome;
  note?: string | null;
  /** Details agreed on the phone (only with AGREED). */
  changes?: { attendees?: number; eventTitle?: string; comment?: string | null };
  /**
   * Which call this outcome records (1 for the first), as the operator's page showed it. A second
   * NO_ANSWER from the same page (a double click, a retried request) is then refused instead of
   * counting as another attempt, which could expire the booking.
   */
  attempt?: number;
}

export interface OrderAddOnsInput {
  actor: Actor;
  items: OrderedAddOn[];
}

export interface DecideAddOnInput {
  actor: Actor;
  code: AddOnCode;
  decision: 'APPROVED' | 'DECLINED';
  /** Required with APPROVED: the price staff agreed, in kopecks (whole line, not per unit). */
  price?: number;
  note?: string | null;
}

export interface ActorOnlyInput {
  actor: Actor;
  note?: string | null;
}

export interface ReasonInput {
  actor: Actor;
  reason: string;
}

export interface ActionResult {
  status: BookingStatus;
}

export type HumanTaskKind = 'CALLBACK' | 'ADDONS' | 'CONFIRMATION';

export interface BookingSnapshot {
  status: BookingStatus | 'SUBMITTING' | 'NOT_HELD';
  task: { kind: HumanTaskKind; startedAt: string; dueAt: string; slaState: SlaState } | null;
  hardDeadline: string | null;
  callbackAttempts: number;
  addOns: AddOnLine[];
}

export const submitUpdate = defineUpdate<SubmitResult, [SubmitInput]>('submit');
export const recordCallbackUpdate = defineUpdate<ActionResult, [RecordCallbackInput]>('recordCallback');
export const orderAddOnsUpdate = defineUpdate<ActionResult, [OrderAddOnsInput]>('orderAddOns');
export const decideAddOnUpdate = defineUpdate<ActionResult, [DecideAddOnInput]>('decideAddOn');
export const submitAddOnsUpdate = defineUpdate<ActionResult, [ActorOnlyInput]>('submitAddOns');
export const confirmUpdate = defineUpdate<ActionResult, [ActorOnlyInput]>('confirm');
export const rejectUpdate = defineUpdate<ActionResult, [ReasonInput]>('reject');
export const cancelUpdate = defineUpdate<ActionResult, [ReasonInput]>('cancel');

export const bookingStateQuery = defineQuery<BookingSnapshot>('bookingState');

/** The update id of the submission, so a retried request gets the first answer. */
export const SUBMIT_UPDATE_ID = 'submit';
