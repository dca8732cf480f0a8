import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { bookingExtensions } from '../../src/api/compose';
import type { HealthProbe } from '../../src/api/health';
import { createAuthService, type AuthService } from '../../src/auth/auth-service';
import type { BookingStatus } from '../../src/domain/status';
import { createLogger } from '../../src/logger';
import { createCatalogService } from '../../src/venues/catalog-service';
import { startBookingHarness, type BookingHarness } from '../bookings/harness';
import { signIn } from '../support/app';

/**
 * The API's lists page by position (`after` a page's `next`): a client walking a list sees each
 * item that stays in it once, in order, while items are added before its position or leave the
 * list. Offset paging repeats or skips them then. Rows are written straight to the database:
 * the lists read nothing else.
 */
let harness: BookingHarness;
let auth: AuthService;
let app: Express;

const alwaysUp: HealthProbe = { check: async () => ({ database: 'up', temporal: 'up' }) };

beforeAll(async () => {
  harness = await startBookingHarness('list-paging');
  auth = createAuthService({ prisma: harness.prisma, mailer: harness.inbox.mailer });
  app = createApp({ logger: createLogger('silent'), auth, catalog: createCatalogService(harness.prisma), health: alwaysUp, secureCookies: false, extensions: bookingExtensions(harness.deps()) });
});

afterAll(async () => {
  await harness?.close();
});

interface Page {
  items: Record<string, unknown>[];
  total: number;
  offset: number;
  limit: number;
  next: string | null;
}

/** Follows `next` from the first page to the last, calling `between` with each page but the last once it is read. */
async function walk(path: string, cookie: string, limit: number, between: (page: Page) => Promise<void> = async () => {}): Promise<Page[]> {
  const pages: Page[] = [];
  let query = `limit=${limit}`;
  for (;;) {
    const response = await request(app).get(`${path}?${query}`).set('Cookie', cookie);
    expect(response.status).toBe(200);
    pages.push(response.body as Page);
    const next = (response.body as Page).next;
    if (next === null) return pages;
    if (pages.length > 50) throw new Error(`${path}: still a next page after 50`);
    await between(response.body as Page);
    query = `limit=${limit}&after=${encodeURIComponent(next)}`;
  }
}

let sequence = 0;
async function insertBooking(fields: { residentId: string; status: BookingStatus; createdAt: Date; dueAt?: Date | null; districtId?: number }): Promise<string> {
  const roomId = await harness.fixtures.newRoom();
  const id = randomUUID();
  const startsAt = new Date(Date.UTC(2031, 0, 10, 9) + ++sequence * 3_600_000);
  await harness.prisma.booking.create({
    data: {
      id,
      code: `P-${id.slice(0, 8)}`,
      workflowId: `paging-${id}`,
      residentId: fields.residentId,
      roomId,
      venueId: harness.fixtures.venueId,
      districtId: fields.districtId ?? harness.fixtures.districtId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3_600_000),
      eventTitle: 'Проверка списков',
      eventType: 'MEETING',
      attendees: 5,
      contactPhone: '+79990000000',
      status: fields.status,
      roomPrice: 0,
      idempotencyKey: id,
      requestHash: id,
      createdAt: fields.createdAt,
      dueAt: fields.dueAt ?? null,
    },
  });
  return id;
}

