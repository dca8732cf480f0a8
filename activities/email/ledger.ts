import { createHash, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../src/db/client';
import type { Mailer, OutgoingMail } from '../../src/mail/mailer';

export interface LedgerEntry {
  dedupeKey: string;
  bookingId: string | null;
  kind: string;
  mail: OutgoingMail;
}

/** A Message-ID that is the same on every retry of the same ledger entry. */
export function stableMessageId(dedupeKey: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'opendk.local';
  return `<${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32)}@${domain}>`;
}

/**
 * At most once per dedupe key: insert a PENDING row (or take the existing one), skip if SENT,
 * send with the stable Message-ID, mark SENT. If the process dies between sending and marking,
 * the retry sends again with the same Message-ID, which mail clients treat as one message.
 */
export async function sendThroughLedger(
  prisma: PrismaClient,
  mailer: Mailer,
  from: string,
  entry: LedgerEntry,
): Promise<'sent' | 'skipped'> {
  const messageId = stableMessageId(entry.dedupeKey, from);
  // One round trip: the new PENDING row, or the one an earlier attempt left (the update makes
  // RETURNING give the existing row too).
  // Counted before the hand-over, so a message that reached someone twice shows 2 here.
  const [row] = await prisma.$queryRaw<{ status: 'PENDING' | 'SENT' }[]>`
    INSERT INTO email_ledger (id, dedupe_key, booking_id, kind, recipient, message_id, send_attempts)
    VALUES (${randomUUID()}::uuid, ${entry.dedupeKey}, ${entry.bookingId}::uuid, ${entry.kind}, ${entry.mail.to}, ${messageId}, 1)
    ON CONFLICT (dedupe_key) DO UPDATE
      SET send_attempts = email_ledger.send_attempts + CASE WHEN email_ledger.status = 'SENT' THEN 0 ELSE 1 END
    RETURNING status::text AS status`;
  if (row.status === 'SENT') return 'skipped';
  await mailer.send({ ...entry.mail, messageId });
  await prisma.$executeRaw`UPDATE email_ledger SET status = 'SENT', sent_at = now() WHERE dedupe_key = ${entry.dedupeKey}`;
  return 'sent';
}
