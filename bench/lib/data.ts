import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { BookingRequestBody } from '../../src/domain/booking-request';
import { isoWeekdayOf, moscowInstant, toMoscow } from '../../src/domain/moscow-time';

/** Bench data straight in SQL: sessions as the auth service stores them, free slots, bulk bookings. */

export async function withPg<T>(url: string, action: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `count` residents, each signed in: a session row keyed by the SHA-256 of a random token,
 * exactly as the auth service's signIn() writes it. Returns the cookies.
 */
export async function createResidentSessions(url: string, count: number, label: string): Promise<string[]> {
  return withPg(url, async (client) => {
    const cookies: string[] = [];
    const users: string[] = [];
    const sessions: [string, string][] = [];
    for (let index = 0; index < count; index += 1) {
      const id = randomUUID();
      const token = randomBytes(32).toString('base64url');
      users.push(id);
      sessions.push([sha256(token), id]);
      cookies.push(`opendk_session=${token}`);
    }
    await client.query(
      `INSERT INTO users (id, email, role) SELECT u::uuid, $2 || '.' || ord || '@bench.test', 'RESIDENT' FROM unnest($1::text[]) WITH ORDINALITY AS t(u, ord)`,
      [users, `${label}.${Date.now()}`],
    );
    await client.query(
      `INSERT INTO sessions (id, user_id, created_at, expires_at) SELECT s, u::uuid, now(), now() + interval '1 day' FROM unnest($1::text[], $2::text[]) AS t(s, u)`,
      [sessions.map(([hash]) => hash), sessions.map(([, user]) => user)],
    );
    return cookies;
  });
}

/** A session for a seeded staff account (e.g. operator@opendk.test). */
export async function createStaffSession(url: string, email: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await withPg(url, (client) =>
    client.query(`INSERT INTO sessions (id, user_id, created_at, expires_at) SELECT $1, id, now(), now() + interval '1 day' FROM users WHERE email = $2`, [sha256(token), email]),
  );
  return `opendk_session=${token}`;
}

export interface RoomRow {
  id: number;
  capacity: number;
  opens: number;
  closes: number;
  weekdays: number[];
  addOns: string[];
}

export async function loadRooms(url: string): Promise<RoomRow[]> {
  return withPg(url, async (client) => {
    const { rows } = await client.query<RoomRow>(
      `SELECT r.id, r.capacity, r.opens_at_minute AS opens, r.closes_at_minute AS closes, r.open_weekdays AS weekdays,
              coalesce(array_agg(a.code::text ORDER BY a.code) FILTER (WHERE a.code IS NOT NULL), '{}') AS "addOns"
         FROM rooms r LEFT JOIN venue_addons a ON a.venue_id = r.venue_id
        GROUP BY r.id ORDER BY r.id`,
    );
    return rows;
  });
}

/** The Moscow calendar date `days` from now. */
export const moscowDate = (days: number) => toMoscow(new Date(Date.now() + days * 86_400_000)).date;

export function bodyFor(room: RoomRow, date: string, startMinute: number, durationMinutes: number, extra: Partial<BookingRequestBody> = {}): BookingRequestBody {
  return {
    roomId: room.id,
    startsAt: moscowInstant(date, startMinute).toISOString(),
    endsAt: moscowInstant(date, startMinute + durationMinutes).toISOString(),
    eventTitle: 'Репетиция хора «Подмосковные вечера»',
    eventType: 'REHEARSAL',
    attendees: Math.min(10, room.capacity),
    contactPhone: '8 (916) 123-45-67',
    comment: 'Нужно пианино',
    ...extra,
  };
}

/**
 * `count` distinct one-hour slots that satisfy the production slot rules (lead, horizon, opening
 * hours, half-hour steps), on days [fromDay, toDay) from now, spread over rooms: the rooms are
 * the outer loop of each hour, so consecutive requests hit different rooms.
 */
export function freeSlots(rooms: RoomRow[], count: number, fromDay: number, toDay: number, extra?: (room: RoomRow) => Partial<BookingRequestBody> | null): BookingRequestBody[] {
  const bodies: BookingRequestBody[] = [];
  for (let day = fromDay; day < toDay && bodies.length < count; day += 1) {
    const date = moscowDate(day);
    const weekday = isoWeekdayOf(date);
    for (let minute = 0; minute + 60 <= 24 * 60 && bodies.length < count; minute += 60) {
      for (const room of rooms) {
        if (bodies.length >= count) break;
        if (!room.weekdays.includes(weekday) || minute < room.opens || minute + 60 > room.closes) continue;
        const more = extra ? extra(room) : {};
        if (more === null) continue;
        bodies.push(bodyFor(room, date, minute, 60, more));
      }
    }
  }
  if (bodies.length < count) throw new Error(`only ${bodies.length} of ${count} free slots on days ${fromDay}–${toDay}`);
  return bodies;
}

/**
 * `total` bookings with their active slot holds, one hour each, spread evenly over every room
 * on consecutive days starting `fromDay` days ahead (one per room per day: never overlapping).
 * Two statements with generate_series; the exclusion constraint checks every row.
 */
export async function insertBulkBookings(url: string, total: number, fromDay: number): Promise<{ inserted: number; seconds: number; days: number }> {
  return withPg(url, async (client) => {
    const started = Date.now();
    const { rows } = await client.query<{ rooms: string }>('SELECT count(*) AS rooms FROM rooms');
    const days = Math.ceil(total / Number(rows[0].rooms));
    const residentId = randomUUID();
    await client.query(`INSERT INTO users (id, email, role) VALUES ($1, $2, 'RESIDENT')`, [residentId, `bulk.${Date.now()}@bench.test`]);
    await client.query('BEGIN');
    await client.query(
      `WITH numbered AS (
         SELECT r.id AS room_id, r.venue_id, v.district_id, r.price_per_hour_kopecks AS price, k,
                row_number() OVER (ORDER BY k, r.id) AS n
           FROM rooms r JOIN venues v ON v.id = r.venue_id CROSS JOIN generate_series(0, $2 - 1) AS k
       ), chosen AS (
         SELECT *, date_trunc('day', now() AT TIME ZONE 'Europe/Moscow') AT TIME ZONE 'Europe/Moscow'
                   + make_interval(days => $3 + k, hours => 12) AS starts_at
           FROM numbered WHERE n <= $1
       ), inserted AS (
         INSERT INTO bookings (id, code, workflow_id, resident_id, room_id, venue_id, district_id, starts_at, ends_at,
                               event_title, event_type, attendees, contact_phone, status, room_price_kopecks,
                               idempotency_key, request_hash, created_at, updated_at)
         SELECT gen_random_uuid(), 'BULK-' || n, 'bulk-' || n, $4::uuid, room_id, venue_id, district_id, starts_at, starts_at + interval '1 hour',
                'Массовая бронь ' || n, 'MEETING', 5, '+79161234567',
                (ARRAY['AWAITING_CALLBACK','ADDONS','AWAITING_CONFIRMATION','CONFIRMED']::"BookingStatus"[])[1 + n % 4],
                price, 'bulk-' || n, md5(n::text), now(), now()
           FROM chosen
         RETURNING id, room_id, starts_at, ends_at
       )
       INSERT INTO slot_holds (id, booking_id, room_id, starts_at, ends_at, active, created_at)
       SELECT gen_random_uuid(), id, room_id, starts_at, ends_at, true, now() FROM inserted`,
      [total, days, fromDay, residentId],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE bookings; ANALYZE slot_holds');
    const { rows: counted } = await client.query<{ count: string }>(`SELECT count(*) FROM bookings WHERE code LIKE 'BULK-%'`);
    return { inserted: Number(counted[0].count), seconds: (Date.now() - started) / 1000, days };
  });
}

/** Overlapping active holds in the given rooms (a self-join on slot_holds): must be none. */
export async function overlappingHolds(url: string, roomIds: number[]): Promise<number> {
  return withPg(url, async (client) => {
    const { rows } = await client.query<{ count: string }>(
      `SELECT count(*) FROM slot_holds a JOIN slot_holds b
          ON a.room_id = b.room_id AND a.id < b.id AND a.active AND b.active
         AND tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(b.starts_at, b.ends_at, '[)')
       WHERE a.room_id = ANY($1::int[])`,
      [roomIds],
    );
    return Number(rows[0].count);
  });
}
