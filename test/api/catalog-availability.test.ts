import { randomUUID } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import request from 'supertest';
import { createPrismaClient, type PrismaClient } from '../../src/db/client';
import { isoWeekdayOf, moscowInstant, toMoscowIso, VENUE_TIME_ZONE } from '../../src/domain/moscow-time';
import { createCatalogService } from '../../src/venues/catalog-service';
import { roomAvailabilitiesSql, roomAvailabilitySql } from '../../src/venues/room-availability';
import { useTestApp } from '../support/app';
import { insertHeldBooking } from '../support/held-booking';
import { testDatabaseUrl } from '../support/db';

/**
 * Room availability is one raw SQL statement (room-availability.ts), shared by the requests that
 * arrive together. These tests hold it to the
 * answers of the Prisma queries it replaced (kept below as the reference) for rooms and days with
 * active and released holds, holds across midnight and on the day's edges, closed days and
 * unknown rooms; and prove that holds are never cached: a hold written or released between two
 * calls shows in the second one.
 */

interface TimeRange {
  start: string;
  end: string;
}

/** The former implementation (two Prisma queries), verbatim apart from its name and signature. */
async function referenceAvailability(prisma: PrismaClient, roomId: number, date: string) {
  const room = await prisma.room.findUnique({ where: { id: roomId } });
  if (!room) return undefined;
  const dayStart = moscowInstant(date, 0);
  const dayEnd = moscowInstant(date, 24 * 60);
  const open: TimeRange[] = room.openWeekdays.includes(isoWeekdayOf(date))
    ? [{ start: toMoscowIso(moscowInstant(date, room.opensAtMinute)), end: toMoscowIso(moscowInstant(date, room.closesAtMinute)) }]
    : [];
  const holds = await prisma.slotHold.findMany({
    where: { roomId, active: true, startsAt: { lt: dayEnd }, endsAt: { gt: dayStart } },
    orderBy: { startsAt: 'asc' },
    select: { startsAt: true, endsAt: true },
  });
  const busy = holds.map((hold) => ({ start: toMoscowIso(hold.startsAt), end: toMoscowIso(hold.endsAt) }));
  return { roomId, date, timeZone: VENUE_TIME_ZONE, open, busy };
}

let prisma: PrismaClient;
let residentId: string;

/** A booking with its hold; returns the hold's id. */
const addHold = (roomId: number, startsAt: string, endsAt: string, active: boolean) => insertHeldBooking(prisma, { roomId, residentId, startsAt, endsAt, active });

beforeAll(async () => {
  prisma = createPrismaClient(testDatabaseUrl());
  residentId = (await prisma.user.create({ data: { email: `availability-sql.${randomUUID()}@example.test` } })).id;
});

afterAll(async () => {
  await prisma.$disconnect();
});

