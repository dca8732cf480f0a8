import { Registry } from 'prom-client';
import { createActivities } from '../../activities';
import { createMailOutbox, outboxBackoffMs } from '../../activities/email/mail-outbox';
import { outboxSender, type OutboxRequest } from '../../activities/email/staff-email';
import { MessageClaimedError, sendThroughLedger } from '../../activities/email/ledger';
import { appointOperator, dismissOperator } from '../../src/staff/operators';
import { cancelBooking, confirmBooking, recordCallback, submitAddOns, submitBooking } from '../../src/bookings';
import { createSmtpMailer } from '../../src/mail/create-mailer';
import { createEmailMetrics } from '../../src/metrics';
import type { Mailer } from '../../src/mail/mailer';
import { startScriptedSmtpServer } from '../support/smtp';
import { waitFor } from '../support/wait';
import { startBookingHarness, type BookingHarness } from './harness';
import { bookingBody, newKey } from './requests';

/**
 * The submission e-mail travels through mail_outbox: written by the hold, sent by the worker's
 * dispatcher through the ledger. Here: the real database and SMTP server, dispatchers driven by
 * hand (drainOnce) next to the harness's own.
 */
let h: BookingHarness;
beforeAll(async () => {
  h = await startBookingHarness('outbox');
}, 120_000);
afterAll(() => h?.close());

const config = { mail: { from: 'Открытый ДК <no-reply@opendk.test>', outboxDir: '/nonexistent' }, http: { publicUrl: 'http://opendk.test' } };

/** The harness's worker and its dispatcher stop (after what they had in hand), so only the test's dispatchers claim rows. */
async function withoutHarnessDispatcher(): Promise<void> {
  await h.stopWorker();
}
afterEach(async () => {
  if (!h.worker()) await h.startWorker();
});

async function submitted() {
  const roomId = await h.fixtures.newRoom();
  return submitBooking(h.deps(), { residentId: h.fixtures.resident.id, idempotencyKey: newKey(), body: bookingBody(roomId, 86_400_000) });
}

test('when a booking is submitted, then its e-mail request is written with it and the worker sends it once, with no e-mail activity in its history', async () => {
  const booking = await submitted();
  await waitFor(async () => (await h.prisma.mailOutbox.count({ where: { bookingId: booking.id, sentAt: { not: null } } })) > 0, { timeoutMs: 15_000, description: 'the outbox row to be sent' });
  expect(h.inbox.to(h.fixtures.resident.email).filter((mail) => mail.subject?.startsWith(`Заявка ${booking.code} принята / `))).toHaveLength(1);
  const rows = await h.prisma.mailOutbox.findMany({ where: { bookingId: booking.id } });
  expect(rows.map((row) => [row.kind, row.attempts, row.sentAt !== null, row.failedAt])).toEqual([['SUBMITTED', 1, true, null]]);

  const history = await h.client.workflow.getHandle(booking.workflowId).fetchHistory();
  const scheduled = (history.events ?? []).flatMap((event) => (event.activityTaskScheduledEventAttributes ? [event.activityTaskScheduledEventAttributes.activityType?.name] : []));
  expect(scheduled).not.toContain('sendBookingEmail');
});

test('when sending fails, then the row backs off and keeps its error, and the next due attempt sends it', async () => {
  const booking = await submitted();
  await withoutHarnessDispatcher();
  await h.prisma.emailLedger.deleteMany({ where: { bookingId: booking.id } });
  await h.prisma.mailOutbox.updateMany({ where: { bookingId: booking.id }, data: { sentAt: null, attempts: 0, nextAttemptAt: new Date(0) } });

  let calls = 0;
  const failing = createMailOutbox({ prisma: h.prisma, send: async () => { calls += 1; throw new Error('SMTP 451: try later'); } });
  expect(await failing.drainOnce()).toBeGreaterThanOrEqual(1);
  expect(calls).toBeGreaterThanOrEqual(1);
  const failed = await h.prisma.mailOutbox.findFirstOrThrow({ where: { bookingId: booking.id } });
  expect(failed).toMatchObject({ attempts: 1, sentAt: null, failedAt: null, lastError: 'Error: SMTP 451: try later' });
  expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + outboxBackoffMs(1) / 2);

  // Not due yet: nothing to claim for it.
  const working = createMailOutbox({ prisma: h.prisma, send: createActivities({ prisma: h.prisma, mailer: h.inbox.mailer, config }).sendBookingEmail });
  await working.drainOnce();
  expect((await h.prisma.mailOutbox.findFirstOrThrow({ where: { bookingId: booking.id } })).sentAt).toBeNull();

  await h.prisma.mailOutbox.updateMany({ where: { bookingId: booking.id }, data: { nextAttemptAt: new Date(0) } });
  await working.drainOnce();
  const sent = await h.prisma.mailOutbox.findFirstOrThrow({ where: { bookingId: booking.id } });
  expect(sent).toMatchObject({ attempts: 2, lastError: null });
  expect(sent.sentAt).not.toBeNull();
});

