import {
  cancelBooking,
  confirmBooking,
  decideAddOn,
  orderAddOns,
  prepareSubmission,
  recordCallback,
  rejectBooking,
  startSubmission,
  submitAddOns,
  submitBooking,
} from '../../src/bookings';
import { createActivities } from '../../activities';
import { workflowIdFor, bookingIdFor } from '../../src/bookings/ids';
import { bookingWorkflowInput } from '../../src/bookings/submit';
import { waitFor } from '../support/wait';
import { BOOKING_WORKFLOW_TYPE, bookingStateQuery } from '../../workflows/booking.messages';
import { bookingPlaceAttributes } from '../../workflows/search-attributes';
import type { BookingHarness } from './harness';
import { bookingBody, newKey } from './requests';

/**
 * Real booking runs whose histories are kept under test/histories/ and replayed in CI
 * (scripts/record-histories.ts). Each returns the workflow id once the workflow has closed, or
 * the id and run of an earlier run of it that is the one to keep.
 */
export type Scenario = (h: BookingHarness) => Promise<string | { workflowId: string; runId: string }>;

async function closed(h: BookingHarness, workflowId: string): Promise<string> {
  await h.client.workflow.getHandle(workflowId).result();
  return workflowId;
}

export const SCENARIOS: Record<string, Scenario> = {
  async 'confirmed-then-completed'(h) {
    const deps = h.deps({ residentReminderBefore: { ms: 3_000 } });
    const { resident, operator } = h.fixtures;
    const roomId = await h.fixtures.newRoom();
    const body = bookingBody(roomId, 8_000, 2_000, { addOns: [{ code: 'TECH_SUPPORT', quantity: 2 }] });
    const booking = await submitBooking(deps, { residentId: resident.id, idempotencyKey: newKey(), body });
    await recordCallback(deps, operator, booking.id, { outcome: 'AGREED', note: 'Договорились', changes: { attendees: 25 } });
    await orderAddOns(deps, resident, booking.id, { items: [{ code: 'CATERING' }] });
    await decideAddOn(deps, operator, booking.id, { code: 'TECH_SUPPORT', decision: 'APPROVED', price: 900_000 });
    await decideAddOn(deps, operator, booking.id, { code: 'CATERING', decision: 'DECLINED' });
    await submitAddOns(deps, resident, booking.id);
    await confirmBooking(deps, operator, booking.id);
    return closed(h, booking.workflowId);
  },
  async 'rejected-at-callback'(h) {
    const deps = h.deps();
    const booking = await submitBooking(deps, { residentId: h.fixtures.resident.id, idempotencyKey: newKey(), body: bookingBody(await h.fixtures.newRoom(), 86_400_000) });
    await recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'REJECTED', note: 'Зал на ремонте' });
    return closed(h, booking.workflowId);
  },
  async 'expired-after-three-no-answers'(h) {
    const deps = h.deps();
    const booking = await submitBooking(deps, { residentId: h.fixtures.resident.id, idempotencyKey: newKey(), body: bookingBody(await h.fixtures.newRoom(), 86_400_000) });
    for (let attempt = 0; attempt < 3; attempt += 1) await recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'NO_ANSWER' });
    return closed(h, booking.workflowId);
  },
  async 'sla-escalated-then-expired'(h) {
    const deps = h.deps({ callbackSla: { ms: 2_000 }, hardDeadline: { ms: 5_000 } });
    const booking = await submitBooking(deps, { residentId: h.fixtures.resident.id, idempotencyKey: newKey(), body: bookingBody(await h.fixtures.newRoom(), 86_400_000) });
    return closed(h, booking.workflowId);
  },
  async 'deadline-before-callback-sla'(h) {
    // Revision 4: the call-back is due at the hard deadline, so the reminder comes before the expiry.
    const deps = h.deps({ callbackSla: { ms: 60_000 }, hardDeadline: { ms: 3_000 } });
    const booking = await submitBooking(deps, { residentId: h.fixtures.resident.id, idempotencyKey: newKey(), body: bookingBody(await h.fixtures.newRoom(), 86_400_000) });
    return closed(h, booking.workflowId);
  },
  async 'addons-window-closed-then-rejected'(h) {
    const deps = h.deps({ addonsWindow: { ms: 1_000 } });
    const booking = await submitBooking(deps, {
      residentId: h.fixtures.resident.id,
      idempotencyKey: newKey(),
      body: bookingBody(await h.fixtures.newRoom(), 86_400_000, 3_600_000, { addOns: [{ code: 'CATERING' }] }),
    });
    await recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'AGREED' });
    await h.client.workflow.getHandle(booking.workflowId).executeUpdate('submitAddOns', { args: [{ actor: h.fixtures.otherResident }] }).catch(() => undefined);
    const { waitForStatus } = await import('./flow');
    await waitForStatus(h, deps, booking.id, 'AWAITING_CONFIRMATION');
    await decideAddOn(deps, h.fixtures.operator, booking.id, { code: 'CATERING', decision: 'APPROVED', price: 1_000_000 });
    const { rejectBooking } = await import('../../src/bookings');
    await rejectBooking(deps, h.fixtures.operator, booking.id, { reason: 'Накладка' });
    return closed(h, booking.workflowId);
  },
  async 'cancelled-after-confirmation-with-compensation'(h) {
    const deps = h.deps();
    const { resident, operator } = h.fixtures;
    const booking = await submitBooking(deps, {
      residentId: resident.id,
      idempotencyKey: newKey(),
      body: bookingBody(await h.fixtures.newRoom(), 86_400_000, 3_600_000, { addOns: [{ code: 'TECH_SUPPORT' }, { code: 'TURNKEY_DECOR' }] }),
    });
    await recordCallback(deps, operator, booking.id, { outcome: 'AGREED' });
    await decideAddOn(deps, operator, booking.id, { code: 'TECH_SUPPORT', decision: 'APPROVED', price: 500_000 });
    await decideAddOn(deps, operator, booking.id, { code: 'TURNKEY_DECOR', decision: 'APPROVED', price: 2_000_000 });
    await submitAddOns(deps, resident, booking.id);
    await confirmBooking(deps, operator, booking.id);
    await cancelBooking(deps, resident, booking.id, { reason: 'Планы изменились' });
    return closed(h, booking.workflowId);
  },
  async 'slot-taken'(h) {
    const deps = h.deps();
    const roomId = await h.fixtures.newRoom();
    const body = bookingBody(roomId, 86_400_000);
    await submitBooking(deps, { residentId: h.fixtures.resident.id, idempotencyKey: newKey(), body });
    // A race's loser: its slot check ran before the winner's hold committed, so the hold refuses it.
    const key = newKey();
    const prepared = await prepareSubmission(deps, { residentId: h.fixtures.otherResident.id, idempotencyKey: key, body });
    if (prepared.kind !== 'new') throw new Error('a new key must prepare a new submission');
    await startSubmission(deps, prepared).catch(() => undefined);
    return closed(h, workflowIdFor(bookingIdFor(h.fixtures.otherResident.id, key)));
  },
  async 'lost-submission-adopted-then-rejected'(h) {
    // The server kept the start and lost the submission after its hold had committed: the run
    // waits for the submission, then out the hold window, finds the booking and adopts it.
    const deps = h.deps({ submitWaitMs: 500, holdWindowMs: 1_000 });
    const prepared = await prepareSubmission(deps, { residentId: h.fixtures.resident.id, idempotencyKey: newKey(), body: bookingBody(await h.fixtures.newRoom(), 86_400_000) });
    if (prepared.kind !== 'new') throw new Error('a new key must prepare a new submission');
    const input = bookingWorkflowInput(deps, prepared);
    const workflowId = workflowIdFor(input.bookingId);
    const { holdSlot } = createActivities({ prisma: h.prisma, mailer: h.inbox.mailer, config: { mail: { from: 'x <x@opendk.test>', outboxDir: '/nonexistent' }, http: { publicUrl: 'http://opendk.test' } } });
    const { request } = prepared;
    await holdSlot({
      ...input,
      workflowId,
      eventTitle: request.eventTitle,
      eventType: request.eventType,
      attendees: request.attendees,
      contactPhone: request.contactPhone,
      comment: request.comment,
      roomPrice: 100_000,
      idempotencyKey: prepared.command.idempotencyKey,
      requestHash: prepared.requestHash,
      addOns: [],
      submittedAt: new Date().toISOString(),
      dueAt: new Date(Date.now() + 60_000).toISOString(),
      mailOutbox: true,
    });
    await h.client.workflow.start(BOOKING_WORKFLOW_TYPE, { args: [input], taskQueue: h.taskQueue, workflowId, typedSearchAttributes: bookingPlaceAttributes(input) });
    await waitFor(async () => (await h.client.workflow.getHandle(workflowId).query(bookingStateQuery)).status === 'AWAITING_CALLBACK', { timeoutMs: 20_000, description: 'the run to adopt the hold' });
    await rejectBooking(deps, h.fixtures.operator, input.bookingId, { reason: 'Зал на ремонте' });
    return closed(h, workflowId);
  },
  async 'hold-window-closed-then-fresh-run'(h) {
    // A hold window too short for any attempt: the hold fails without a database answer, the run
    // settles it past the window (nothing held) and continues as new for the resident's retry.
    const deps = h.deps({ holdWindowMs: 1, submitWaitMs: 500 });
    const key = newKey();
    const body = bookingBody(await h.fixtures.newRoom(), 86_400_000);
    await submitBooking(deps, { residentId: h.fixtures.resident.id, idempotencyKey: key, body }).catch(() => undefined);
    const workflowId = await closed(h, workflowIdFor(bookingIdFor(h.fixtures.resident.id, key)));
    // The last run (NOT_SUBMITTED: no retry came) names the run it continues.
    const last = await h.client.workflow.getHandle(workflowId).fetchHistory();
    const runId = last.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (!runId) throw new Error('the failed hold did not continue as a new run');
    return { workflowId, runId };
  },
};
