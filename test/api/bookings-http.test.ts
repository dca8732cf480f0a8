import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { bookingExtensions } from '../../src/api/compose';
import type { HealthProbe } from '../../src/api/health';
import { createAuthService } from '../../src/auth/auth-service';
import { moscowInstant, toMoscow } from '../../src/domain/moscow-time';
import { createLogger } from '../../src/logger';
import { createCatalogService } from '../../src/venues/catalog-service';
import { startBookingHarness, type BookingHarness } from '../bookings/harness';
import { bookingBody, newKey } from '../bookings/requests';
import { signIn } from '../support/app';

/**
 * The booking routes over HTTP: the real app, the real worker and Temporal server, real
 * PostgreSQL and SMTP. What is proven here is the HTTP contract (statuses, problems, access);
 * the workflow's paths are proven in test/bookings.
 */
let harness: BookingHarness;
let app: Express;
const PEOPLE = ['resident', 'otherResident', 'operator', 'otherOperator', 'admin'] as const;
const cookies = {} as Record<(typeof PEOPLE)[number], string>;

/** Slots tomorrow at noon, Moscow time, stay inside a room's day whenever the suite runs. */
const untilTomorrowNoonMs = () => moscowInstant(toMoscow(new Date(Date.now() + 86_400_000)).date, 12 * 60).getTime() - Date.now();

const alwaysUp: HealthProbe = { check: async () => ({ database: 'up', temporal: 'up' }) };

beforeAll(async () => {
  harness = await startBookingHarness('http');
  const auth = createAuthService({ prisma: harness.prisma, mailer: harness.inbox.mailer });
  app = createApp({
    logger: createLogger('silent'),
    auth,
    catalog: createCatalogService(harness.prisma),
    health: alwaysUp,
    secureCookies: false,
    extensions: bookingExtensions(harness.deps()),
  });
  for (const who of PEOPLE) cookies[who] = await signIn(auth, harness.inbox, harness.fixtures[who].email);
});

afterAll(async () => {
  await harness?.close();
});

const post = (path: string, cookie: string) => request(app).post(path).set('Cookie', cookie);

async function submit(roomId: number, cookie = cookies.resident, key = newKey(), body = bookingBody(roomId, untilTomorrowNoonMs())) {
  return post('/api/bookings', cookie).set('Idempotency-Key', key).send(body);
}

