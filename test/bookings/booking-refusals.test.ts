import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { cancelBooking, confirmBooking, orderAddOns, recordCallback } from '../../src/bookings';
import { MAX_PRICE_KOPECKS } from '../../src/domain/price';
import { confirmUpdate, decideAddOnUpdate, recordCallbackUpdate, cancelUpdate, type ActionResult } from '../../workflows/booking.messages';
import { startBookingHarness, type BookingHarness } from './harness';
import { acceptedUpdates, errorTypeOf, historyOf, submitFresh, waitForQuietHistory } from './flow';

let h: BookingHarness;
beforeAll(async () => {
  h = await startBookingHarness('refusals');
}, 120_000);
afterAll(() => h?.close());

/** The ApplicationFailure type a workflow validator answered with, calling Temporal directly. */
async function validatorAnswer(promise: Promise<ActionResult>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    return (cause as ApplicationFailure).type ?? 'untyped';
  }
}

test('when actions come in the wrong state, repeated, from another district or from a non-owner, then the validators refuse them and history records nothing', async () => {
  const deps = h.deps();
  const { operator, otherOperator, resident, otherResident } = h.fixtures;
  const booking = await submitFresh(h, deps);
  const handle = h.client.workflow.getHandle(booking.workflowId);
  await recordCallback(deps, operator, booking.id, { outcome: 'AGREED' });
  const eventsBefore = (await waitForQuietHistory(h, booking.workflowId)).length;

  // Through the service (what the API sees).
  expect(await errorTypeOf(confirmBooking(deps, operator, booking.id))).toBe('INVALID_STATE'); // wrong state: still ADDONS
  expect(await errorTypeOf(recordCallback(deps, operator, booking.id, { outcome: 'AGREED' }))).toBe('INVALID_STATE'); // repeated
  expect(await errorTypeOf(recordCallback(deps, otherOperator, booking.id, { outcome: 'NO_ANSWER' }))).toBe('NOT_FOUND'); // wrong district
  expect(await errorTypeOf(cancelBooking(deps, otherResident, booking.id, { reason: 'чужая' }))).toBe('NOT_FOUND'); // not the owner
  expect(await errorTypeOf(confirmBooking(deps, resident, booking.id))).toBe('FORBIDDEN'); // the owner, but not staff
  expect(await errorTypeOf(orderAddOns(deps, resident, booking.id, { items: [{ code: 'MUSIC_RECORDING' }] }))).toBe('VALIDATION'); // not offered

  // Straight to the workflow (the validators themselves, past the service's own checks).
  expect(await validatorAnswer(handle.executeUpdate(recordCallbackUpdate, { args: [{ actor: otherOperator, outcome: 'NO_ANSWER' }] }))).toBe('NOT_FOUND');
  expect(await validatorAnswer(handle.executeUpdate(cancelUpdate, { args: [{ actor: otherResident, reason: 'чужая' }] }))).toBe('NOT_FOUND');
  expect(await validatorAnswer(handle.executeUpdate(confirmUpdate, { args: [{ actor: operator }] }))).toBe('INVALID_STATE');
  expect(await validatorAnswer(handle.executeUpdate(recordCallbackUpdate, { args: [{ actor: operator, outcome: 'AGREED' }] }))).toBe('INVALID_STATE');
  expect(await validatorAnswer(handle.executeUpdate(cancelUpdate, { args: [{ actor: resident, reason: '' }] }))).toBe('VALIDATION');
  // Text PostgreSQL cannot store would wedge the projection: refused before it is admitted.
  expect(await validatorAnswer(handle.executeUpdate(cancelUpdate, { args: [{ actor: resident, reason: 'нуль\u0000' }] }))).toBe('VALIDATION');
  expect(await validatorAnswer(handle.executeUpdate(cancelUpdate, { args: [{ actor: resident, reason: 'половина \ud83d' }] }))).toBe('VALIDATION');

  const events = await historyOf(h, booking.workflowId);
  expect(events.length).toBe(eventsBefore);
  expect(await acceptedUpdates(h, booking.workflowId)).toEqual(['submit', 'recordCallback']);
  const view = await cancelBooking(deps, resident, booking.id, { reason: 'Передумал' });
  expect(view.timeline.map((event) => event.type)).toEqual(['SUBMITTED', 'CALLBACK_AGREED', 'CANCELLED']);
  expect(await acceptedUpdates(h, booking.workflowId)).toEqual(['submit', 'recordCallback', 'cancel']);
});

