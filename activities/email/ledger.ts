import { ApplicationFailure } from '@temporalio/common';
import { createHash, randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient } from '../../src/db/client';
import { withoutAddresses } from '../../src/logger';
import { mailErrorSummary, type Mailer, type OutgoingMail } from '../../src/mail/mailer';

export interface LedgerEntry {
  dedupeKey: string;
  bookingId: string | null;
  kind: string;
  mail: OutgoingMail;
}

const messageHash = (dedupeKey: string) => createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32);

/** A Message-ID that is the same on every retry of the same ledger entry. */
export function stableMessageId(dedupeKey: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'opendk.local';
  return `<${messageHash(dedupeKey)}@${domain}>`;
}

/**
 * How long an attempt holds a message: longer than the outbox's lease (60 s, so a row claimed
 * again after its lease still finds the message claimed while the first send runs) and than a
 * hand-over may take (SMTP_SEND_DEADLINE_MS). A dead attempt's claim runs out after it.
 */
export const LEDGER_CLAIM_MS = 75_000;

/**
 * Another attempt is handing this message over now: retry later (it is SENT then, or its claim
 * ran out). An ApplicationFailure, so the e-mail activity's next attempt waits just that long;
 * the outbox dispatcher reads `retryAfterMs` for its own schedule.
 */
export class MessageClaimedError extends ApplicationFailure {
  constructor(
    dedupeKey: string,
    /** When the other attempt's claim runs out (plus a second): the retry need not come earlier. */
    readonly retryAfterMs: number,
  ) {
    // The key names the recipient; its hash (the Message-ID's) tells attempts apart in logs just as well.
    super(`Another attempt is sending message ${messageHash(dedupeKey)}; retried when it is done or its claim runs out`, 'MESSAGE_CLAIMED', false, undefined, undefined, retryAfterMs);
  }
}

/**
 * The mail server did not take a message. Its message names no one, since the SDK logs a failed
 * activity's error and history keeps it: SMTP replies and nodemailer's fields quote addresses.
 * The server's own words, with the addresses blanked, stay readable for mail_outbox.last_error.
 */
export class MailNotSentError extends ApplicationFailure {
  /** The error's code and SMTP reply code, e.g. "EENVELOPE 550". */
  readonly summary: string;
  /** Not enumerable: a logger printing this error's fields must not print them. */
  declare readonly serverReply: string;

  constructor(error: unknown) {
    const summary = mailErrorSummary(error);
    super(`The mail server did not take the message (${summary})`, 'MAIL_NOT_SENT', false);
    this.summary = summary;
    const reply = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    // Blanked too: the outbox row outlives the message, in backups as well.
    Object.defineProperty(this, 'serverReply', { value: withoutAddresses(reply), enumerable: false });
  }
}

/** An e-mail its booking or staff change has overtaken: its rows in the ledger, and the messages it would send now. */
export interface OvertakenEmail {
  /** The booking's id; null for a staff e-mail. */
  bookingId: string | null;
  kind: string;
  /** Every message of this e-mail has a dedupe key starting so. */
  keyPrefix: string;
  messages: { dedupeKey: string; recipient: string }[];
}

/**
 * Settles an e-mail that nobody will send any more. Rows an attempt left PENDING (it died before
 * the SENT mark, or its hand-over failed) would otherwise wait for a retry that never comes; the
 * messages no attempt has begun are written WITHDRAWN, so that an attempt that read its booking
 * before the change cannot start them after it. A row an attempt still holds is left to it (it
 * may be handing the message over now): the answer is how long its claim still runs, after which
 * the caller is to try again (0 when everything is settled).
 */