describe('POST /api/bookings', () => {
  it('when a resident submits a free slot, then 201 with the booking, a Location, and the same key replays it', async () => {
    const roomId = await harness.fixtures.newRoom();
    const key = newKey();
    const body = bookingBody(roomId, untilTomorrowNoonMs());
    const created = await submit(roomId, cookies.resident, key, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'AWAITING_CALLBACK', code: expect.any(String) });
    expect(created.headers.location).toBe(`/api/bookings/${created.body.id}`);

    const replay = await submit(roomId, cookies.resident, key, body);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(created.body.id);
    expect(await harness.prisma.booking.count({ where: { roomId } })).toBe(1);

    // What the refused body would have changed; the workflow may move other columns meanwhile.
    const requestFields = { id: true, attendees: true, requestHash: true, eventTitle: true } as const;
    const stored = await harness.prisma.booking.findUniqueOrThrow({ where: { id: created.body.id }, select: requestFields });
    const changed = await submit(roomId, cookies.resident, key, { ...body, attendees: body.attendees + 1 });
    expect(changed.status).toBe(422);
    expect(changed.body.code).toBe('idempotency-key-reused');
    // The refused body left the booking as the first request made it.
    expect(await harness.prisma.booking.findMany({ where: { roomId }, select: requestFields })).toEqual([stored]);
  });

  it('when a resident gives a name to ask for, then the operator reads it with the phone; without one it is null; too long is refused', async () => {
    const roomId = await harness.fixtures.newRoom();
    const key = newKey();
    const body = bookingBody(roomId, untilTomorrowNoonMs(), 3_600_000, { contactName: '  Анна Сергеевна ' });
    const created = await submit(roomId, cookies.resident, key, body);
    expect(created.status).toBe(201);
    expect(created.body.contactName).toBe('Анна Сергеевна');
    const seen = await request(app).get(`/api/bookings/${created.body.id}`).set('Cookie', cookies.operator);
    expect(seen.body).toMatchObject({ contactName: 'Анна Сергеевна', contactPhone: '+79161234567' });
    // The name is part of the request its key was used for.
    expect((await submit(roomId, cookies.resident, key, { ...body, contactName: 'Мария' })).body.code).toBe('idempotency-key-reused');
    expect((await harness.prisma.booking.findUniqueOrThrow({ where: { id: created.body.id } })).contactName).toBe('Анна Сергеевна');

    const unnamedRoom = await harness.fixtures.newRoom();
    const unnamed = await submit(unnamedRoom, cookies.resident, newKey(), bookingBody(unnamedRoom, untilTomorrowNoonMs()));
    expect(unnamed.body.contactName).toBeNull();

    const longRoom = await harness.fixtures.newRoom();
    const tooLong = await submit(longRoom, cookies.resident, newKey(), bookingBody(longRoom, untilTomorrowNoonMs(), 3_600_000, { contactName: 'Я'.repeat(101) }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors.map((error: { field: string }) => error.field)).toEqual(['body.contactName']);
    expect(await harness.prisma.booking.count({ where: { roomId: longRoom } })).toBe(0);
  });

  it('when the slot is held, then another resident gets 409 slot-taken in Russian', async () => {
    const roomId = await harness.fixtures.newRoom();
    const body = bookingBody(roomId, untilTomorrowNoonMs());
    expect((await submit(roomId, cookies.resident, newKey(), body)).status).toBe(201);
    const holdsBefore = await harness.prisma.slotHold.findMany({ where: { roomId } });
    const second = await submit(roomId, cookies.otherResident, newKey(), { ...body, eventTitle: 'Другое событие' });
    expect(second.status).toBe(409);
    expect(second.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(second.body).toMatchObject({ code: 'slot-taken', title: 'Это время уже занято' });
    expect(await harness.prisma.booking.count({ where: { roomId, residentId: harness.fixtures.otherResident.id } })).toBe(0);
    expect(await harness.prisma.slotHold.findMany({ where: { roomId } })).toEqual(holdsBefore);
  });

  it('when thirty residents submit one slot at once, then exactly one gets 201 and the rest 409, none 5xx', async () => {
    const roomId = await harness.fixtures.newRoom();
    const body = bookingBody(roomId, untilTomorrowNoonMs());
    const residents = await Promise.all(Array.from({ length: 30 }, () => harness.fixtures.newResident()));
    const auth = createAuthService({ prisma: harness.prisma, mailer: harness.inbox.mailer });
    const residentCookies = await Promise.all(residents.map((resident) => signIn(auth, harness.inbox, resident.email)));
    const responses = await Promise.all(residentCookies.map((cookie) => submit(roomId, cookie, newKey(), body)));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(29);
    expect(await harness.prisma.slotHold.count({ where: { roomId, active: true } })).toBe(1);
  });

  it('when the body is malformed or breaks the venue rules, then 400 / 422 name the fields and nothing is held', async () => {
    const roomId = await harness.fixtures.newRoom();
    const missingKey = await post('/api/bookings', cookies.resident).send(bookingBody(roomId, untilTomorrowNoonMs()));
    expect(missingKey.status).toBe(400);
    expect(missingKey.body.errors[0].field).toBe('headers.Idempotency-Key');

    const malformed = await submit(roomId, cookies.resident, newKey(), { ...bookingBody(roomId, untilTomorrowNoonMs()), attendees: 'many', extra: 1 } as never);
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['body.attendees', 'body.extra']);

    const tooMany = await submit(roomId, cookies.resident, newKey(), bookingBody(roomId, untilTomorrowNoonMs(), 3_600_000, { attendees: 10_000, contactPhone: '12' }));
    expect(tooMany.status).toBe(422);
    const fields = tooMany.body.errors.map((error: { field: string }) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['attendees', 'contactPhone']));
    expect(await harness.prisma.slotHold.count({ where: { roomId } })).toBe(0);
  });

  it('when staff or an anonymous client submit, then 403 / 401 and nothing is booked or held', async () => {
    const roomId = await harness.fixtures.newRoom();
    expect((await submit(roomId, cookies.operator)).status).toBe(403);
    expect((await request(app).post('/api/bookings').set('Idempotency-Key', newKey()).send(bookingBody(roomId, untilTomorrowNoonMs()))).status).toBe(401);
    expect(await harness.prisma.booking.count({ where: { roomId } })).toBe(0);
    expect(await harness.prisma.slotHold.count({ where: { roomId } })).toBe(0);
  });
});

