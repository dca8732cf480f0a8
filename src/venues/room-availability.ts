import type { PrismaClient } from '../db/client';
import { isoWeekdayOf, moscowInstant, toMoscowIso, VENUE_TIME_ZONE } from '../domain/moscow-time';

export interface TimeRange {
  start: string;
  end: string;
}

export interface RoomAvailability {
  roomId: number;
  date: string;
  timeZone: string;
  open: TimeRange[];
  busy: TimeRange[];
}

export interface AvailabilityRequest {
  roomId: number;
  /** A Moscow calendar date, YYYY-MM-DD. */
  date: string;
}

interface Row {
  i: bigint | number;
  opens_at_minute: number;
  closes_at_minute: number;
  open_weekdays: number[];
  starts_at: Date | null;
  ends_at: Date | null;
}

/**
 * Opening hours of rooms on Moscow calendar days, and the active holds within them, for any number
 * of (room, day) requests in one statement and one round trip. Read from the database on every
 * call: nothing here is cached, so a slot taken a moment before the call is busy in its answer.
 *
 * Each request is a row of `unnest(...) WITH ORDINALITY`; the room joins it, so an unknown room
 * gives no row (undefined, as before), and its holds are LEFT JOINed, so a room without holds
 * gives one row with NULL hold columns. The hold condition is the former Prisma query's (active,
 * starts before the day's end, ends after its start); the day's bounds are computed here as before
 * (moscowInstant) and sent as epoch milliseconds, which to_timestamp turns back into the same
 * instants. Holds come ordered by start: active holds of one room never overlap (the exclusion
 * constraint slot_holds_no_overlap), so no two of them share a start and the order is total.
 */
export async function roomAvailabilitiesSql(prisma: PrismaClient, requests: readonly AvailabilityRequest[]): Promise<(RoomAvailability | undefined)[]> {
  if (requests.length === 0) return [];
  const roomIds = requests.map((request) => request.roomId);
  const dayStarts = requests.map((request) => moscowInstant(request.date, 0).getTime());
  const dayEnds = requests.map((request) => moscowInstant(request.date, 24 * 60).getTime());
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT q.i, r.opens_at_minute, r.closes_at_minute, r.open_weekdays, h.starts_at, h.ends_at
    FROM unnest(${roomIds}::int[], ${dayStarts}::float8[], ${dayEnds}::float8[]) WITH ORDINALITY AS q(room_id, day_start_ms, day_end_ms, i)
    JOIN rooms r ON r.id = q.room_id
    LEFT JOIN slot_holds h
      ON h.room_id = r.id AND h.active AND h.starts_at < to_timestamp(q.day_end_ms / 1000) AND h.ends_at > to_timestamp(q.day_start_ms / 1000)
    ORDER BY q.i, h.starts_at`;

  const answers: (RoomAvailability | undefined)[] = new Array(requests.length).fill(undefined);
  for (const row of rows) {
    const index = Number(row.i) - 1;
    let answer = answers[index];
    if (!answer) {
      const { roomId, date } = requests[index];
      const open: TimeRange[] = row.open_weekdays.includes(isoWeekdayOf(date))
        ? [{ start: toMoscowIso(moscowInstant(date, row.opens_at_minute)), end: toMoscowIso(moscowInstant(date, row.closes_at_minute)) }]
        : [];
      answer = answers[index] = { roomId, date, timeZone: VENUE_TIME_ZONE, open, busy: [] };
    }
    if (row.starts_at !== null && row.ends_at !== null) answer.busy.push({ start: toMoscowIso(row.starts_at), end: toMoscowIso(row.ends_at) });
  }
  return answers;
}

/** One room on one day: roomAvailabilitiesSql for a single request. */
export async function roomAvailabilitySql(prisma: PrismaClient, roomId: number, date: string): Promise<RoomAvailability | undefined> {
  return (await roomAvailabilitiesSql(prisma, [{ roomId, date }]))[0];
}

export interface AvailabilityBatcherOptions {
  /** Most requests in one statement; default 100. */
  maxBatch?: number;
}

/**
 * Answers availability requests in batches: the requests that arrive within one turn of the event
 * loop (under load, every request Node parsed in that turn) share one statement, which is sent
 * once that turn is over. Every request is thus answered by a statement that began after the
 * request arrived, so it sees every hold committed before it — the freshness of a query of its own,
 * at a fraction of the per-query cost. A failed statement fails each request of its batch with
 * the same error, as its own query would have.
 */
export function createAvailabilityBatcher(prisma: PrismaClient, options: AvailabilityBatcherOptions = {}) {
  const maxBatch = options.maxBatch ?? 100;
  interface Pending extends AvailabilityRequest {
    resolve(answer: RoomAvailability | undefined): void;
    reject(error: unknown): void;
  }
  let queue: Pending[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(maxBatch);
      roomAvailabilitiesSql(prisma, batch).then(
        (answers) => batch.forEach((pending, index) => pending.resolve(answers[index])),
        (error: unknown) => batch.forEach((pending) => pending.reject(error)),
      );
    }
  }

  return function roomAvailability(roomId: number, date: string): Promise<RoomAvailability | undefined> {
    return new Promise((resolve, reject) => {
      queue.push({ roomId, date, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  };
}