describe('room availability in one statement', () => {
  // Days in 2034 that no other test books. 2034-03-06 is a Monday.
  const days = ['2034-03-05', '2034-03-06', '2034-03-07', '2034-03-08', '2034-03-09', '2034-03-10', '2034-03-11', '2034-03-12'];
  let cases: { roomId: number; date: string }[];

  beforeAll(async () => {
    const rooms = await prisma.room.findMany({ orderBy: { id: 'asc' } });
    const closedSomeDay = rooms.find((room) => room.openWeekdays.length < 7);
    const picked = [0, 1, 17, 101, 333, Math.floor(rooms.length / 2), rooms.length - 1].map((index) => rooms[index % rooms.length]);
    const sample = [...new Map([...picked, ...(closedSomeDay ? [closedSomeDay] : [])].map((room) => [room.id, room])).values()];
    const at = (date: string, clock: string) => `${date}T${clock}:00+03:00`;

    for (const [index, room] of sample.entries()) {
      const first = index % (days.length - 2);
      const [day, next, afterNext] = days.slice(first, first + 3);
      // Several active holds on one day, written out of order; released holds among and over them.
      await addHold(room.id, at(day, '15:00'), at(day, '16:30'), true);
      await addHold(room.id, at(day, '09:00'), at(day, '10:00'), true);
      await addHold(room.id, at(day, '12:00'), at(day, '13:15'), true);
      await addHold(room.id, at(day, '12:00'), at(day, '13:15'), false);
      await addHold(room.id, at(day, '10:30'), at(day, '11:00'), false);
      // Across midnight into the next day; one ending exactly at the next day's start (not that day's).
      await addHold(room.id, at(day, '22:00'), at(next, '01:00'), true);
      if (index % 2 === 0) await addHold(room.id, at(day, '20:00'), at(day, '22:00'), true);
      // A released hold over the whole next day, and one starting exactly at its end.
      await addHold(room.id, at(next, '00:00'), at(afterNext, '00:00'), false);
    }
    // A hold with milliseconds: toMoscowIso shows whole seconds, both ways alike.
    await addHold(sample[0].id, '2034-03-20T10:00:00.250+03:00', '2034-03-20T11:30:59.999+03:00', true);

    cases = [
      ...sample.flatMap((room) => [...days, '2034-03-13', '2034-03-20'].map((date) => ({ roomId: room.id, date }))),
      // Days far from any hold, and dates at the edges of what the API accepts.
      ...['1970-01-01', '2000-02-29', '2026-12-31', '9999-12-31'].map((date) => ({ roomId: sample[0].id, date })),
      // Unknown rooms.
      { roomId: 999_999_999, date: '2034-03-06' },
      { roomId: 2_147_483_647, date: '2034-03-06' },
    ];
  });

  const paths: [string, (roomId: number, date: string) => Promise<unknown>][] = [
    ['the service', (roomId, date) => createCatalogService(prisma).roomAvailability(roomId, date)],
    ['the service with the search snapshot off', (roomId, date) => createCatalogService(prisma, { searchSnapshotMaxAgeMs: 0 }).roomAvailability(roomId, date)],
    ['the single SQL statement', (roomId, date) => roomAvailabilitySql(prisma, roomId, date)],
  ];

  it.each(paths)('when %s is asked for many rooms and days, then each answer equals that of the former Prisma queries', async (_name, availabilityWith) => {
    let withBusy = 0;
    let closed = 0;
    let unknown = 0;
    for (const { roomId, date } of cases) {
      const [actual, expected] = await Promise.all([availabilityWith(roomId, date), referenceAvailability(prisma, roomId, date)]);
      expect({ roomId, date, result: actual }).toEqual({ roomId, date, result: expected });
      // Same keys in the same order, so the JSON text is the same too.
      expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
      if (!expected) unknown += 1;
      else if (expected.open.length === 0) closed += 1;
      if (expected && expected.busy.length > 1) withBusy += 1;
    }
    // The sample must exercise days with several holds, closed days and unknown rooms.
    expect(withBusy).toBeGreaterThanOrEqual(7);
    expect(closed).toBeGreaterThan(0);
    expect(unknown).toBe(2);
  });

  it('when many requests arrive at once (one batched statement), then each gets the answer of the former Prisma queries for its own room and day', async () => {
    const expected = await Promise.all(cases.map(({ roomId, date }) => referenceAvailability(prisma, roomId, date)));
    const service = createCatalogService(prisma);
    const together = await Promise.all(cases.map(({ roomId, date }) => service.roomAvailability(roomId, date)));
    expect(JSON.stringify(together)).toBe(JSON.stringify(expected));
    expect(together).toEqual(expected);
    // The statement itself, for all of them, for the same request twice, and for none.
    expect(await roomAvailabilitiesSql(prisma, cases)).toEqual(expected);
    expect(await roomAvailabilitiesSql(prisma, [cases[0], cases[0]])).toEqual([expected[0], expected[0]]);
    expect(await roomAvailabilitiesSql(prisma, [])).toEqual([]);
  });

  it('when the database cannot answer, then every request of the batch fails, and later ones are asked afresh', async () => {
    // The test database behind a TCP relay that drops connections until it is told to pass them.
    const target = new URL(testDatabaseUrl());
    let passing = false;
    let connections = 0;
    const relay = net.createServer((socket) => {
      connections += 1;
      if (!passing) return socket.destroy();
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      socket.pipe(upstream).pipe(socket);
      const close = () => (socket.destroy(), upstream.destroy());
      socket.on('error', close);
      upstream.on('error', close);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayed = new URL(target.href);
    relayed.hostname = '127.0.0.1';
    relayed.port = String((relay.address() as AddressInfo).port);
    const flaky = createPrismaClient(relayed.href, { connectTimeoutMs: 1_000 });
    try {
      const service = createCatalogService(flaky);
      const outcomes = await Promise.allSettled([service.roomAvailability(cases[0].roomId, cases[0].date), service.roomAvailability(cases[1].roomId, cases[1].date)]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
      const refused = connections;
      expect(refused).toBeGreaterThan(0);

      // Back: the same service answers, and only by asking the database again.
      passing = true;
      const [first, second] = await Promise.all([service.roomAvailability(cases[0].roomId, cases[0].date), service.roomAvailability(cases[1].roomId, cases[1].date)]);
      expect([first, second]).toEqual([await referenceAvailability(prisma, cases[0].roomId, cases[0].date), await referenceAvailability(prisma, cases[1].roomId, cases[1].date)]);
      expect(connections).toBeGreaterThan(refused);
    } finally {
      await flaky.$disconnect();
      relay.close();
    }
  });
});

describe('GET /api/rooms/:id/availability', () => {
  const testApp = useTestApp();

  it('when asked for days with and without holds, then the body is exactly the former JSON; errors are as before', async () => {
    const rooms = await prisma.room.findMany({ orderBy: { id: 'asc' }, take: 3 });
    const date = '2034-04-05';
    await addHold(rooms[0].id, `${date}T10:00:00+03:00`, `${date}T12:00:00+03:00`, true);
    await addHold(rooms[0].id, `${date}T13:00:00+03:00`, `${date}T14:00:00+03:00`, false);
    for (const room of rooms) {
      for (const day of [date, '2034-04-08', '2034-04-09']) {
        const response = await request(testApp().app).get(`/api/rooms/${room.id}/availability`).query({ date: day }).expect(200);
        expect(response.text).toBe(JSON.stringify(await referenceAvailability(prisma, room.id, day)));
      }
    }
    const missing = await request(testApp().app).get('/api/rooms/999999999/availability').query({ date }).expect(404);
    expect(missing.body.title).toBe('Не найдено');
    const bad = await request(testApp().app).get(`/api/rooms/${rooms[0].id}/availability`).query({ date: '2034-02-30' }).expect(400);
    expect(bad.body.errors[0]).toEqual({ field: 'query.date', message: 'Укажите существующую дату в формате ГГГГ-ММ-ДД (1900–9999 год)' });
    await request(testApp().app).get(`/api/rooms/${rooms[0].id}/availability`).expect(400);
    await request(testApp().app).get('/api/rooms/abc/availability').query({ date }).expect(400);
  });

  it('when a hold is written after a first call, then the very next call shows it busy; once released, free again (holds are never cached)', async () => {
    const room = await prisma.room.findFirstOrThrow({ orderBy: { id: 'desc' } });
    const date = '2034-04-12';
    const service = createCatalogService(prisma);
    const viaHttp = async () => (await request(testApp().app).get(`/api/rooms/${room.id}/availability`).query({ date }).expect(200)).body.busy;

    expect((await service.roomAvailability(room.id, date))!.busy).toEqual([]);
    expect(await viaHttp()).toEqual([]);

    const holdId = await addHold(room.id, `${date}T18:00:00+03:00`, `${date}T20:00:00+03:00`, true);
    const taken = [{ start: `${date}T18:00:00+03:00`, end: `${date}T20:00:00+03:00` }];
    expect((await service.roomAvailability(room.id, date))!.busy).toEqual(taken);
    expect(await viaHttp()).toEqual(taken);

    await prisma.slotHold.update({ where: { id: holdId }, data: { active: false, releasedAt: new Date() } });
    expect((await service.roomAvailability(room.id, date))!.busy).toEqual([]);
    expect(await viaHttp()).toEqual([]);
  });
});