test('when the mail server refuses one recipient, then the others still get the e-mail, and the retry sends only what is missing', async () => {
  const booking = await submitted();
  await withoutHarnessDispatcher();
  await h.prisma.emailLedger.deleteMany({ where: { bookingId: booking.id } });
  await h.prisma.mailOutbox.updateMany({ where: { bookingId: booking.id }, data: { sentAt: null, attempts: 0, nextAttemptAt: new Date(0) } });
  const resident = h.fixtures.resident.email;
  // The resident's mailbox is gone (550); the operators' is fine. Both are real SMTP servers.
  const refusing = await startScriptedSmtpServer({ onRcptTo: (_address, _session, callback) => callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 })) });
  const refusingMailer = createSmtpMailer(refusing.url, config.mail.from);
  const residentGone: Mailer = { send: (mail) => (mail.to === resident ? refusingMailer : h.inbox.mailer).send(mail), close: async () => undefined };
  const toOperator = () => h.inbox.to(h.fixtures.operator.email).filter((mail) => mail.subject?.startsWith(`Новая заявка ${booking.code}`)).length;
  const toResident = () => h.inbox.to(resident).filter((mail) => mail.subject?.startsWith(`Заявка ${booking.code} принята`)).length;
  const before = { operator: toOperator(), resident: toResident() };
  try {
    // The resident comes first in the round: before, the refusal kept the operators from hearing at all.
    await createMailOutbox({ prisma: h.prisma, send: createActivities({ prisma: h.prisma, mailer: residentGone, config }).sendBookingEmail }).drainOnce();
    const failed = await h.prisma.mailOutbox.findFirstOrThrow({ where: { bookingId: booking.id } });
    expect(failed).toMatchObject({ attempts: 1, sentAt: null, failedAt: null });
    expect(failed.lastError).toContain('550');
    expect(toOperator()).toBe(before.operator + 1);
    expect(toResident()).toBe(before.resident);

    await h.prisma.mailOutbox.updateMany({ where: { bookingId: booking.id }, data: { nextAttemptAt: new Date(0) } });
    await createMailOutbox({ prisma: h.prisma, send: createActivities({ prisma: h.prisma, mailer: h.inbox.mailer, config }).sendBookingEmail }).drainOnce();
    expect((await h.prisma.mailOutbox.findFirstOrThrow({ where: { bookingId: booking.id } })).sentAt).not.toBeNull();
    expect(toResident()).toBe(before.resident + 1);
    expect(toOperator()).toBe(before.operator + 1);
  } finally {
    await refusingMailer.close();
    await refusing.close();
  }
});

test('when an appointment e-mail goes out, then the e-mail metrics count it under its kind', async () => {
  await withoutHarnessDispatcher();
  const email = `counted.${Date.now()}@example.test`;
  await appointOperator(h.prisma, h.fixtures.admin, { email, districtIds: [h.fixtures.districtId] });
  const registry = new Registry();
  const metrics = { email: createEmailMetrics(registry) };
  const activities = createActivities({ prisma: h.prisma, mailer: h.inbox.mailer, config, metrics });
  await createMailOutbox({ prisma: h.prisma, send: outboxSender({ prisma: h.prisma, mailer: h.inbox.mailer, config, metrics }, activities.sendBookingEmail) }).drainOnce();
  expect(h.inbox.to(email)).toHaveLength(1);
  expect(await registry.getSingleMetricAsString('opendk_emails_sent_total')).toContain('opendk_emails_sent_total{kind="OPERATOR_APPOINTED"} 1');
});