describe('access to a booking', () => {
  let bookingId: string;
  beforeAll(async () => {
    const created = await submit(await harness.fixtures.newRoom());
    bookingId = created.body.id;
  });

  it('when the owner, an operator of the district or an admin read it, then 200; anyone else gets 404', async () => {
    for (const who of ['resident', 'operator', 'admin'] as const) {
      expect((await request(app).get(`/api/bookings/${bookingId}`).set('Cookie', cookies[who])).status).toBe(200);
    }
    for (const who of ['otherResident', 'otherOperator'] as const) {
      expect((await request(app).get(`/api/bookings/${bookingId}`).set('Cookie', cookies[who])).status).toBe(404);
    }
    expect((await request(app).get('/api/bookings/not-a-uuid').set('Cookie', cookies.resident)).status).toBe(404);
  });

  it('when another resident cancels or orders on it, then 404 and the booking is unchanged', async () => {
    expect((await post(`/api/bookings/${bookingId}/cancel`, cookies.otherResident).send({ reason: 'чужая' })).status).toBe(404);
    expect((await post(`/api/bookings/${bookingId}/addons`, cookies.otherResident).send({ addOns: [{ code: 'CATERING' }] })).status).toBe(404);
    const booking = await harness.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } });
    expect(booking.status).toBe('AWAITING_CALLBACK');
  });

  it('when an operator acts outside the district, or out of turn, then 404 / 409 and nothing changes', async () => {
    const elsewhere = await post(`/api/operator/bookings/${bookingId}/callback`, cookies.otherOperator).send({ outcome: 'AGREED', attempt: 1 });
    expect(elsewhere.status).toBe(404);
    const early = await post(`/api/operator/bookings/${bookingId}/confirm`, cookies.operator).send({});
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('invalid-state');
    // The deadline's reminder (half a minute after the booking) may come on a slow run: the actions' events do not.
    const events = await harness.prisma.bookingEvent.count({ where: { bookingId, type: { not: { startsWith: 'SLA_' } } } });
    expect(events).toBe(1);
  });

  it('when the operator sends the same "no answer" twice, then the second is 409 and counts no attempt; without the attempt number, 400', async () => {
    const roomId = await harness.fixtures.newRoom();
    const id = (await submit(roomId)).body.id;
    const callback = (body: object) => post(`/api/operator/bookings/${id}/callback`, cookies.operator).send(body);

    const unnumbered = await callback({ outcome: 'NO_ANSWER' });
    expect(unnumbered.status).toBe(400);
    expect(unnumbered.body.errors.map((error: { field: string }) => error.field)).toContain('body.attempt');
    const changedWithoutAgreeing = await callback({ outcome: 'NO_ANSWER', attempt: 1, changes: { attendees: 5 } });
    expect(changedWithoutAgreeing.status).toBe(400);
    expect(changedWithoutAgreeing.body.errors).toEqual([{ field: 'body.changes', message: 'Изменения принимаются только с исходом AGREED' }]);
    expect((await callback({ outcome: 'NO_ANSWER', attempt: 1 })).status).toBe(200);
    const repeated = await callback({ outcome: 'NO_ANSWER', attempt: 1 });
    expect(repeated.status).toBe(409);
    expect(repeated.body.code).toBe('invalid-state');
    const booking = await harness.prisma.booking.findUniqueOrThrow({ where: { id } });
    expect(booking.callbackAttempts).toBe(1);
    expect(await harness.prisma.bookingEvent.count({ where: { bookingId: id, type: 'CALLBACK_NO_ANSWER' } })).toBe(1);
  });

  it('when an action is sent again with its Idempotency-Key, then it gets the first answer and happens once; the key with another request, or no key, is a new action', async () => {
    const id = (await submit(await harness.fixtures.newRoom())).body.id;
    const callback = (key: string | undefined, body: object) => {
      const sent = post(`/api/operator/bookings/${id}/callback`, cookies.operator);
      return (key === undefined ? sent : sent.set('Idempotency-Key', key)).send(body);
    };
    const key = newKey();
    const first = await callback(key, { outcome: 'AGREED', attempt: 1 });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('ADDONS');
    // Its answer lost, the operator presses again: the same outcome, nothing done twice.
    const again = await callback(key, { outcome: 'AGREED', attempt: 1 });
    expect({ status: again.status, booking: again.body.status }).toEqual({ status: 200, booking: 'ADDONS' });
    const otherRequest = await callback(key, { outcome: 'AGREED', attempt: 1, note: 'другая заявка под тем же ключом' });
    expect({ status: otherRequest.status, code: otherRequest.body.code }).toEqual({ status: 409, code: 'invalid-state' });
    expect((await callback(undefined, { outcome: 'AGREED', attempt: 1 })).status).toBe(409);
    expect(await harness.prisma.bookingEvent.count({ where: { bookingId: id, type: 'CALLBACK_AGREED' } })).toBe(1);

    const malformed = await post(`/api/bookings/${id}/cancel`, cookies.resident).set('Idempotency-Key', 'k'.repeat(201)).send({ reason: 'передумали' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((error: { field: string }) => error.field)).toEqual(['headers.Idempotency-Key']);
    expect((await harness.prisma.booking.findUniqueOrThrow({ where: { id } })).status).toBe('ADDONS');
  });

  it('when a resident calls operator or admin routes, then 403', async () => {
    expect((await request(app).get('/api/operator/tasks').set('Cookie', cookies.resident)).status).toBe(403);
    expect((await post(`/api/operator/bookings/${bookingId}/callback`, cookies.resident).send({ outcome: 'AGREED', attempt: 1 })).status).toBe(403);
    expect((await request(app).get('/api/admin/stats').query({ from: '2026-01-01', to: '2027-01-01' }).set('Cookie', cookies.operator)).status).toBe(403);
  });
});

