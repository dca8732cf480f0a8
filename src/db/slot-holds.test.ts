import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createPrismaClient, type PrismaClient } from './client';
import { isSlotTakenError, sqlState, SQLSTATE, violatedConstraint } from './errors';
import { applyMigrations } from './migrate';
import { createThrowawayDatabase, type TestDatabase } from '../../test/support/db';

/**
 * The slot lock is the database's job: the exclusion constraint on slot_holds. These tests go
 * through the Prisma client (as the activities will) and through plain pg.
 */

const ROOM_ID = 1;
const at = (time: string) => new Date(`2026-12-01T${time}:00+03:00`);

describe('slot_holds exclusion constraint', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  let residentId: string;

  beforeAll(async () => {
    database = await createThrowawayDatabase('slot_holds');
    await applyMigrations(database.url);
    prisma = createPrismaClient(database.url);
    await prisma.district.create({ data: { id: 1, name: 'Дмитровский', slug: 'dmitrovsky' } });
    await prisma.venue.create({
      data: { id: 1, districtId: 1, name: 'ДК «Октябрь»', address: 'г. Дмитров', description: '', phone: '+7 (496) 000-00-00' },
    });
    await prisma.room.create({
      data: {
        id: ROOM_ID, venueId: 1, name: 'Большой зал', kind: 'BIG_HALL', capacity: 300, areaSqm: 320,
        equipment: ['Сцена'], opensAtMinute: 540, closesAtMinute: 1320, openWeekdays: [1, 2, 3, 4, 5, 6, 7], pricePerHour: 500000,
      },
    });
    residentId = (await prisma.user.create({ data: { email: 'resident@opendk.test' } })).id;
  });

  afterEach(async () => {
    await prisma.slotHold.deleteMany();
    await prisma.booking.deleteMany();
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await database?.drop();
  });

  /** Each hold belongs to its own booking (booking_id is unique on slot_holds). */
  function booking(from: string, to: string) {
    return prisma.booking.create({
      data: {
        id: randomUUID(), code: `ДК-${randomUUID().slice(0, 6)}`, workflowId: `booking-${randomUUID()}`,
        residentId, roomId: ROOM_ID, venueId: 1, districtId: 1, startsAt: at(from), endsAt: at(to),
        eventTitle: 'Репетиция хора', eventType: 'REHEARSAL', attendees: 20, contactPhone: '+79990000000',
        status: 'AWAITING_CALLBACK', roomPrice: 500000, idempotencyKey: randomUUID(), requestHash: 'x',
      },
    });
  }

  async function hold(from: string, to: string, active = true) {
    const { id: bookingId } = await booking(from, to);
    return prisma.slotHold.create({
      data: { bookingId, roomId: ROOM_ID, startsAt: at(from), endsAt: at(to), active },
    });
  }

  test('when an active hold overlaps another active hold of the room, then the insert fails with SQLSTATE 23P01', async () => {
    await hold('10:00', '12:00');
    const error = await hold('11:00', '13:00').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(sqlState(error)).toBe(SQLSTATE.exclusionViolation);
    expect(violatedConstraint(error)).toBe('slot_holds_no_overlap');
    expect(isSlotTakenError(error)).toBe(true);
  });

  test('when the overlap is inserted with plain pg, then pg reports SQLSTATE 23P01 as well', async () => {
    await hold('10:00', '12:00');
    const second = await booking('11:59', '12:30');
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const error = await client
        .query('INSERT INTO slot_holds (id, booking_id, room_id, starts_at, ends_at) VALUES ($1, $2, $3, $4, $5)', [
          randomUUID(), second.id, ROOM_ID, at('11:59'), at('12:30'),
        ])
        .then(() => undefined, (caught: unknown) => caught);
      expect(sqlState(error)).toBe('23P01');
      expect(isSlotTakenError(error)).toBe(true);
    } finally {
      await client.end();
    }
  });

  test('when two holds only touch ([10:00, 11:00) and [11:00, 12:00)), then both are accepted', async () => {
    await hold('10:00', '11:00');
    await expect(hold('11:00', '12:00')).resolves.toMatchObject({ active: true });
  });

  test('when the overlapping hold is inactive (released), then the new hold is accepted', async () => {
    const released = await hold('10:00', '12:00');
    await prisma.slotHold.update({ where: { id: released.id }, data: { active: false, releasedAt: new Date() } });
    await expect(hold('10:30', '11:30')).resolves.toMatchObject({ active: true });
  });

  test('when a hold ends before it starts, then the check constraint refuses it', async () => {
    const error = await hold('12:00', '11:00').then(() => undefined, (caught: unknown) => caught);
    expect(sqlState(error)).toBe(SQLSTATE.checkViolation);
    expect(isSlotTakenError(error)).toBe(false);
  });
});
