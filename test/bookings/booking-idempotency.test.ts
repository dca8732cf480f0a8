import { prepareSubmission, startSubmission, submitBooking } from '../../src/bookings';
import { workflowIdFor } from '../../src/bookings/ids';
import { bookingWorkflowInput } from '../../src/bookings/submit';
import { BOOKING_WORKFLOW_TYPE } from '../../workflows/booking.messages';
import { startBookingHarness, type BookingHarness } from './harness';
import { bookingBody, newKey } from './requests';
import { errorTypeOf } from './flow';

let h: BookingHarness;
beforeAll(async () => {
  h = await startBookingHarness('idempotency');
}, 120_000);
afterAll(() => h?.close());

async function runsOf(workflowId: string): Promise<number> {
  let runs = 0;
  for await (const _ of h.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs += 1;
  return runs;
}

test('when the same Idempotency-Key comes again with the same body, then the same booking is returned and nothing new starts', async () => {
  const deps = h.deps();
  const roomId = await h.fixtures.newRoom();
  const key = newKey();
  const body = bookingBody(roomId, 86_400_000);
  const [first, concurrent] = await Promise.all([
    submitBooking(deps, { residentId: h.fixtures.resident.id, idempotencyKey: key, body }),
    submitBooking(deps, { residentId: h.fixtures.resident.id, idempotencyKey: key, body: { ...body } }),
  ]);
  const later = await submitBooking(deps, { residentId: h.fixtures.resident.id, idempotencyKey: key, body: JSON.parse(JSON.stringify(body)) });

  expect(concurrent.id).toBe(first.id);
  expect(later.id).toBe(first.id);
  expect(later.timeline.map((event) => event.type)).toEqual(['SUBMITTED']);
  expect(await h.prisma.booking.count({ where: { residentId: h.fixtures.resident.id, idempotencyKey: key } })).toBe(1);
  expect(await runsOf(first.workflowId)).toBe(1);
  const history = await h.client.workflow.getHandle(first.workflowId).fetchHistory();
  const accepted = (history.events ?? []).filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes);
  expect(accepted).toHaveLength(1);
});

test('when the same Idempotency-Key comes with a different body, then the request is refused as IDEMPOTENCY_MISMATCH', async () => {
  const deps = h.deps();
  const roomId = await h.fixtures.newRoom();
  const key = newKey();
  const body = bookingBody(roomId, 86_400_000);
  await submitBooking(deps, { residentId: h.fixtures.resident.id, idempotencyKey: key, body });
  const other = { ...body, attendees: body.attendees + 1 };
  expect(await errorTypeOf(submitBooking(deps, { residentId: h.fixtures.resident.id, idempotencyKey: key, body: other }))).toBe('IDEMPOTENCY_MISMATCH');
  // Another resident may use the same key: it is a different booking.
  const theirs = await submitBooking(deps, { residentId: h.fixtures.otherResident.id, idempotencyKey: key, body: bookingBody(roomId, 2 * 86_400_000) });
  expect(theirs.residentId).toBe(h.fixtures.otherResident.id);
});

test('when the server kept a submission\'s start but lost the submission, then a request with other details under the key is refused, and the first one still makes its booking', async () => {
  const deps = h.deps();
  const first = { residentId: h.fixtures.resident.id, idempotencyKey: newKey(), body: bookingBody(await h.fixtures.newRoom(), 86_400_000) };
  const prepared = await prepareSubmission(deps, first);
  if (prepared.kind !== 'new') throw new Error('a new key should make a new submission');
  // The run the service would start, without the update that should have come with it.
  await h.client.workflow.start(BOOKING_WORKFLOW_TYPE, { args: [bookingWorkflowInput(deps, prepared)], taskQueue: h.taskQueue, workflowId: workflowIdFor(prepared.bookingId) });

  // Another room and day under the same key: that run must not hold its own room with these details.
  const other = { ...first, body: bookingBody(await h.fixtures.newRoom(), 2 * 86_400_000, 3_600_000, { eventTitle: 'Другое мероприятие' }) };
  expect(await errorTypeOf(submitBooking(deps, other))).toBe('IDEMPOTENCY_MISMATCH');
  expect(await h.prisma.booking.count({ where: { id: prepared.bookingId } })).toBe(0);

  const booking = await submitBooking(deps, first);
  expect(booking).toMatchObject({ id: prepared.bookingId, status: 'AWAITING_CALLBACK', room: { id: first.body.roomId }, startsAt: first.body.startsAt, eventTitle: first.body.eventTitle });
});

