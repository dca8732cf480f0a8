import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { LEDGER_CLAIM_MS, MailNotSentError, MessageClaimedError, sendThroughLedger } from '../../activities/email/ledger';
import { createLogger } from '../../src/logger';
import { createSmtpMailer } from '../../src/mail/create-mailer';
import { sdkLogger } from '../../src/worker/sdk-logger';
import { createPrismaClient, type PrismaClient } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migrate';
import type { Mailer, OutgoingMail } from '../../src/mail/mailer';
import { createThrowawayDatabase, type TestDatabase } from '../support/db';
import { startScriptedSmtpServer, startTestInbox, type TestInbox } from '../support/smtp';

/** The ledger over real PostgreSQL and a real SMTP server: overlapping attempts send once. */
let database: TestDatabase;
let prisma: PrismaClient;
let inbox: TestInbox;
beforeAll(async () => {
  database = await createThrowawayDatabase('ledger');
  await applyMigrations(database.url);
  prisma = createPrismaClient(database.url);
  inbox = await startTestInbox();
}, 60_000);
afterAll(async () => {
  await prisma?.$disconnect();
  await inbox?.close();
  await database?.drop();
});

const FROM = 'Открытый ДК <no-reply@opendk.test>';

/** The inbox's mailer, held at the door until `open()` (or refusing at `refuse()`): a slow mail server. */
function slowMailer(): { mailer: Mailer; open(): void; refuse(): void; waiting: Promise<void> } {
  let open!: () => void;
  let refuse!: () => void;
  const gate = new Promise<void>((resolve, reject) => ((open = resolve), (refuse = () => reject(new Error('421 closing')))));
  let arrived!: () => void;
  const waiting = new Promise<void>((resolve) => (arrived = resolve));
  return {
    mailer: { send: async (mail: OutgoingMail) => (arrived(), await gate, inbox.mailer.send(mail)), close: async () => undefined },
    open,
    refuse,
    waiting,
  };
}

function entry() {
  const to = `ledger.${randomUUID().slice(0, 8)}@example.test`;
  return { dedupeKey: `test:${to}`, bookingId: null, kind: 'TEST', mail: { to, subject: 'Проверка', text: 'Письмо' } };
}

test('when a second attempt overlaps one that is still handing the message over, then it fails to be retried and the message goes out once', async () => {
  const message = entry();
  const slow = slowMailer();
  const first = sendThroughLedger(prisma, slow.mailer, FROM, message);
  await slow.waiting;
  const overlapping = await sendThroughLedger(prisma, inbox.mailer, FROM, message).catch((error: unknown) => error);
  expect(overlapping).toBeInstanceOf(MessageClaimedError);
  // Retryable, and not before the claim runs out (the activity's next attempt waits that long).
  expect(overlapping).toMatchObject({ type: 'MESSAGE_CLAIMED', nonRetryable: false });
  expect((overlapping as MessageClaimedError).retryAfterMs).toBeGreaterThan(LEDGER_CLAIM_MS - 5_000);
  expect((overlapping as MessageClaimedError).retryAfterMs).toBeLessThanOrEqual(LEDGER_CLAIM_MS + 1_000);
  slow.open();
  expect(await first).toBe('sent');
  expect(await sendThroughLedger(prisma, inbox.mailer, FROM, message)).toBe('skipped');
  await inbox.waitForMessages(message.mail.to, 1);
  expect(inbox.to(message.mail.to)).toHaveLength(1);
  const row = await prisma.emailLedger.findUniqueOrThrow({ where: { dedupeKey: message.dedupeKey } });
  expect(row).toMatchObject({ status: 'SENT', sendAttempts: 1, claimedUntil: null });
});

test('when a hand-over fails, then the claim is released at once; when an attempt died holding it, then the claim runs out and the message goes out', async () => {
  const refused = entry();
  const failing: Mailer = { send: async () => Promise.reject(new Error('554 refused')), close: async () => undefined };
  await expect(sendThroughLedger(prisma, failing, FROM, refused)).rejects.toBeInstanceOf(MailNotSentError);
  expect(await sendThroughLedger(prisma, inbox.mailer, FROM, refused)).toBe('sent');
  expect(await prisma.emailLedger.findUniqueOrThrow({ where: { dedupeKey: refused.dedupeKey } })).toMatchObject({ status: 'SENT', sendAttempts: 2 });

  // An attempt that died mid-send leaves its claim: refused until it runs out.
  const orphaned = entry();
  const slow = slowMailer();
  void sendThroughLedger(prisma, slow.mailer, FROM, orphaned).catch(() => undefined); // never let through: "dies"
  await slow.waiting;
  await expect(sendThroughLedger(prisma, inbox.mailer, FROM, orphaned)).rejects.toBeInstanceOf(MessageClaimedError);
  await prisma.$executeRaw`UPDATE email_ledger SET claimed_until = now() - interval '1 second' WHERE dedupe_key = ${orphaned.dedupeKey}`;
  expect(await sendThroughLedger(prisma, inbox.mailer, FROM, orphaned)).toBe('sent');
  await inbox.waitForMessages(orphaned.mail.to, 1);
  expect(inbox.to(orphaned.mail.to)).toHaveLength(1);
});

test('when an attempt outlived its claim and then fails, then it does not release the claim a later attempt holds', async () => {
  const message = entry();
  const stale = slowMailer();
  const first = sendThroughLedger(prisma, stale.mailer, FROM, message).catch((error: Error) => error);
  await stale.waiting;
  await prisma.$executeRaw`UPDATE email_ledger SET claimed_until = now() - interval '1 second' WHERE dedupe_key = ${message.dedupeKey}`;
  const current = slowMailer();
  const second = sendThroughLedger(prisma, current.mailer, FROM, message);
  await current.waiting;
  stale.refuse();
  expect(((await first) as MailNotSentError).serverReply).toBe('Error: 421 closing');
  await expect(sendThroughLedger(prisma, inbox.mailer, FROM, message)).rejects.toBeInstanceOf(MessageClaimedError);
  current.open();
  expect(await second).toBe('sent');
  await inbox.waitForMessages(message.mail.to, 1);
  expect(inbox.to(message.mail.to)).toHaveLength(1);
});

test('when the mail server refuses a recipient, then the error the worker logs and history keeps names no one, and the outbox gets the server’s words without the address', async () => {
  const message = entry();
  const server = await startScriptedSmtpServer({
    onRcptTo: (address, _session, callback) => callback(Object.assign(new Error(`<${address.address}>: mailbox unavailable`), { responseCode: 550 })),
  });
  const mailer = createSmtpMailer(server.url, FROM);
  try {
    const error = await sendThroughLedger(prisma, mailer, FROM, message).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(MailNotSentError);
    expect(error).toMatchObject({ type: 'MAIL_NOT_SENT', nonRetryable: false, summary: 'EENVELOPE 550' });
    expect((error as MailNotSentError).serverReply).toContain('<address>: mailbox unavailable');
    expect((error as MailNotSentError).serverReply).not.toContain(message.mail.to);

    // As the worker logs a failed activity: the SDK's line, through our logger.
    const lines: string[] = [];
    const logger = createLogger('warn', new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
    sdkLogger(logger).log('WARN', 'Activity failed', { error });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('MAIL_NOT_SENT');
    expect(lines[0]).not.toContain(message.mail.to);
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(message.mail.to);
  } finally {
    await mailer.close();
    await server.close();
  }
});