test('when a direct caller sends a call-back with changes the database cannot take, then the validator refuses them and the booking goes on', async () => {
  const deps = h.deps();
  const { operator } = h.fixtures;
  const booking = await submitFresh(h, deps);
  const handle = h.client.workflow.getHandle(booking.workflowId);
  const agreed = (changes: Record<string, unknown>) => handle.executeUpdate(recordCallbackUpdate, { args: [{ actor: operator, outcome: 'AGREED', changes } as never] });

  // Past the integer column: its projection would fail on every retry, and everything queued behind it.
  expect(await validatorAnswer(agreed({ attendees: 1e12 }))).toBe('VALIDATION');
  // A blank title would replace the booking's own.
  expect(await validatorAnswer(agreed({ eventTitle: '   ' }))).toBe('VALIDATION');
  // Fields the call-back does not change: the row's status, deadline and attempts are the workflow's.
  expect(await validatorAnswer(agreed({ status: 'CONFIRMED' }))).toBe('VALIDATION');
  expect(await validatorAnswer(agreed({ comment: 'ok', dueAt: null }))).toBe('VALIDATION');
  expect(await acceptedUpdates(h, booking.workflowId)).toEqual(['submit']);

  const changed = await recordCallback(deps, operator, booking.id, { outcome: 'AGREED', changes: { attendees: 12, eventTitle: 'Собрание жильцов' } });
  expect({ status: changed.status, attendees: changed.attendees, eventTitle: changed.eventTitle }).toEqual({ status: 'ADDONS', attendees: 12, eventTitle: 'Собрание жильцов' });
  const row = await h.prisma.booking.findUniqueOrThrow({ where: { id: booking.id } });
  expect({ attendees: row.attendees, eventTitle: row.eventTitle, comment: row.comment }).toEqual({ attendees: 12, eventTitle: 'Собрание жильцов', comment: booking.comment });
});

test('when a booking is final, then further actions are refused as INVALID_STATE', async () => {
  const deps = h.deps();
  const booking = await submitFresh(h, deps);
  await cancelBooking(deps, h.fixtures.resident, booking.id, { reason: 'Передумал' });
  expect(await errorTypeOf(cancelBooking(deps, h.fixtures.resident, booking.id, { reason: 'ещё раз' }))).toBe('INVALID_STATE');
  expect(await errorTypeOf(recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'AGREED' }))).toBe('INVALID_STATE');
});

test('when the same call-back attempt is recorded twice (a double click), then the second is refused as INVALID_STATE and counts nothing', async () => {
  const deps = h.deps();
  const booking = await submitFresh(h, deps);
  const first = await recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'NO_ANSWER', attempt: 1 });
  expect(first.callbackAttempts).toBe(1);
  const eventsBefore = (await waitForQuietHistory(h, booking.workflowId)).length;

  expect(await errorTypeOf(recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'NO_ANSWER', attempt: 1 }))).toBe('INVALID_STATE');
  expect(await errorTypeOf(recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'NO_ANSWER', attempt: 3 }))).toBe('INVALID_STATE');
  expect((await historyOf(h, booking.workflowId)).length).toBe(eventsBefore);

  const second = await recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'NO_ANSWER', attempt: 2 });
  expect(second.callbackAttempts).toBe(2);
  expect(second.status).toBe('AWAITING_CALLBACK');
});

test('when staff approve a service at a price the database could not store, then the validator refuses it and the booking goes on', async () => {
  const deps = h.deps();
  const booking = await submitFresh(h, deps, { addOns: [{ code: 'CATERING', quantity: 1 }] });
  await recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'AGREED', attempt: 1 });
  const handle = h.client.workflow.getHandle(booking.workflowId);
  const decide = (price: number) => handle.executeUpdate(decideAddOnUpdate, { args: [{ actor: h.fixtures.operator, code: 'CATERING', decision: 'APPROVED', price }] });

  expect(await validatorAnswer(decide(MAX_PRICE_KOPECKS + 1))).toBe('VALIDATION');
  expect(await validatorAnswer(decide(3_000_000_000))).toBe('VALIDATION');
  expect(await validatorAnswer(decide(MAX_PRICE_KOPECKS))).toBe('accepted');
  const row = await h.prisma.bookingAddOn.findFirstOrThrow({ where: { bookingId: booking.id, code: 'CATERING' } });
  expect(row.status).toBe('APPROVED');
  expect(row.price).toBe(MAX_PRICE_KOPECKS);
});
