import type { PrismaClient } from '../../src/db/client';
import type { TestInbox } from '../../test/support/smtp';
import { waitFor } from '../../test/support/wait';

interface MailCheckInput {
  prisma: PrismaClient;
  inbox: Pick<TestInbox, 'messages'>;
  bookings: { id: string; variant: string }[];
  check(ok: boolean, message: string): void;
  log(message: string): void;
}

/**
 * The drill's e-mail checks: the outbox is sent, no ledger row is left pending, only overtaken
 * messages are withdrawn, and none reached the SMTP server twice but after a killed hand-over.
 */
export async function checkMail({ prisma, inbox, bookings, check, log }: MailCheckInput): Promise<void> {
  // The submission e-mails go through mail_outbox: a worker killed mid-send leaves its claimed
  // rows to the next claim after their lease (60 s).
  const bookingIds = bookings.map((booking) => booking.id);
  const outboxDrained = await waitFor(async () => (await prisma.mailOutbox.count({ where: { bookingId: { in: bookingIds }, sentAt: null, failedAt: null } })) === 0, {
    timeoutMs: 180_000,
    intervalMs: 1_000,
    description: 'the mail outbox to be sent',
  }).then(() => true, () => false);
  const outbox = await prisma.mailOutbox.findMany({ where: { bookingId: { in: bookingIds } }, select: { sentAt: true, attempts: true } });
  check(outboxDrained && outbox.every((row) => row.sentAt !== null), `every outbox e-mail request was sent (${outbox.length} rows, ${outbox.filter((row) => row.attempts > 1).length} needed another attempt)`);

  const ledger = await prisma.emailLedger.findMany({ where: { bookingId: { in: bookingIds } } });
  const pending = ledger.filter((row) => row.status === 'PENDING');
  for (const row of pending) log(`  not sent: ${row.kind} of booking ${row.bookingId}`);
  // A message an attempt left unsent (it died mid-send) whose booking then moved past it: a
  // confirmation of a booking cancelled since, a reminder of a task done since. Withdrawn.
  const withdrawn = ledger.filter((row) => row.status === 'WITHDRAWN');
  const cancelled = new Set(bookings.filter((booking) => booking.variant === 'CANCELLED').map((booking) => booking.id));
  for (const row of withdrawn) log(`  withdrawn: ${row.kind} of booking ${row.bookingId}, ${row.sendAttempts} hand-over(s) begun`);
  check(pending.length === 0, `no ledger row is left pending (${ledger.length} rows: ${ledger.length - pending.length - withdrawn.length} sent, ${withdrawn.length} withdrawn, ${pending.length} pending)`);
  const overtakable = (row: (typeof ledger)[number]) => (row.kind === 'CONFIRMED' ? cancelled.has(row.bookingId!) : row.kind === 'TASK_REMINDER' || row.kind === 'TASK_ESCALATION');
  check(withdrawn.every(overtakable), `only e-mails their bookings overtook are withdrawn: confirmations of bookings cancelled since, reminders and escalations (${withdrawn.length})`);
  const seen = new Map<string, number>();
  for (const mail of inbox.messages) {
    const key = `${mail.messageId ?? `${String(mail.subject)} → ${JSON.stringify(mail.to)}`}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const duplicated = [...seen.entries()].filter(([, count]) => count > 1);
  for (const [key, count] of duplicated) log(`  ${count}× ${key}`);
  // The ledger hands a message over again only when a worker died between the mail server's
  // acceptance and the ledger's SENT mark (at-least-once, never lost). The copy keeps its
  // Message-ID, so mail clients show one message; its ledger row counts the second hand-over.
  const handedOverAgain = new Set(ledger.filter((row) => row.sendAttempts > 1).map((row) => row.messageId));
  const unexplained = duplicated.filter(([key]) => !handedOverAgain.has(key));
  check(
    unexplained.length === 0,
    `no e-mail arrived twice but after a worker died mid-send (${inbox.messages.length} e-mails; ${duplicated.length} arrived twice with the same Message-ID, each after a killed attempt: ${duplicated.length - unexplained.length})`,
  );
}
