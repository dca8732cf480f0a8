import { confirmBooking, recordCallback, submitAddOns, submitBooking } from '../../src/bookings';
import { createActivities } from '../../activities';
import { recipientsOf } from '../support/smtp';
import { startBookingHarness, type BookingHarness } from './harness';
import { waitForQuietHistory, waitForStatus } from './flow';
import { bookingBody, newKey } from './requests';

let h: BookingHarness;
beforeAll(async () => {
  h = await startBookingHarness('restart');
}, 120_000);
afterAll(() => h?.close());

test('when the worker is shut down mid-flow and a new one starts, then the booking carries on to COMPLETED and no e-mail goes out twice', async () => {
  const deps = h.deps({ residentReminderBefore: { ms: 4_000 } });
  const { resident, operator } = h.fixtures;
  const roomId = await h.fixtures.newRoom();
  const booking = await submitBooking(deps, { residentId: resident.id, idempotencyKey: newKey(), body: bookingBody(roomId, 12_000, 2_000) });
  await recordCallback(deps, operator, booking.id, { outcome: 'AGREED' });
  await submitAddOns(deps, resident, booking.id);
  await confirmBooking(deps, operator, booking.id);

  // The confirmation e-mail is probably in flight; the reminder and completion timers are pending.
  await h.stopWorker();
  await h.startWorker();

  await waitForStatus(h, deps, booking.id, 'COMPLETED', 40_000);
  // The confirmation e-mail is scheduled as the confirmation returns, just as the worker stops: a
  // task the stopping worker's poller took is given to another worker only after its start-to-close
  // timeout (30 s), and a hand-over it interrupted waits for the ledger's claim (75 s).
  await waitForQuietHistory(h, booking.workflowId, 120_000);
  const subjects = h.inbox.to(resident.email).map((mail) => mail.subject);
  expect(subjects.filter((subject) => subject?.startsWith(`Заявка ${booking.code} принята / `))).toHaveLength(1);
  expect(subjects.filter((subject) => subject?.startsWith(`Заявка ${booking.code}: детали согласованы`))).toHaveLength(1);
  expect(subjects.filter((subject) => subject?.startsWith(`Заявка ${booking.code}: бронь подтверждена / `))).toHaveLength(1);
  expect(subjects.filter((subject) => subject?.startsWith('Напоминание:'))).toHaveLength(1);
  // Nor twice to anyone else: each recipient got each of this booking's e-mails once.
  const deliveries = h.inbox.messages
    .filter((mail) => mail.subject?.includes(booking.code))
    .flatMap((mail) => recipientsOf(mail).map((recipient) => `${recipient} ${mail.subject}`));
  expect(deliveries.some((delivery) => delivery.startsWith(`${operator.email} `))).toBe(true);
  expect(deliveries.length).toBe(new Set(deliveries).size);
  const ledger = await h.prisma.emailLedger.findMany({ where: { bookingId: booking.id, recipient: resident.email } });
  expect(ledger.map((row) => [row.kind, row.status]).sort()).toEqual([
    ['CALLBACK_OUTCOME', 'SENT'],
    ['CONFIRMED', 'SENT'],
    ['EVENT_REMINDER', 'SENT'],
    ['SUBMITTED', 'SENT'],
  ]);
  // Its own waits: 40 s for COMPLETED, then up to 120 s for the history to settle.
}, 240_000);

test('when the e-mail activity runs again for the same booking and kind, then the ledger skips what was sent and the Message-ID stays the same', async () => {
  const deps = h.deps();
  const roomId = await h.fixtures.newRoom();
  const booking = await submitBooking(deps, { residentId: h.fixtures.resident.id, idempotencyKey: newKey(), body: bookingBody(roomId, 86_400_000) });
  const activities = createActivities({
    prisma: h.prisma,
    mailer: h.inbox.mailer,
    config: { mail: { from: 'Открытый ДК <no-reply@opendk.test>', outboxDir: '/nonexistent' }, http: { publicUrl: 'http://opendk.test' } },
  });
  const request = { bookingId: booking.id, kind: 'EVENT_REMINDER' as const };
  const first = await activities.sendBookingEmail(request);
  const again = await activities.sendBookingEmail(request);
  expect(first).toEqual({ sent: 1, skipped: 0 });
  expect(again).toEqual({ sent: 0, skipped: 1 });
  const reminders = h.inbox.to(h.fixtures.resident.email).filter((mail) => mail.subject?.startsWith('Напоминание:') && mail.text?.includes(booking.code));
  expect(reminders).toHaveLength(1);
  const row = await h.prisma.emailLedger.findFirstOrThrow({ where: { bookingId: booking.id, kind: 'EVENT_REMINDER' } });
  expect(reminders[0].messageId).toBe(row.messageId);
  expect(row.sendAttempts).toBe(1); // the skipped run handed nothing over
});