test('when an operator is dismissed before their appointment e-mail goes out, then only the dismissal is sent, and both rows are done', async () => {
  await withoutHarnessDispatcher();
  const email = `appointed.${Date.now()}@example.test`;
  const { operator } = await appointOperator(h.prisma, h.fixtures.admin, { email, districtIds: [h.fixtures.districtId] });
  await dismissOperator(h.prisma, h.fixtures.admin, operator.id);
  const activities = createActivities({ prisma: h.prisma, mailer: h.inbox.mailer, config });
  await createMailOutbox({ prisma: h.prisma, send: outboxSender({ prisma: h.prisma, mailer: h.inbox.mailer, config }, activities.sendBookingEmail) }).drainOnce();
  const rows = await h.prisma.mailOutbox.findMany({ where: { data: { path: ['userId'], equals: operator.id } }, orderBy: { createdAt: 'asc' } });
  expect(rows.map((row) => [row.kind, row.sentAt !== null])).toEqual([
    ['OPERATOR_APPOINTED', true],
    ['OPERATOR_DISMISSED', true],
  ]);
  expect(h.inbox.to(email).map((mail) => mail.subject)).toEqual(['Вы больше не оператор «Открытого ДК» / You are no longer an Open DK operator']);
  // The appointment's message is written down as withdrawn, never handed over.
  const ledger = await h.prisma.emailLedger.findMany({ where: { recipient: email }, select: { kind: true, status: true, sendAttempts: true }, orderBy: { kind: 'asc' } });
  expect(ledger).toEqual([
    { kind: 'OPERATOR_APPOINTED', status: 'WITHDRAWN', sendAttempts: 0 },
    { kind: 'OPERATOR_DISMISSED', status: 'SENT', sendAttempts: 1 },
  ]);
});

test('when a row fails its last attempt, then it is marked failed and never claimed again', async () => {
  const booking = await submitted();
  await withoutHarnessDispatcher();
  await h.prisma.mailOutbox.updateMany({ where: { bookingId: booking.id }, data: { sentAt: null, attempts: 15, nextAttemptAt: new Date(0) } });
  const failing = createMailOutbox({ prisma: h.prisma, maxAttempts: 16, send: async () => { throw new Error('mailbox unavailable'); } });
  await failing.drainOnce();
  const row = await h.prisma.mailOutbox.findFirstOrThrow({ where: { bookingId: booking.id } });
  expect(row.attempts).toBe(16);
  expect(row.failedAt).not.toBeNull();
  await h.prisma.mailOutbox.updateMany({ where: { bookingId: booking.id }, data: { nextAttemptAt: new Date(0) } });
  let claimed = 0;
  await createMailOutbox({ prisma: h.prisma, send: async () => void (claimed += 1) }).drainOnce();
  expect(claimed).toBe(0);
});

test('when two dispatchers drain the same due rows at once, then each request is sent exactly once', async () => {
  const bookings = await Promise.all(Array.from({ length: 12 }, () => submitted()));
  const ids = bookings.map((booking) => booking.id);
  await withoutHarnessDispatcher();
  // Whatever the harness's dispatcher sent: forget it, and make every row due again.
  await h.prisma.emailLedger.deleteMany({ where: { bookingId: { in: ids } } });
  await h.prisma.mailOutbox.updateMany({ where: { bookingId: { in: ids } }, data: { sentAt: null, attempts: 0, nextAttemptAt: new Date(0) } });

  const sends: string[] = [];
  const send = async (request: OutboxRequest) => void sends.push('bookingId' in request ? request.bookingId : request.key);
  const first = createMailOutbox({ prisma: h.prisma, send, batchSize: 4 });
  const second = createMailOutbox({ prisma: h.prisma, send, batchSize: 4 });
  // A dozen rows (and whatever else is due), four a pass: far fewer passes than this unless rows come back.
  const MAX_PASSES = 50;
  const drain = async (outbox: typeof first) => {
    for (let pass = 0; pass < MAX_PASSES; pass++) if ((await outbox.drainOnce()) === 0) return;
    throw new Error(`the outbox still claimed rows after ${MAX_PASSES} passes`);
  };
  await Promise.all([drain(first), drain(second)]);

  const ours = sends.filter((id) => ids.includes(id));
  expect(ours.sort()).toEqual([...ids].sort());
  expect(await h.prisma.mailOutbox.count({ where: { bookingId: { in: ids }, sentAt: null } })).toBe(0);
});

