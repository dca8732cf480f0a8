import type { PrismaClient } from '../db/client';
import { ADDON_NAME_RU, type AddOnCode, type AddOnStatus } from '../domain/addons';
import type { Actor } from '../domain/actor';
import { DomainError } from '../domain/errors';
import { STATUS_LABEL_RU, type BookingStatus, type SlaState } from '../domain/status';

export interface BookingAddOnView {
  code: AddOnCode;
  nameRu: string;
  quantity: number;
  note: string | null;
  status: AddOnStatus;
  /** Kopecks: list price per unit, list total, and the price staff approved (whole line). */
  listPrice: number;
  listTotal: number;
  price: number | null;
  decisionNote: string | null;
  orderedAt: string;
  decidedAt: string | null;
  cancelledAt: string | null;
}

export interface TimelineEventView {
  type: string;
  fromStatus: BookingStatus | null;
  toStatus: BookingStatus | null;
  actorRole: string;
  actorId: string | null;
  note: string | null;
  data: unknown;
  occurredAt: string;
}

export interface BookingView {
  id: string;
  code: string;
  workflowId: string;
  residentId: string;
  status: BookingStatus;
  statusLabelRu: string;
  room: { id: number; name: string; capacity: number };
  venue: { id: number; name: string; address: string };
  district: { id: number; name: string };
  startsAt: string;
  endsAt: string;
  eventTitle: string;
  eventType: string;
  attendees: number;
  contactPhone: string;
  contactName: string | null;
  comment: string | null;
  /** Kopecks: room, approved add-ons, total. */
  prices: { room: number; addOns: number; total: number };
  /** Deadline of the current human task and its SLA state. */
  dueAt: string | null;
  slaState: SlaState | null;
  callbackAttempts: number;
  calledBackAt: string | null;
  createdAt: string;
  updatedAt: string;
  addOns: BookingAddOnView[];
  timeline: TimelineEventView[];
}

/**
 * Reminders and escalations of a staff deadline: how the service chases its operators, not a step
 * of the resident's application (and "the task was escalated" only worries the resident).
 */
export const STAFF_ONLY_EVENTS = ['SLA_REMINDED', 'SLA_ESCALATED', 'SLA_OVERDUE'] as const;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * Reads the booking with its add-ons and timeline in one statement (joined), so all of it is one
 * snapshot without a transaction: an interactive one cost three more round trips and, with the
 * pool busy, failed after Prisma's 2 s wait to start one, where a plain query waits its turn.
 * A resident `viewer` sees neither STAFF_ONLY_EVENTS nor the SLA state.
 */
export async function loadBookingView(prisma: PrismaClient, bookingId: string, viewer?: Actor): Promise<BookingView> {
  const row = await prisma.booking.findUnique({
    relationLoadStrategy: 'join',
    where: { id: bookingId },
    include: {
      room: true,
      venue: true,
      district: true,
      addOns: { orderBy: { orderedAt: 'asc' } },
      events: { where: viewer?.role === 'RESIDENT' ? { type: { notIn: [...STAFF_ONLY_EVENTS] } } : {}, orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] },
    },
  });
  if (!row) throw new DomainError('NOT_FOUND', 'Booking not found');
  const approved = row.addOns.filter((line) => line.status === 'APPROVED').reduce((sum, line) => sum + (line.price ?? 0), 0);
  return {
    id: row.id,
    code: row.code,
    workflowId: row.workflowId,
    residentId: row.residentId,
    status: row.status,
    statusLabelRu: STATUS_LABEL_RU[row.status],
    room: { id: row.room.id, name: row.room.name, capacity: row.room.capacity },
    venue: { id: row.venue.id, name: row.venue.name, address: row.venue.address },
    district: { id: row.district.id, name: row.district.name },
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    eventTitle: row.eventTitle,
    eventType: row.eventType,
    attendees: row.attendees,
    contactPhone: row.contactPhone,
    contactName: row.contactName,
    comment: row.comment,
    prices: { room: row.roomPrice, addOns: approved, total: row.roomPrice + approved },
    dueAt: iso(row.dueAt),
    // Like the SLA_* events: how late the staff are is theirs to see.
    slaState: viewer?.role === 'RESIDENT' ? null : ((row.slaState as SlaState | null) ?? null),
    callbackAttempts: row.callbackAttempts,
    calledBackAt: iso(row.calledBackAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    addOns: row.addOns.map((line) => ({
      code: line.code,
      nameRu: ADDON_NAME_RU[line.code],
      quantity: line.quantity,
      note: line.note,
      status: line.status,
      listPrice: line.listPrice,
      listTotal: line.listPrice * line.quantity,
      price: line.price,
      decisionNote: line.decisionNote,
      orderedAt: line.orderedAt.toISOString(),
      decidedAt: iso(line.decidedAt),
      cancelledAt: iso(line.cancelledAt),
    })),
    timeline: row.events.map((event) => ({
      type: event.type,
      fromStatus: event.fromStatus,
      toStatus: event.toStatus,
      actorRole: event.actorRole,
      actorId: event.actorId,
      note: event.note,
      data: event.data,
      occurredAt: event.occurredAt.toISOString(),
    })),
  };
}
