import { canSeeBooking, type Actor } from '../domain/actor';
import { DomainError } from '../domain/errors';
import { HUMAN_TASK_STATUSES, STATUS_LABEL_RU, type BookingStatus, type SlaState } from '../domain/status';
import type { BookingServiceDeps } from './deps';
import { loadBookingView, type BookingView } from './view';
import { isUuid } from '../domain/uuid';

export interface BookingSummary {
  id: string;
  code: string;
  status: BookingStatus;
  statusLabelRu: string;
  eventTitle: string;
  venueName: string;
  roomName: string;
  startsAt: string;
  endsAt: string;
  dueAt: string | null;
  createdAt: string;
}

/** How many items one page of a list holds, unless asked otherwise. */
export const LIST_PAGE_SIZE = 100;

/** A slice of a list: `offset` items skipped, at most `limit` given, and how many there are in all. */
export interface ListPage<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

export interface PageRequest {
  offset?: number;
  limit?: number;
}

/** The resident's own bookings, newest first, a page at a time. */
export async function listResidentBookings(deps: BookingServiceDeps, residentId: string, { offset = 0, limit = LIST_PAGE_SIZE }: PageRequest = {}): Promise<ListPage<BookingSummary>> {
  const [rows, total] = await Promise.all([
    deps.prisma.booking.findMany({
      where: { residentId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      include: { venue: { select: { name: true } }, room: { select: { name: true } } },
      skip: offset,
      take: limit,
    }),
    deps.prisma.booking.count({ where: { residentId } }),
  ]);
  const items = rows.map((row) => ({
    id: row.id,
    code: row.code,
    status: row.status,
    statusLabelRu: STATUS_LABEL_RU[row.status],
    eventTitle: row.eventTitle,
    venueName: row.venue.name,
    roomName: row.room.name,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    dueAt: row.dueAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  }));
  return { items, total, offset, limit };
}

/** The booking for its owner, an operator of its district or an admin; NOT_FOUND for anyone else. */
export async function getBookingForActor(deps: BookingServiceDeps, actor: Actor, bookingId: string): Promise<BookingView> {
  await assertVisible(deps, actor, bookingId);
  return loadBookingView(deps.prisma, bookingId, actor);
}

export async function assertVisible(deps: BookingServiceDeps, actor: Actor, bookingId: string): Promise<{ workflowId: string; residentId: string; districtId: number; venueId: number; roomId: number }> {
  const row = isUuid(bookingId)
    ? await deps.prisma.booking.findUnique({ where: { id: bookingId }, select: { workflowId: true, residentId: true, districtId: true, venueId: true, roomId: true } })
    : null;
  if (!row || !canSeeBooking(actor, row)) throw new DomainError('NOT_FOUND', 'Booking not found');
  return row;
}

export type OperatorTaskKind = 'CALLBACK' | 'ADDONS' | 'CONFIRMATION';

export interface OperatorTask {
  bookingId: string;
  code: string;
  kind: OperatorTaskKind;
  status: BookingStatus;
  dueAt: string | null;
  slaState: SlaState | null;
  callbackAttempts: number;
  /** Ordered services still waiting for a staff decision. */
  pendingAddOns: number;
  districtId: number;
  districtName: string;
  venueName: string;
  roomName: string;
  startsAt: string;
  endsAt: string;
}

const TASK_KIND: Partial<Record<BookingStatus, OperatorTaskKind>> = {
  AWAITING_CALLBACK: 'CALLBACK',
  ADDONS: 'ADDONS',
  AWAITING_CONFIRMATION: 'CONFIRMATION',
};

export type OperatorTaskPage = ListPage<OperatorTask>;

/** Open human tasks in the actor's districts (admins: all), earliest deadline first, a page at a time. */
export async function listOperatorTasks(
  deps: BookingServiceDeps,
  actor: Actor,
  { offset = 0, limit = LIST_PAGE_SIZE }: PageRequest = {},
): Promise<OperatorTaskPage> {
  if (actor.role === 'RESIDENT') throw new DomainError('FORBIDDEN', 'Only staff have tasks');
  const where = {
    status: { in: [...HUMAN_TASK_STATUSES] },
    ...(actor.role === 'OPERATOR' ? { districtId: { in: actor.districtIds } } : {}),
  };
  const [rows, total] = await Promise.all([
    deps.prisma.booking.findMany({
      where,
      // The id last: pages of an order with ties would repeat or skip tasks.
      orderBy: [{ dueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }, { id: 'asc' }],
      include: {
        district: { select: { name: true } },
        venue: { select: { name: true } },
        room: { select: { name: true } },
        addOns: { where: { status: 'REQUESTED' }, select: { code: true } },
      },
      skip: offset,
      take: limit,
    }),
    deps.prisma.booking.count({ where }),
  ]);
  const items = rows.map((row) => ({
    bookingId: row.id,
    code: row.code,
    kind: TASK_KIND[row.status]!,
    status: row.status,
    dueAt: row.dueAt?.toISOString() ?? null,
    slaState: (row.slaState as SlaState | null) ?? null,
    callbackAttempts: row.callbackAttempts,
    pendingAddOns: row.addOns.length,
    districtId: row.districtId,
    districtName: row.district.name,
    venueName: row.venue.name,
    roomName: row.room.name,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
  }));
  return { items, total, offset, limit };
}
