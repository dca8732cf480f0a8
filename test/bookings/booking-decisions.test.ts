import { confirmBooking, decideAddOn, getBookingForActor, recordCallback, rejectBooking, submitAddOns } from '../../src/bookings';
import { startBookingHarness, type BookingHarness } from './harness';
import { historyOf, submitFresh, waitForEvent, waitForMail, waitForStatus } from './flow';

let h: BookingHarness;
beforeAll(async () => {
  h = await startBookingHarness('decisions');
}, 120_000);
afterAll(() => h?.close());

const holdOf = (bookingId: string) => h.prisma.slotHold.findUniqueOrThrow({ where: { bookingId } });

test('when the operator records REJECTED on the call-back, then the booking is REJECTED, the hold released and the resident told', async () => {
  const deps = h.deps();
  const booking = await submitFresh(h, deps);
  const rejected = await recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'REJECTED', note: 'Зал на ремонте' });
  expect(rejected.status).toBe('REJECTED');
  expect((await holdOf(booking.id)).active).toBe(false);
  const mail = await waitForMail(h, h.fixtures.resident.email, (m) => m.subject?.startsWith(`Заявка ${booking.code} отклонена / `));
  expect(mail.text).toContain('Зал на ремонте');
});

test('when the operator rejects at the final confirmation, then the booking is REJECTED and the slot is free again', async () => {
  const deps = h.deps();
  const booking = await submitFresh(h, deps);
  await recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'AGREED' });
  await submitAddOns(deps, h.fixtures.resident, booking.id);
  const rejected = await rejectBooking(deps, h.fixtures.operator, booking.id, { reason: 'Накладка с мероприятием ДК' });
  expect(rejected.status).toBe('REJECTED');
  expect(rejected.timeline.at(-1)).toMatchObject({ type: 'REJECTED', fromStatus: 'AWAITING_CONFIRMATION', toStatus: 'REJECTED', note: 'Накладка с мероприятием ДК' });
  expect((await holdOf(booking.id)).active).toBe(false);
});

test('when nobody answers three call-backs, then the booking EXPIRES after the third', async () => {
  // A retry due in a minute: the retry's reminder (at half of it) cannot land between the calls.
  const deps = h.deps({ callbackRetryDelay: { ms: 60_000 } });
  const booking = await submitFresh(h, deps);
  const first = await recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'NO_ANSWER' });
  expect(first).toMatchObject({ status: 'AWAITING_CALLBACK', callbackAttempts: 1 });
  await recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'NO_ANSWER' });
  const third = await recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'NO_ANSWER' });
  expect(third.status).toBe('EXPIRED');
  expect(third.callbackAttempts).toBe(3);
  expect(third.timeline.map((event) => event.type)).toEqual(['SUBMITTED', 'CALLBACK_NO_ANSWER', 'CALLBACK_NO_ANSWER', 'CALLBACK_NO_ANSWER', 'EXPIRED']);
  expect((await holdOf(booking.id)).active).toBe(false);
  await waitForMail(h, h.fixtures.resident.email, (m) => m.subject?.startsWith(`Срок заявки ${booking.code} истёк / `));
});

test('when nobody calls back, then operators are reminded at half the SLA, admins alerted at the SLA, and the booking expires at the hard deadline', async () => {
  const deps = h.deps({ callbackSla: { ms: 3_000 }, hardDeadline: { ms: 9_000 } });
  const booking = await submitFresh(h, deps);
  expect(booking.slaState).toBeNull(); // the resident's answer: the staff's deadline state is theirs
  expect((await getBookingForActor(deps, h.fixtures.admin, booking.id)).slaState).toBe('ON_TIME');

  const reminded = await waitForEvent(h, deps, booking.id, 'SLA_REMINDED', 15_000);
  expect(reminded.slaState).toBe('REMINDED');
  await waitForMail(h, h.fixtures.operator.email, (m) => m.subject?.startsWith(`Напоминание: заявка ${booking.code} ждёт действий / `));

  const escalated = await waitForEvent(h, deps, booking.id, 'SLA_ESCALATED', 15_000);
  expect(escalated.slaState).toBe('ESCALATED');
  await waitForMail(h, h.fixtures.admin.email, (m) => m.subject?.startsWith(`Эскалация: срок по заявке ${booking.code} истёк / `));

  const expired = await waitForStatus(h, deps, booking.id, 'EXPIRED', 20_000);
  expect(expired.timeline.map((event) => event.type)).toEqual(['SUBMITTED', 'SLA_REMINDED', 'SLA_ESCALATED', 'SLA_OVERDUE', 'EXPIRED']);
  expect((await holdOf(booking.id)).active).toBe(false);
  await waitForMail(h, h.fixtures.resident.email, (m) => m.subject?.startsWith(`Срок заявки ${booking.code} истёк / `));
}, 60_000);

test('when the add-ons window ends without the resident finishing, then the booking moves to AWAITING_CONFIRMATION and confirm needs every add-on decided', async () => {
  const deps = h.deps({ addonsWindow: { ms: 1_500 } });
  const booking = await submitFresh(h, deps, { addOns: [{ code: 'CATERING', quantity: 1 }] });
  await recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'AGREED' });
  const moved = await waitForStatus(h, deps, booking.id, 'AWAITING_CONFIRMATION', 15_000);
  expect(moved.timeline.at(-1)).toMatchObject({ type: 'ADDONS_WINDOW_CLOSED', actorRole: 'SYSTEM' });

  // The refusal says what to do: the operator's page and the API show its reason.
  await expect(confirmBooking(deps, h.fixtures.operator, booking.id)).rejects.toMatchObject({ type: 'INVALID_STATE', fieldErrors: [{ code: 'ADDONS_UNDECIDED' }] });
  await decideAddOn(deps, h.fixtures.operator, booking.id, { code: 'CATERING', decision: 'APPROVED', price: 1_200_000 });
  const confirmed = await confirmBooking(deps, h.fixtures.operator, booking.id);
  expect(confirmed.status).toBe('CONFIRMED');
  expect(confirmed.prices.addOns).toBe(1_200_000);
});

test('when the operator agrees on a new title, then the e-mail about it is scheduled only after the booking row has it, and shows it', async () => {
  const deps = h.deps();
  const booking = await submitFresh(h, deps);
  await recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'AGREED', changes: { eventTitle: 'Новое название встречи' } });
  const mail = await waitForMail(h, h.fixtures.resident.email, (m) => m.subject?.startsWith(`Заявка ${booking.code}: детали согласованы / `));
  expect(mail.text).toContain('Новое название встречи');

  // In history: the projection of the call-back completes before the e-mail about it is scheduled.
  const events = (await historyOf(h, booking.workflowId)).map((event) => ({
    id: Number(event.eventId),
    scheduled: event.activityTaskScheduledEventAttributes?.activityType?.name,
    completed: event.activityTaskCompletedEventAttributes ? Number(event.activityTaskCompletedEventAttributes.scheduledEventId) : undefined,
  }));
  const projection = events.find((event) => event.scheduled === 'projectBooking')!;
  const projected = events.find((event) => event.completed === projection.id)!;
  const email = events.find((event) => event.scheduled === 'sendBookingEmail')!;
  expect(projected.id).toBeLessThan(email.id);
});