test('when a send outlasts the lease (several recipients on a slow mail server), then the running send keeps its row, and no other dispatcher starts it again', async () => {
  const booking = await submitted();
  await withoutHarnessDispatcher();
  await h.prisma.mailOutbox.updateMany({ where: { bookingId: booking.id }, data: { sentAt: null, attempts: 0, nextAttemptAt: new Date(0) } });
  const LEASE_MS = 300;
  let starts = 0;
  let finish!: () => void;
  const slow = createMailOutbox({ prisma: h.prisma, leaseMs: LEASE_MS, send: () => ((starts += 1), new Promise<void>((resolve) => (finish = resolve))) });
  const other = createMailOutbox({ prisma: h.prisma, leaseMs: LEASE_MS, send: async () => void (starts += 1) });
  const sending = slow.drainOnce();
  await waitFor(() => starts === 1, { description: 'the slow send to start' });
  // Three leases long, the other dispatcher keeps looking: the row stays leased to the running send.
  const until = Date.now() + 3 * LEASE_MS;
  await waitFor(async () => (await other.drainOnce(), Date.now() > until), { timeoutMs: 10_000, intervalMs: 50, description: 'three leases to pass' });
  expect(starts).toBe(1);
  finish();
  await sending;
  const [row] = await h.prisma.mailOutbox.findMany({ where: { bookingId: booking.id } });
  expect({ attempts: row.attempts, sent: row.sentAt !== null }).toEqual({ attempts: 1, sent: true });
});

/** A booking taken through call-back, services and confirmation, then cancelled by its resident. */
async function confirmedThenCancelled() {
  const booking = await submitted();
  const deps = h.deps();
  const { operator, resident } = h.fixtures;
  await recordCallback(deps, operator, booking.id, { outcome: 'AGREED' });
  await submitAddOns(deps, resident, booking.id);
  await confirmBooking(deps, operator, booking.id);
  await cancelBooking(deps, resident, booking.id, { reason: 'Передумали' });
  return booking;
}

test('when a confirmation e-mail can go out only after the booking was cancelled, then it is not sent: its invitation would put the cancelled event back in the calendar', async () => {
  const booking = await confirmedThenCancelled();
  // A confirmation held back by the mail server until now (another key: the ledger would not stop it).
  const activities = createActivities({ prisma: h.prisma, mailer: h.inbox.mailer, config });
  expect(await activities.sendBookingEmail({ bookingId: booking.id, kind: 'CONFIRMED', key: 'held-back' })).toEqual({ sent: 0, skipped: 0 });
  // Its message is written down as withdrawn, never handed over: an attempt still to come sends nothing either.
  const rows = await h.prisma.emailLedger.findMany({ where: { bookingId: booking.id, kind: 'CONFIRMED', dedupeKey: { contains: 'held-back' } }, select: { status: true, sendAttempts: true } });
  expect(rows).toEqual([{ status: 'WITHDRAWN', sendAttempts: 0 }]);
});

/**
 * A ledger row as an attempt leaves it when its worker dies between claiming the message and
 * marking it SENT: its claim runs for `claimForSeconds` more (negative: it has run out).
 */
async function diedMidSend(dedupeKey: string, bookingId: string | null, kind: string, recipient: string, claimForSeconds: number) {
  await h.prisma.$executeRaw`INSERT INTO email_ledger (id, dedupe_key, booking_id, kind, recipient, message_id, send_attempts, claimed_until, claim_token)
    VALUES (gen_random_uuid(), ${dedupeKey}, ${bookingId}::uuid, ${kind}, ${recipient}, '<died@opendk.test>', 1, now() + ${claimForSeconds} * interval '1 second', gen_random_uuid())`;
}
const ledgerStatus = async (dedupeKey: string) => (await h.prisma.emailLedger.findUniqueOrThrow({ where: { dedupeKey } })).status;

