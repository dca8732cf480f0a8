import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { HealthProbe } from '../../src/api/health';
import { startTestApp, type TestApp } from '../support/app';
import { insertHeldBooking } from '../support/held-booking';
import { startTestInbox, type TestInbox } from '../support/smtp';

let inbox: TestInbox;
let testApp: TestApp;

beforeAll(async () => {
  inbox = await startTestInbox();
  testApp = await startTestApp({ mailer: inbox.mailer });
});

afterAll(async () => {
  await testApp.close();
  await inbox.close();
});

describe('health', () => {
  it('when PostgreSQL and Temporal answer, then /api/health is 200 with both up', async () => {
    const response = await request(testApp.app).get('/api/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', database: 'up', temporal: 'up' });
  });

  it('when a dependency is down, then /api/health is 503 with Retry-After and names it', async () => {
    const temporalDown: HealthProbe = { check: async () => ({ database: 'up', temporal: 'down' }) };
    const degraded = await startTestApp({ mailer: inbox.mailer, health: temporalDown });
    try {
      const response = await request(degraded.app).get('/api/health').expect(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.body).toMatchObject({ status: 'degraded', temporal: 'down', database: 'up' });
    } finally {
      await degraded.close();
    }
  });
});

describe('catalog', () => {
  it('when districts are listed, then the region is covered and the counts add up to the catalog', async () => {
    const response = await request(testApp.app).get('/api/districts').expect(200);
    expect(response.body.length).toBeGreaterThanOrEqual(40);
    const names = response.body.map((district: { name: string }) => district.name);
    expect(names).toEqual(expect.arrayContaining(['Орехово-Зуевский', 'Дмитровский', 'Можайский']));
    const total = response.body.reduce((sum: number, district: { venueCount: number }) => sum + district.venueCount, 0);
    expect(total).toBe(await testApp.prisma.venue.count());
    expect(total).toBeGreaterThanOrEqual(1200);
  });

  it('when venues are searched by district, capacity and add-on, then every item matches and pages are consistent', async () => {
    const dmitrov = await testApp.prisma.district.findFirstOrThrow({ where: { name: 'Дмитровский' } });
    const query = { district: dmitrov.id, minCapacity: 100, addOn: 'CATERING', pageSize: 5 };
    const first = await request(testApp.app).get('/api/venues').query(query).expect(200);
    expect(first.body.total).toBeGreaterThan(0);
    expect(first.body.items.length).toBeLessThanOrEqual(5);
    for (const venue of first.body.items) {
      expect(venue.district.id).toBe(dmitrov.id);
      expect(venue.maxCapacity).toBeGreaterThanOrEqual(100);
      expect(venue.addOns).toContain('CATERING');
    }
    const expectedTotal = await testApp.prisma.venue.count({
      where: { districtId: dmitrov.id, rooms: { some: { capacity: { gte: 100 } } }, addOns: { some: { code: 'CATERING' } } },
    });
    expect(first.body.total).toBe(expectedTotal);
    // The seeded catalog has more than one page of these, so the second page is really compared.
    expect(expectedTotal).toBeGreaterThan(5);
    expect(first.body.items).toHaveLength(5);
    const second = await request(testApp.app).get('/api/venues').query({ ...query, page: 2 }).expect(200);
    expect(second.body.items.length).toBe(Math.min(5, expectedTotal - 5));
    const firstIds = first.body.items.map((venue: { id: number }) => venue.id);
    for (const venue of second.body.items) expect(firstIds).not.toContain(venue.id);
  });

  it('when venues are searched by text, then matching is case-insensitive on name or address', async () => {
    const sample = await testApp.prisma.venue.findFirstOrThrow({ orderBy: { id: 'asc' } });
    const word = sample.name.split(/\s+/).find((part) => part.length > 4) ?? sample.name;
    const response = await request(testApp.app).get('/api/venues').query({ q: word.toUpperCase(), pageSize: 100 }).expect(200);
    expect(response.body.items.map((venue: { id: number }) => venue.id)).toContain(sample.id);
  });

  it('when a venue is searched the way people type it (no quotes or hyphens, words in any order, with its address or district), then it is found', async () => {
    const sample = await testApp.prisma.venue.findFirstOrThrow({ where: { name: { contains: '«' }, address: { contains: 'ул.' } }, include: { district: true }, orderBy: { id: 'asc' } });
    const quoted = /«([^»]+)»/.exec(sample.name)![1];
    const street = /ул\. ([^,]+), д\. (\d+)/.exec(sample.address)!;
    const kind = sample.name.split('«')[0].trim();
    const queries = [
      `${kind.replace(/-/g, ' ')} "${quoted}"`,
      `${quoted} ${kind}`,
      `${quoted}, ул. ${street[1]}, ${street[2]}`,
      `${quoted} ${sample.district.name}`,
    ];
    for (const q of queries) {
      const response = await request(testApp.app).get('/api/venues').query({ q, pageSize: 100 }).expect(200);
      expect({ q, found: response.body.items.map((venue: { id: number }) => venue.id).includes(sample.id) }).toEqual({ q, found: true });
    }
  });

  it('when the query has an unknown parameter or a bad value, then 400 names each field', async () => {
    const response = await request(testApp.app).get('/api/venues').query({ pageSize: 1000, sort: 'name' }).expect(400);
    const fields = response.body.errors.map((error: { field: string }) => error.field).sort();
    expect(fields).toEqual(['query.pageSize', 'query.sort']);
  });

  it('when a venue is opened, then it has its rooms and add-ons with prices; an unknown one is 404', async () => {
    const venue = await testApp.prisma.venue.findFirstOrThrow({ include: { rooms: true, addOns: true }, orderBy: { id: 'asc' } });
    const response = await request(testApp.app).get(`/api/venues/${venue.id}`).expect(200);
    expect(response.body.rooms).toHaveLength(venue.rooms.length);
    expect(response.body.rooms[0]).toEqual(
      expect.objectContaining({ capacity: expect.any(Number), pricePerHour: expect.any(Number), equipment: expect.any(Array) }),
    );
    expect(response.body.addOns.map((addOn: { code: string }) => addOn.code).sort()).toEqual(venue.addOns.map((addOn) => addOn.code).sort());
    expect(response.body.addOns[0]).toEqual(expect.objectContaining({ name: expect.any(String), price: expect.any(Number) }));
    // Both languages for each add-on's name and description, as the service stores them.
    const service = await testApp.prisma.addOnService.findUniqueOrThrow({ where: { code: response.body.addOns[0].code } });
    expect(response.body.addOns[0]).toMatchObject({ name: service.nameRu, nameEn: service.nameEn, description: service.descriptionRu, descriptionEn: service.descriptionEn });

    const missing = await request(testApp.app).get('/api/venues/999999999').expect(404);
    expect(missing.body.title).toBe('Не найдено');
    await request(testApp.app).get('/api/venues/abc').expect(400);
  });
});

