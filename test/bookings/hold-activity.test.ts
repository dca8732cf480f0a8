import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { Client } from 'pg';
import { createHoldActivities, HOLD_LOCK_CLASS, type HoldSlotInput } from '../../activities/hold.activities';
import { createPrismaClient, type PrismaClient } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migrate';
import { createThrowawayDatabase, type TestDatabase } from '../support/db';
import { waitFor } from '../support/wait';
import { createBookingFixtures, type BookingFixtures } from './fixtures';

let database: TestDatabase;
let prisma: PrismaClient;
let fixtures: BookingFixtures;
beforeAll(async () => {
  database = await createThrowawayDatabase('hold');
  await applyMigrations(database.url);
  prisma = createPrismaClient(database.url);
  fixtures = await createBookingFixtures(prisma);
}, 60_000);
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

/** The hold as the worker runs it, with its start-to-close timeout (workflows/activity-options.ts). */
const asHoldActivity = (startToCloseTimeoutMs = 10_000) => new MockActivityEnvironment({ startToCloseTimeoutMs });

/** How many connections wait for the room's advisory lock (the two-key form: classid, objid, objsubid 2). */
async function waitingForRoom(client: Client, roomId: number): Promise<number> {
  const { rows } = await client.query<{ waiting: number }>(
    `SELECT count(*)::int AS waiting FROM pg_locks
      WHERE locktype = 'advisory' AND NOT granted AND classid = $1 AND objid = $2 AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [HOLD_LOCK_CLASS, roomId],
  );
  return rows[0].waiting;
}

function input(roomId: number, startsAt: string, endsAt: string): HoldSlotInput {
  const bookingId = randomUUID();
  return {
    bookingId,
    code: `ДК-${bookingId.slice(0, 8)}`,
    workflowId: `booking-${bookingId}`,
    residentId: fixtures.resident.id,
    roomId,
    venueId: fixtures.venueId,
    districtId: fixtures.districtId,
    startsAt,
    endsAt,
    eventTitle: 'Встреча',
    eventType: 'MEETING',
    attendees: 5,
    contactPhone: '+79160000000',
    comment: null,
    roomPrice: 100_000,
    idempotencyKey: randomUUID(),
    requestHash: 'hash',
    addOns: [
      { code: 'CATERING', quantity: 1, note: null, listPrice: 1_500_000 },
      { code: 'TECH_SUPPORT', quantity: 2, note: 'звук', listPrice: 500_000 },
    ],
    submittedAt: new Date().toISOString(),
    dueAt: new Date(Date.now() + 60_000).toISOString(),
  };
}

test('when the hold activity runs twice for one booking (a retry after commit), then one booking, one hold, its add-ons in order and one event exist', async () => {
  const { holdSlot } = createHoldActivities({ prisma });
  const roomId = await fixtures.newRoom();
  const request = input(roomId, '2027-01-10T10:00:00.000Z', '2027-01-10T12:00:00.000Z');
  expect(await holdSlot(request)).toMatchObject({ created: true, status: 'AWAITING_CALLBACK' });
  expect(await holdSlot(request)).toMatchObject({ created: false, status: 'AWAITING_CALLBACK' });
  expect(await prisma.slotHold.count({ where: { bookingId: request.bookingId } })).toBe(1);
  expect(await prisma.bookingEvent.count({ where: { bookingId: request.bookingId } })).toBe(1);
  const addOns = await prisma.bookingAddOn.findMany({ where: { bookingId: request.bookingId }, orderBy: { orderedAt: 'asc' } });
  expect(addOns.map((line) => line.code)).toEqual(['CATERING', 'TECH_SUPPORT']);
});

test('when a second booking overlaps an active hold, then SLOT_TAKEN is thrown as non-retryable and nothing of it is stored; a touching slot is fine', async () => {
  const { holdSlot, releaseHold } = createHoldActivities({ prisma });
  const roomId = await fixtures.newRoom();
  const first = input(roomId, '2027-01-11T10:00:00.000Z', '2027-01-11T12:00:00.000Z');
  await holdSlot(first);
  const overlapping = input(roomId, '2027-01-11T11:00:00.000Z', '2027-01-11T13:00:00.000Z');
  const error = await asHoldActivity().run(holdSlot, overlapping).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ApplicationFailure);
  expect(error).toMatchObject({ type: 'SLOT_TAKEN', nonRetryable: true });
  expect(await prisma.booking.count({ where: { id: overlapping.bookingId } })).toBe(0);

  await expect(holdSlot(input(roomId, '2027-01-11T12:00:00.000Z', '2027-01-11T13:00:00.000Z'))).resolves.toMatchObject({ created: true });
  expect(await releaseHold({ bookingId: first.bookingId, releasedAt: new Date().toISOString() })).toEqual({ released: true });
  expect(await releaseHold({ bookingId: first.bookingId, releasedAt: new Date().toISOString() })).toEqual({ released: false });
  // The released range is free again.
  await expect(holdSlot(input(roomId, '2027-01-11T10:00:00.000Z', '2027-01-11T12:00:00.000Z'))).resolves.toMatchObject({ created: true });
});

test('when many holds race for one slot, then exactly one is created and every other is SLOT_TAKEN, none failing otherwise', async () => {
  const roomId = await fixtures.newRoom();
  // A pool as large as the race, so every hold is in flight in PostgreSQL at the same time.
  const racers = 40;
  const wide = createPrismaClient(database.url, { maxConnections: racers });
  try {
    // Open every connection first, so the holds start together rather than one connect apart.
    await Promise.all(Array.from({ length: racers }, () => wide.$queryRaw`SELECT pg_sleep(0.05)::text`));
    const { holdSlot } = createHoldActivities({ prisma: wide });
    const requests = Array.from({ length: racers }, () => input(roomId, '2027-01-12T10:00:00.000Z', '2027-01-12T12:00:00.000Z'));
    const outcomes = await Promise.all(
      requests.map((request) =>
        asHoldActivity().run(holdSlot, request).then(
          () => 'created',
          (error: unknown) => (error instanceof ApplicationFailure && error.type === 'SLOT_TAKEN' ? 'SLOT_TAKEN' : String(error)),
        ),
      ),
    );
    const counts: Record<string, number> = {};
    for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
    expect(counts).toEqual({ created: 1, SLOT_TAKEN: racers - 1 });
    expect(await prisma.slotHold.count({ where: { roomId, active: true } })).toBe(1);
  } finally {
    await wide.$disconnect();
  }
});

test('when an attempt reaches the database after its hold window, then it inserts nothing and fails for good; a fenced read asked before the window ends returns only after it', async () => {
  const { holdSlot, findHeldBooking } = createHoldActivities({ prisma });
  const roomId = await fixtures.newRoom();
  const late = { ...input(roomId, '2027-01-12T10:00:00.000Z', '2027-01-12T11:00:00.000Z'), holdBefore: new Date(Date.now() - 1_000).toISOString() };
  const error = await asHoldActivity().run(holdSlot, late).catch((caught: unknown) => caught);
  expect(error).toMatchObject({ type: 'HOLD_WINDOW_CLOSED', nonRetryable: true });
  expect(await prisma.booking.count({ where: { roomId } })).toBe(0);

  // Time enough for the hold to commit on a busy machine; the fenced read then waits out the rest.
  const holdBefore = new Date(Date.now() + 4_000).toISOString();
  const inTime = { ...input(roomId, '2027-01-12T12:00:00.000Z', '2027-01-12T13:00:00.000Z'), holdBefore };
  await expect(holdSlot(inTime)).resolves.toMatchObject({ created: true });
  const held = await findHeldBooking({ bookingId: inTime.bookingId, fence: { roomId, holdBefore } });
  // The fence is read by PostgreSQL's clock, which may run a little ahead of this process's.
  expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(holdBefore) - 50);
  expect(held).toMatchObject({ status: 'AWAITING_CALLBACK', addOns: [{ code: 'CATERING' }, { code: 'TECH_SUPPORT' }] });
});

test('when an attempt still holds the room when the window ends, then the fenced read waits for it and sees what it committed', async () => {
  const { holdSlot, findHeldBooking } = createHoldActivities({ prisma });
  const roomId = await fixtures.newRoom();
  const holdBefore = new Date(Date.now() + 4_000).toISOString();
  const inTime = { ...input(roomId, '2027-01-13T12:00:00.000Z', '2027-01-13T13:00:00.000Z'), holdBefore };
  await expect(holdSlot(inTime)).resolves.toMatchObject({ created: true });

  // Another attempt in flight: the room's lock, taken before the window ends and kept past it.
  const attempt = new Client({ connectionString: database.url });
  await attempt.connect();
  let read: Promise<unknown> | undefined;
  try {
    await attempt.query('BEGIN');
    await attempt.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [HOLD_LOCK_CLASS, roomId]);
    await attempt.query(`UPDATE booking_addons SET quantity = 3 WHERE booking_id = $1 AND code = 'TECH_SUPPORT'`, [inTime.bookingId]);

    let settled = false;
    read = findHeldBooking({ bookingId: inTime.bookingId, fence: { roomId, holdBefore } }).finally(() => (settled = true));
    // The read's connection queued behind the attempt for the room's lock.
    await waitFor(async () => (await waitingForRoom(attempt, roomId)) === 1, { timeoutMs: 15_000, description: "the fenced read to wait for the attempt's lock on the room" });
    expect(settled).toBe(false);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(holdBefore) - 50);
    await attempt.query('COMMIT');
  } finally {
    await attempt.end();
  }
  expect(await read).toMatchObject({
    status: 'AWAITING_CALLBACK',
    addOns: [
      { code: 'CATERING', quantity: 1 },
      { code: 'TECH_SUPPORT', quantity: 3 },
    ],
  });
});

test('when an attempt is still parked behind the room\'s lock after its own timeout, then it inserts nothing and fails to be retried, even inside the hold window', async () => {
  const { holdSlot } = createHoldActivities({ prisma });
  const roomId = await fixtures.newRoom();
  const request = { ...input(roomId, '2027-01-14T10:00:00.000Z', '2027-01-14T11:00:00.000Z'), holdBefore: new Date(Date.now() + 60_000).toISOString() };
  const TIMEOUT_MS = 500;
  // Another booking's hold of the room, in progress: its lock kept past this attempt's timeout.
  const other = new Client({ connectionString: database.url });
  await other.connect();
  let outcome: Promise<unknown> | undefined;
  try {
    await other.query('BEGIN');
    await other.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [HOLD_LOCK_CLASS, roomId]);
    const started = Date.now();
    outcome = asHoldActivity(TIMEOUT_MS).run(holdSlot, request).catch((caught: unknown) => caught);
    await waitFor(async () => (await waitingForRoom(other, roomId)) === 1, { timeoutMs: 15_000, description: 'the attempt to wait for the room' });
    // The worker has given up on the attempt by now; the lock goes only after that.
    await waitFor(() => Date.now() > started + TIMEOUT_MS + 100, { timeoutMs: 5_000, description: "the attempt's timeout to pass" });
    await other.query('COMMIT');
  } finally {
    await other.end();
  }
  expect(await outcome).toMatchObject({ type: 'HOLD_ATTEMPT_LATE', nonRetryable: false });
  expect(await prisma.booking.count({ where: { id: request.bookingId } })).toBe(0);
  expect(await prisma.slotHold.count({ where: { roomId } })).toBe(0);

  // Its retry, in time, holds the slot.
  await expect(asHoldActivity().run(holdSlot, request)).resolves.toMatchObject({ created: true });
});