test('when a confirmation whose attempt died mid-send is overtaken by the cancellation, then its ledger row is withdrawn, not left pending, and no later attempt sends it', async () => {
  const booking = await confirmedThenCancelled();
  const residentEmail = (await h.prisma.user.findUniqueOrThrow({ where: { id: h.fixtures.resident.id } })).email;
  const died = `${booking.id}:CONFIRMED:died:RESIDENT:${residentEmail}`;
  // Another key of the same kind, and another kind: not this e-mail's, so left as they are.
  const otherKey = `${booking.id}:CONFIRMED:died-2:RESIDENT:${residentEmail}`;
  const otherKind = `${booking.id}:CANCELLED:died:RESIDENT:${residentEmail}`;
  for (const key of [died, otherKey, otherKind]) await diedMidSend(key, booking.id, key.split(':')[1], residentEmail, 60);

  // While the dead attempt's claim runs, it might still be handing the message over: left to it, tried again after.
  const activities = createActivities({ prisma: h.prisma, mailer: h.inbox.mailer, config });
  const early = await activities.sendBookingEmail({ bookingId: booking.id, kind: 'CONFIRMED', key: 'died' }).catch((error: unknown) => error);
  expect(early).toBeInstanceOf(MessageClaimedError);
  expect((early as MessageClaimedError).retryAfterMs).toBeGreaterThan(55_000);
  expect(await ledgerStatus(died)).toBe('PENDING');

  await h.prisma.emailLedger.update({ where: { dedupeKey: died }, data: { claimedUntil: new Date(Date.now() - 1_000) } });
  expect(await activities.sendBookingEmail({ bookingId: booking.id, kind: 'CONFIRMED', key: 'died' })).toEqual({ sent: 0, skipped: 0 });
  expect([await ledgerStatus(died), await ledgerStatus(otherKey), await ledgerStatus(otherKind)]).toEqual(['WITHDRAWN', 'PENDING', 'PENDING']);

  // An attempt that read the booking before the cancellation finds it withdrawn and sends nothing.
  const before = h.inbox.to(residentEmail).length;
  const outcome = await sendThroughLedger(h.prisma, h.inbox.mailer, config.mail.from, { dedupeKey: died, bookingId: booking.id, kind: 'CONFIRMED', mail: { to: residentEmail, subject: 'Подтверждено', text: '…' } });
  expect(outcome).toBe('skipped');
  expect(h.inbox.to(residentEmail)).toHaveLength(before);
});

test('when an appointment e-mail whose attempt died mid-send is overtaken by the dismissal, then its ledger row is withdrawn', async () => {
  await withoutHarnessDispatcher();
  const email = `withdrawn.${Date.now()}@example.test`;
  const { operator } = await appointOperator(h.prisma, h.fixtures.admin, { email, districtIds: [h.fixtures.districtId] });
  const [appointment] = await h.prisma.mailOutbox.findMany({ where: { kind: 'OPERATOR_APPOINTED', data: { path: ['userId'], equals: operator.id } } });
  await diedMidSend(`staff:${appointment.key}:OPERATOR_APPOINTED:${email}`, null, 'OPERATOR_APPOINTED', email, -1);
  await dismissOperator(h.prisma, h.fixtures.admin, operator.id);
  const activities = createActivities({ prisma: h.prisma, mailer: h.inbox.mailer, config });
  await createMailOutbox({ prisma: h.prisma, send: outboxSender({ prisma: h.prisma, mailer: h.inbox.mailer, config }, activities.sendBookingEmail) }).drainOnce();
  const ledger = await h.prisma.emailLedger.findMany({ where: { recipient: email }, select: { kind: true, status: true }, orderBy: { kind: 'asc' } });
  expect(ledger).toEqual([
    { kind: 'OPERATOR_APPOINTED', status: 'WITHDRAWN' },
    { kind: 'OPERATOR_DISMISSED', status: 'SENT' },
  ]);
});