// In the past, so that what a test adds now is newer than its fixtures.
const T0 = Date.parse('2020-05-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

describe('a resident’s bookings', () => {
  it('when newer bookings arrive while the resident pages with next, then each earlier booking comes once, newest first, and offsets count what is before in the list as it is now', async () => {
    const resident = await harness.fixtures.newResident();
    const cookie = await signIn(auth, harness.inbox, resident.email);
    // Three share their creation time: their ids decide among them.
    // Finished bookings: the operator's queue below holds only its own test's.
    for (const minutes of [0, 5, 5, 5, 9, 12, 20]) await insertBooking({ residentId: resident.id, status: 'CONFIRMED', createdAt: at(minutes) });
    const expected = await harness.prisma.booking.findMany({ where: { residentId: resident.id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } });

    const pages = await walk('/api/bookings', cookie, 2, async () => {
      await insertBooking({ residentId: resident.id, status: 'CANCELLED', createdAt: new Date() });
    });

    expect(pages.flatMap((page) => page.items.map((item) => item.id))).toEqual(expected.map((row) => row.id));
    // Each page is counted in the list as it is then: one more booking above it each time.
    expect(pages.map((page) => [page.offset, page.total])).toEqual([[0, 7], [3, 8], [6, 9], [9, 10]]);
    expect(pages.map((page) => page.items.length)).toEqual([2, 2, 2, 1]);
  });

  it('when the list ends on a full page, then that page has no next', async () => {
    const resident = await harness.fixtures.newResident();
    const cookie = await signIn(auth, harness.inbox, resident.email);
    for (const minutes of [1, 2, 3, 4]) await insertBooking({ residentId: resident.id, status: 'CONFIRMED', createdAt: at(minutes) });
    const pages = await walk('/api/bookings', cookie, 2);
    expect(pages.map((page) => page.items.length)).toEqual([2, 2]);
    // Offset paging gives the same position.
    const second = await request(app).get('/api/bookings?limit=2&offset=2').set('Cookie', cookie);
    expect(second.body).toMatchObject({ offset: 2, next: null, items: pages[1].items });
  });
});

describe('an operator’s task queue', () => {
  it('when tasks already seen are handled while the operator pages, then no task still open is skipped or repeated, and those without a deadline come last', async () => {
    const cookie = await signIn(auth, harness.inbox, harness.fixtures.operator.email);
    const resident = harness.fixtures.resident.id;
    // Ties on the deadline, on the deadline and the creation time (the id decides), and more tasks
    // without a deadline than a page holds, so that a page ends on one and the next goes on.
    const tasks: [Date | null, Date][] = [
      [at(30), at(1)], [at(30), at(1)], [at(30), at(1)], [at(30), at(2)], [at(45), at(0)], [at(60), at(0)],
      [null, at(5)], [null, at(5)], [null, at(5)], [null, at(5)], [null, at(6)],
    ];
    for (const [index, [dueAt, createdAt]] of tasks.entries()) {
      await insertBooking({ residentId: resident, status: index % 2 ? 'AWAITING_CALLBACK' : 'AWAITING_CONFIRMATION', createdAt, dueAt });
    }
    // Another district's task and a finished booking are not in this operator's queue.
    await insertBooking({ residentId: resident, status: 'AWAITING_CALLBACK', createdAt: at(0), dueAt: at(1), districtId: harness.fixtures.otherDistrictId });
    await insertBooking({ residentId: resident, status: 'CONFIRMED', createdAt: at(0), dueAt: at(1) });
    const queue = { status: { in: ['AWAITING_CALLBACK', 'AWAITING_CONFIRMATION'] as BookingStatus[] }, districtId: harness.fixtures.districtId };
    const expected = await harness.prisma.booking.findMany({
      where: queue,
      orderBy: [{ dueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true },
    });
    expect(expected).toHaveLength(tasks.length);

    const pages = await walk('/api/operator/tasks', cookie, 3, async (page) => {
      // A colleague confirms two of the three tasks just read; the third stays open, before the position.
      const done = page.items.slice(0, 2).map((item) => item.bookingId as string);
      await harness.prisma.booking.updateMany({ where: { id: { in: done } }, data: { status: 'CONFIRMED', dueAt: null } });
    });

    expect(pages.flatMap((page) => page.items.map((item) => item.bookingId))).toEqual(expected.map((row) => row.id));
    expect(pages.map((page) => page.items.length)).toEqual([3, 3, 3, 2]);
    expect(pages.slice(2).flatMap((page) => page.items.map((item) => item.dueAt))).toEqual([null, null, null, null, null]);
    // Before each page: the one task per page still open. By offset, page 2 would have started two tasks late.
    expect(pages.map((page) => [page.offset, page.total])).toEqual([[0, 11], [1, 9], [2, 7], [3, 5]]);
  });
});

describe('the staff journal', () => {
  it('when entries a microsecond apart are paged while new ones arrive, then each comes once, newest first', async () => {
    const cookie = await signIn(auth, harness.inbox, harness.fixtures.admin.email);
    const { admin, operator } = harness.fixtures;
    // Within one millisecond: a JavaScript date would not tell them apart.
    for (const micros of [1, 2, 2, 3, 999]) {
      await harness.prisma.$executeRaw`INSERT INTO staff_changes (kind, subject_id, actor_id, district_ids, previous_district_ids, occurred_at)
        VALUES ('CHANGED', ${operator.id}::uuid, ${admin.id}::uuid, '{}', '{}', '2020-05-01 10:00:00.123'::timestamptz + ${micros} * interval '1 microsecond')`;
    }
    const expected = await harness.prisma.$queryRaw<{ id: string }[]>`SELECT id::text FROM staff_changes ORDER BY occurred_at DESC, id DESC`;

    const pages = await walk('/api/admin/staff/changes', cookie, 1, async () => {
      await harness.prisma.$executeRaw`INSERT INTO staff_changes (kind, subject_id, actor_id, district_ids, previous_district_ids)
        VALUES ('CHANGED', ${operator.id}::uuid, ${admin.id}::uuid, '{}', '{}')`;
    });

    expect(pages.flatMap((page) => page.items.map((item) => item.id))).toEqual(expected.map((row) => row.id));
    expect(pages.map((page) => page.offset)).toEqual(expected.map((_, index) => 2 * index));

    // A well-formed position naming no entry is refused rather than read as the journal's end.
    const unknown = await request(app).get(`/api/admin/staff/changes?after=${Buffer.from(JSON.stringify(['staff-journal', randomUUID()])).toString('base64url')}`).set('Cookie', cookie);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: 'query.after', message: 'Ссылка на продолжение списка повреждена или относится к другому списку; откройте список с начала' }]);
  });
});