describe('the whole path over HTTP', () => {
  it('when the operator agrees, approves a service with a price and confirms, then the resident sees CONFIRMED with the timeline', async () => {
    const roomId = await harness.fixtures.newRoom();
    const created = await submit(roomId, cookies.resident, newKey(), bookingBody(roomId, untilTomorrowNoonMs(), 3_600_000, { addOns: [{ code: 'CATERING', quantity: 2 }] }));
    expect(created.status).toBe(201);
    const id = created.body.id;

    const tasks = await request(app).get('/api/operator/tasks').set('Cookie', cookies.operator).expect(200);
    expect(tasks.body.items.map((task: { bookingId: string }) => task.bookingId)).toContain(id);

    await post(`/api/operator/bookings/${id}/callback`, cookies.operator).send({ outcome: 'AGREED', attempt: 1, note: 'Созвонились' }).expect(200);
    await post(`/api/bookings/${id}/addons/submit`, cookies.resident).send({}).expect(200);
    // Confirming before every service is decided is refused, saying so, and changes nothing.
    const early = await post(`/api/operator/bookings/${id}/confirm`, cookies.operator).set('Accept-Language', 'en').send({});
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'invalid-state', detail: 'Decide on every ordered service first, then confirm the booking.', errors: [{ field: 'addOns' }] });
    expect((await harness.prisma.booking.findUniqueOrThrow({ where: { id } })).status).toBe('AWAITING_CONFIRMATION');
    const decided = await post(`/api/operator/bookings/${id}/addons/CATERING/decision`, cookies.operator).send({ decision: "APPROVED", price: 500_000 });
    expect(decided.status).toBe(200);
    const confirmed = await post(`/api/operator/bookings/${id}/confirm`, cookies.operator).send({}).expect(200);
    expect(confirmed.body.status).toBe('CONFIRMED');

    const view = await request(app).get(`/api/bookings/${id}`).set('Cookie', cookies.resident).expect(200);
    expect(view.body.status).toBe('CONFIRMED');
    expect(view.body.addOns[0]).toMatchObject({ code: 'CATERING', status: 'APPROVED', price: 500_000 });
    expect(view.body.timeline.length).toBeGreaterThanOrEqual(4);

    const mine = await request(app).get('/api/bookings').set('Cookie', cookies.resident).expect(200);
    expect(mine.body.items.map((item: { id: string }) => item.id)).toContain(id);
    // A page at a time: the newest first, with how many there are in all.
    const newest = await request(app).get('/api/bookings').query({ limit: 1 }).set('Cookie', cookies.resident).expect(200);
    expect(newest.body).toMatchObject({ items: [mine.body.items[0]], total: mine.body.total, offset: 0, limit: 1 });
    expect((await request(app).get('/api/bookings').query({ limit: 0 }).set('Cookie', cookies.resident)).status).toBe(400);

    // Moscow days, both ends included: a range that ends today holds today's bookings.
    const [yesterday, today] = [Date.now() - 86_400_000, Date.now()].map((at) => toMoscow(new Date(at)).date);
    const stats = await request(app).get('/api/admin/stats').query({ from: yesterday, to: today }).set('Cookie', cookies.admin).expect(200);
    const district = stats.body.districts.find((row: { districtId: number }) => row.districtId === harness.fixtures.districtId);
    expect(district.confirmed).toBeGreaterThanOrEqual(1);
  });
});

describe('GET /api/admin/stats', () => {
  it.each([
    ['ends before it starts', { from: '2026-02-01', to: '2026-01-31' }, 'Конец периода не может быть раньше начала'],
    ['spans more than three years', { from: '2023-01-01', to: '2026-01-01' }, 'Период — не больше трёх лет'],
    ['spans centuries', { from: '1900-01-01', to: '9999-12-31' }, 'Период — не больше трёх лет'],
  ])('when the range %s, then 400 names query.to', async (_what, query, message) => {
    const response = await request(app).get('/api/admin/stats').query(query).set('Cookie', cookies.admin);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors).toEqual([{ field: 'query.to', message }]);
  });
});