test('when the request breaks the rules, then VALIDATION lists the fields and no workflow starts', async () => {
  const deps = h.deps();
  const roomId = await h.fixtures.newRoom();
  const body = bookingBody(roomId, -60_000, 3_600_000, { attendees: 500, contactPhone: '12' });
  const key = newKey();
  try {
    await submitBooking(deps, { residentId: h.fixtures.resident.id, idempotencyKey: key, body });
    throw new Error('expected VALIDATION');
  } catch (error) {
    expect(error).toMatchObject({ type: 'VALIDATION' });
    expect((error as { fieldErrors: { field: string }[] }).fieldErrors.map((field) => field.field).sort()).toEqual(['attendees', 'contactPhone', 'startsAt']);
  }
  const { bookingIdFor, workflowIdFor } = await import('../../src/bookings');
  expect(await runsOf(workflowIdFor(bookingIdFor(h.fixtures.resident.id, key)))).toBe(0);
});

test('when 30 residents submit the same slot at once, then exactly one holds it and the others get SLOT_TAKEN', async () => {
  const deps = h.deps();
  const roomId = await h.fixtures.newRoom();
  const residents = await Promise.all(Array.from({ length: 30 }, () => h.fixtures.newResident()));
  const body = bookingBody(roomId, 3 * 86_400_000);

  const results = await Promise.allSettled(
    residents.map((resident, index) =>
      // Overlapping but not identical slots: the exclusion constraint decides, not equality.
      submitBooking(deps, { residentId: resident.id, idempotencyKey: newKey(), body: { ...body, endsAt: new Date(Date.parse(body.endsAt) + index * 1000).toISOString() } }),
    ),
  );

  const held = results.filter((result) => result.status === 'fulfilled');
  const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  expect(refused.map((result) => (result.reason as { type?: string }).type ?? String(result.reason)).filter((type) => type !== 'SLOT_TAKEN')).toEqual([]);
  expect(held).toHaveLength(1);
  expect(refused).toHaveLength(29);
  expect(await h.prisma.booking.count({ where: { roomId } })).toBe(1);
  expect(await h.prisma.slotHold.count({ where: { roomId, active: true } })).toBe(1);
}, 60_000);

test('when a slot is already held, then a later submission for an overlapping slot gets SLOT_TAKEN without starting a workflow', async () => {
  const deps = h.deps();
  const roomId = await h.fixtures.newRoom();
  const body = bookingBody(roomId, 4 * 86_400_000);
  await submitBooking(deps, { residentId: h.fixtures.resident.id, idempotencyKey: newKey(), body });

  const other = await h.fixtures.newResident();
  const key = newKey();
  const overlapping = { ...body, startsAt: new Date(Date.parse(body.startsAt) + 1_800_000).toISOString(), endsAt: new Date(Date.parse(body.endsAt) + 1_800_000).toISOString() };
  await expect(submitBooking(deps, { residentId: other.id, idempotencyKey: key, body: overlapping })).rejects.toMatchObject({ type: 'SLOT_TAKEN' });
  const { bookingIdFor, workflowIdFor } = await import('../../src/bookings');
  expect(await runsOf(workflowIdFor(bookingIdFor(other.id, key)))).toBe(0);
  expect(await h.prisma.booking.count({ where: { roomId } })).toBe(1);
});

test("when a submission passed the slot check before the winner's hold (a race's loser), then the hold refuses it and its workflow ends NOT_HELD", async () => {
  const deps = h.deps();
  const roomId = await h.fixtures.newRoom();
  const body = bookingBody(roomId, 5 * 86_400_000);
  const other = await h.fixtures.newResident();
  const key = newKey();
  const loser = await prepareSubmission(deps, { residentId: other.id, idempotencyKey: key, body });
  await submitBooking(deps, { residentId: h.fixtures.resident.id, idempotencyKey: newKey(), body });

  if (loser.kind !== 'new') throw new Error('a new key must prepare a new submission');
  await expect(startSubmission(deps, loser)).rejects.toMatchObject({ type: 'SLOT_TAKEN' });
  const { bookingIdFor, workflowIdFor } = await import('../../src/bookings');
  const handle = h.client.workflow.getHandle(workflowIdFor(bookingIdFor(other.id, key)));
  expect(await handle.result()).toBe('NOT_HELD');
  expect(await h.prisma.booking.count({ where: { roomId } })).toBe(1);
});