export async function withdrawUnsent(prisma: PrismaClient, email: OvertakenEmail): Promise<number> {
  const keys = email.messages.map((message) => message.dedupeKey);
  const recipients = email.messages.map((message) => message.recipient);
  // Scoped by booking_id (indexed; NULL for the few staff rows) before the prefix, which no index serves.
  const scope = Prisma.sql`${email.bookingId === null ? Prisma.sql`booking_id IS NULL` : Prisma.sql`booking_id = ${email.bookingId}::uuid`} AND starts_with(dedupe_key, ${email.keyPrefix})`;
  const [, , [held]] = await prisma.$transaction([
    prisma.$executeRaw`
      INSERT INTO email_ledger (id, dedupe_key, booking_id, kind, recipient, status)
      SELECT gen_random_uuid(), key, ${email.bookingId}::uuid, ${email.kind}, recipient, 'WITHDRAWN'
        FROM unnest(${keys}::text[], ${recipients}::text[]) AS message(key, recipient)
      ON CONFLICT (dedupe_key) DO NOTHING`,
    prisma.$executeRaw`
      UPDATE email_ledger SET status = 'WITHDRAWN', claimed_until = NULL, claim_token = NULL
       WHERE ${scope}
         AND status = 'PENDING' AND (claimed_until IS NULL OR claimed_until <= now())`,
    prisma.$queryRaw<{ held_for_ms: number }[]>`
      SELECT COALESCE(MAX(EXTRACT(EPOCH FROM (claimed_until - now())) * 1000), 0)::float8 AS held_for_ms FROM email_ledger
       WHERE ${scope}
         AND status = 'PENDING' AND claimed_until > now()`,
  ]);
  return Math.ceil(held.held_for_ms);
}

/**
 * At most once per dedupe key: claim the row (insert it PENDING, or take an unclaimed PENDING
 * one), skip if SENT or WITHDRAWN, send with the stable Message-ID, mark SENT. Two attempts that overlap (an
 * activity that timed out but still runs beside its retry, a row two outbox claims hold) cannot
 * both send: the second finds the claim and fails, to be retried. If the process dies between
 * sending and marking, the claim runs out and the retry sends again with the same Message-ID,
 * which mail clients treat as one message.
 */
export async function sendThroughLedger(
  prisma: PrismaClient,
  mailer: Mailer,
  from: string,
  entry: LedgerEntry,
): Promise<'sent' | 'skipped'> {
  const messageId = stableMessageId(entry.dedupeKey, from);
  // One round trip for the usual case: the new row, claimed; or an earlier attempt's row that is
  // neither SENT nor claimed, claimed now. Counted before the hand-over, so a message that
  // reached someone twice shows 2 here.
  // The claim is this attempt's own (claim_token): an attempt that outlived its claim cannot
  // release or mark the one a later attempt took.
  const token = randomUUID();
  const claimed = await prisma.$queryRaw<{ claimed: true }[]>`
    INSERT INTO email_ledger (id, dedupe_key, booking_id, kind, recipient, message_id, send_attempts, claimed_until, claim_token)
    VALUES (${randomUUID()}::uuid, ${entry.dedupeKey}, ${entry.bookingId}::uuid, ${entry.kind}, ${entry.mail.to}, ${messageId}, 1,
            now() + ${LEDGER_CLAIM_MS}::float8 * interval '1 millisecond', ${token}::uuid)
    ON CONFLICT (dedupe_key) DO UPDATE
      SET send_attempts = email_ledger.send_attempts + 1, claimed_until = EXCLUDED.claimed_until, claim_token = EXCLUDED.claim_token
      WHERE email_ledger.status = 'PENDING' AND (email_ledger.claimed_until IS NULL OR email_ledger.claimed_until <= now())
    RETURNING true AS claimed`;
  if (claimed.length === 0) {
    const [current] = await prisma.$queryRaw<{ status: 'PENDING' | 'SENT' | 'WITHDRAWN'; claimed_for_ms: number | null }[]>`
      SELECT status::text AS status, GREATEST(0, EXTRACT(EPOCH FROM (claimed_until - now())) * 1000)::float8 AS claimed_for_ms
        FROM email_ledger WHERE dedupe_key = ${entry.dedupeKey}`;
    // Withdrawn: an attempt that read its booking before the change that overtook it sends nothing either.
    if (current?.status === 'SENT' || current?.status === 'WITHDRAWN') return 'skipped';
    throw new MessageClaimedError(entry.dedupeKey, Math.ceil(current?.claimed_for_ms ?? 0) + 1_000);
  }
  try {
    await mailer.send({ ...entry.mail, messageId });
  } catch (error) {
    // Refused or unreachable: the next attempt need not wait for the claim to run out.
    await prisma.$executeRaw`UPDATE email_ledger SET claimed_until = NULL, claim_token = NULL WHERE dedupe_key = ${entry.dedupeKey} AND claim_token = ${token}::uuid`.catch(() => undefined);
    throw new MailNotSentError(error);
  }
  // SENT whoever holds the claim now: the message was handed over, a later claim must not send it again.
  await prisma.$executeRaw`UPDATE email_ledger SET status = 'SENT', sent_at = now(), claimed_until = NULL, claim_token = NULL WHERE dedupe_key = ${entry.dedupeKey}`;
  return 'sent';
}