describe('room availability', () => {
  it('when a room has an active and a released hold on a day, then only the active one is busy, in Moscow time', async () => {
    const room = await testApp.prisma.room.findFirstOrThrow({ where: { openWeekdays: { has: 3 } }, include: { venue: true }, orderBy: { id: 'asc' } });
    // 2031-01-01 is a Wednesday (ISO weekday 3).
    const date = '2031-01-01';
    const user = await testApp.prisma.user.create({ data: { email: `availability.${randomUUID()}@example.test` } });
    const makeBooking = (startsAt: string, endsAt: string, active: boolean) => insertHeldBooking(testApp.prisma, { roomId: room.id, residentId: user.id, startsAt, endsAt, active });
    await makeBooking('2031-01-01T12:00:00+03:00', '2031-01-01T14:00:00+03:00', true);
    await makeBooking('2031-01-01T15:00:00+03:00', '2031-01-01T16:00:00+03:00', false);

    const response = await request(testApp.app).get(`/api/rooms/${room.id}/availability`).query({ date }).expect(200);
    const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    expect(response.body).toEqual({
      roomId: room.id,
      date,
      timeZone: 'Europe/Moscow',
      open: [{ start: `${date}T${clock(room.opensAtMinute)}:00+03:00`, end: `${date}T${clock(room.closesAtMinute)}:00+03:00` }],
      busy: [{ start: '2031-01-01T12:00:00+03:00', end: '2031-01-01T14:00:00+03:00' }],
    });
  });

  it('when the date is missing or not a real day, then 400; an unknown room is 404', async () => {
    const room = await testApp.prisma.room.findFirstOrThrow({ orderBy: { id: 'asc' } });
    await request(testApp.app).get(`/api/rooms/${room.id}/availability`).expect(400);
    const bad = await request(testApp.app).get(`/api/rooms/${room.id}/availability`).query({ date: '2031-02-30' }).expect(400);
    expect(bad.body.errors[0]).toEqual({ field: 'query.date', message: 'Укажите существующую дату в формате ГГГГ-ММ-ДД (1900–9999 год)' });
    // Years the service does not reason about (0–99 once read as 1900–1999; before 1 the driver fails).
    for (const date of ['0000-01-01', '0050-06-01', '1899-12-31', '2031-13-01']) {
      await request(testApp.app).get(`/api/rooms/${room.id}/availability`).query({ date }).expect(400);
    }
    await request(testApp.app).get('/api/rooms/999999999/availability').query({ date: '2031-01-01' }).expect(404);
  });
});
