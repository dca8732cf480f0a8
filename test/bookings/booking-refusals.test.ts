import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { cancelBooking, confirmBooking, orderAddOns, recordCallback } from '../../src/bookings';
import { confirmUpdate, recordCallbackUpdate, cancelUpdate, type ActionResult } from '../../workflows/booking.messages';
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

test('when a booking is final, then further actions are refused as INVALID_STATE', async () => {
  const deps = h.deps();
  const booking = await submitFresh(h, deps);
  await cancelBooking(deps, h.fixtures.resident, booking.id, { reason: 'Передумал' });
  expect(await errorTypeOf(cancelBooking(deps, h.fixtures.resident, booking.id, { reason: 'ещё раз' }))).toBe('INVALID_STATE');
  expect(await errorTypeOf(recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'AGREED' }))).toBe('INVALID_STATE');
});
