import { canSeeBooking, type Actor } from '../domain/actor';
import { DomainError } from '../domain/errors';
import { HUMAN_TASK_STATUSES, STATUS_LABEL_RU, type BookingStatus, type SlaState } from '../domain/status';
import type { BookingServiceDeps } from './deps';
import { loadBookingView, type BookingView } from './view';
import { isUuid } from '../domain/uuid';
import type { Prisma } from '../db/client';
import { listCursor } from '../domain/list-cursor';
import { afterKey, type OrderedValue } from '../db/keyset';

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

/**
 * A slice of a list: at most `limit` items, `offset` of the list's `total` before them, and
 * `next`, the position to ask for the following page by (`after`; null at the end).
 */
export interface ListPage<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
  next: string | null;
}

/** A page by `offset` (items to skip), or the page right `after` a position a page gave as `next`. */
export interface PageRequest<Key = never> {
  offset?: number;
  limit?: number;
  after?: Key;
}

/**
 * How many items come before a page: those skipped, or those not after its position. The two
 * counts are separate statements, so items added in between can put it off by as many.
 */
export const pagePosition = (total: number, remainingAfter: number | undefined, offset: number) =>
  remainingAfter === undefined ? offset : Math.max(0, total - remainingAfter);

/**
 * One page of the bookings `where` selects, as `read` orders them (by the columns `position`
 * names, if given): the rows from `offset`, or right after the position. Reads one row more than
 * the page to tell whether another follows; the counts give the page's offset.
 */
async function bookingsPage<Row>(
  deps: BookingServiceDeps,
  where: Prisma.BookingWhereInput,
  position: OrderedValue[] | undefined,
  { offset, limit }: { offset: number; limit: number },
  read: (range: { where: Prisma.BookingWhereInput; skip: number; take: number }) => Promise<Row[]>,
): Promise<{ rows: Row[]; total: number; offset: number; lastBeforeMore: Row | undefined }> {
  const rest = position ? { AND: [where, afterKey(position)] } : where;
  const [rows, total, remaining] = await Promise.all([
    read({ where: rest, skip: position ? 0 : offset, take: limit + 1 }),
    deps.prisma.booking.count({ where }),
    position ? deps.prisma.booking.count({ where: rest }) : undefined,
  ]);
  const page = rows.slice(0, limit);
  return { rows: page, total, offset: pagePosition(total, remaining, offset), lastBeforeMore: rows.length > limit ? page.at(-1) : undefined };
}

/** Positions in a resident's bookings: [created at, id]. */
export const residentBookingsCursor = listCursor('bookings', ['instant', 'uuid']);
type ResidentBookingsKey = NonNullable<ReturnType<typeof residentBookingsCursor.decode>>;

const newestFirst = ([createdAt, id]: ResidentBookingsKey): OrderedValue[] => [
  { field: 'createdAt', value: createdAt, order: 'desc' },
  { field: 'id', value: id, order: 'desc' },
];

/** The resident's own bookings, newest first, a page at a time. */
export async function listResidentBookings(
  deps: BookingServiceDeps,
  residentId: string,
  { offset = 0, limit = LIST_PAGE_SIZE, after }: PageRequest<ResidentBookingsKey> = {},
): Promise<ListPage<BookingSummary>> {
  const page = await bookingsPage(deps, { residentId }, after && newestFirst(after), { offset, limit }, (range) =>
    deps.prisma.booking.findMany({
      ...range,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      include: { venue: { select: { name: true } }, room: { select: { name: true } } },
    }),
  );
  const items = page.rows.map((row) => ({
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
  const last = page.lastBeforeMore;
  const next = last ? residentBookingsCursor.encode([last.createdAt, last.id]) : null;
  return { items, total: page.total, offset: page.offset, limit, next };
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

/**
 * Positions in the task queue: [due at, created at, id]. They hold the values, not the booking:
 * a task handled since moves on (a new deadline), and the next page still starts where it was.
 */
export const operatorTasksCursor = listCursor('tasks', ['instant?', 'instant', 'uuid']);
type OperatorTasksKey = NonNullable<ReturnType<typeof operatorTasksCursor.decode>>;

const earliestDueFirst = ([dueAt, createdAt, id]: OperatorTasksKey): OrderedValue[] => [
  { field: 'dueAt', value: dueAt, order: 'asc', nullable: true },
  { field: 'createdAt', value: createdAt, order: 'asc' },
  { field: 'id', value: id, order: 'asc' },
];

/** Open human tasks in the actor's districts (admins: all), earliest deadline first, a page at a time. */
export async function listOperatorTasks(
  deps: BookingServiceDeps,
  actor: Actor,
  { offset = 0, limit = LIST_PAGE_SIZE, after }: PageRequest<OperatorTasksKey> = {},
): Promise<OperatorTaskPage> {
  if (actor.role === 'RESIDENT') throw new DomainError('FORBIDDEN', 'Only staff have tasks');
  const where = {
    status: { in: [...HUMAN_TASK_STATUSES] },
    ...(actor.role === 'OPERATOR' ? { districtId: { in: actor.districtIds } } : {}),
  };
  const page = await bookingsPage(deps, where, after && earliestDueFirst(after), { offset, limit }, (range) =>
    deps.prisma.booking.findMany({
      ...range,
      // The id last: pages of an order with ties would repeat or skip tasks.
      orderBy: [{ dueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }, { id: 'asc' }],
      include: {
        district: { select: { name: true } },
        venue: { select: { name: true } },
        room: { select: { name: true } },
        addOns: { where: { status: 'REQUESTED' }, select: { code: true } },
      },
    }),
  );
  const items = page.rows.map((row) => ({
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
  const last = page.lastBeforeMore;
  const next = last ? operatorTasksCursor.encode([last.dueAt, last.createdAt, last.id]) : null;
  return { items, total: page.total, offset: page.offset, limit, next };
}