describe('a position that is not one', () => {
  it('when after is damaged, from another list, or given with an offset, then 400 names the field in Russian and English', async () => {
    const cookie = await signIn(auth, harness.inbox, harness.fixtures.operator.email);
    const [first] = await walk('/api/bookings', await signIn(auth, harness.inbox, harness.fixtures.resident.email), 1);
    const aBookingsPosition = first.next ?? Buffer.from(JSON.stringify(['bookings', 0, randomUUID()])).toString('base64url');
    const forged = (...parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    const refused = [
      'not-base64!',
      // Would be a position, but longer than any the service hands out.
      Buffer.from(`["tasks",null,${Date.now()},"${randomUUID()}"${' '.repeat(120)}]`).toString('base64url'),
      forged('tasks', 1, 2),
      forged('tasks', 1, Date.now(), 'not-a-uuid'),
      forged('tasks', null, 8.64e15, randomUUID()),
      forged('tasks', null, Date.now(), randomUUID(), 'extra'),
      aBookingsPosition,
    ];
    for (const after of refused) {
      const response = await request(app).get(`/api/operator/tasks?after=${encodeURIComponent(after)}`).set('Cookie', cookie);
      expect({ after, status: response.status }).toEqual({ after, status: 400 });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.errors).toEqual([{ field: 'query.after', message: 'Ссылка на продолжение списка повреждена или относится к другому списку; откройте список с начала' }]);
    }
    const inEnglish = await request(app).get('/api/operator/tasks?after=abc').set('Cookie', cookie).set('Accept-Language', 'en');
    expect(inEnglish.body.errors).toEqual([{ field: 'query.after', message: 'The position to continue the list from is damaged or belongs to another list; load the list from its start' }]);
    const both = await request(app).get(`/api/operator/tasks?offset=1&after=${forged('tasks', null, Date.now(), randomUUID())}`).set('Cookie', cookie);
    expect(both.status).toBe(400);
    expect(both.body.errors).toEqual([{ field: 'query.after', message: 'Укажите либо offset, либо after, но не оба сразу' }]);
    // A well-formed position past every task is an empty last page.
    const past = await request(app).get(`/api/operator/tasks?after=${forged('tasks', null, Date.parse('9999-01-01'), randomUUID())}`).set('Cookie', cookie);
    expect(past.body).toMatchObject({ items: [], next: null });
  });
});
