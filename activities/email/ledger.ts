import { createHash, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../src/db/client';
import type { Mailer, OutgoingMail } from '../../src/mail/mailer';
import { sqlState, SQLSTATE } from '../../src/db/errors';

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
 * At most once per dedupe key: insert a PENDING row (or find the existing one), skip if SENT,
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
  let row = await prisma.emailLedger.findUnique({ where: { dedupeKey: entry.dedupeKey } });
  if (!row) {
    try {
      row = await prisma.emailLedger.create({
        data: { id: randomUUID(), dedupeKey: entry.dedupeKey, bookingId: entry.bookingId, kind: entry.kind, recipient: entry.mail.to, messageId },
      });
    } catch (error) {
      // Another attempt inserted the row first (Prisma reports it as P2002, raw pg as 23505).
      if ((error as { code?: string }).code !== 'P2002' && sqlState(error) !== SQLSTATE.uniqueViolation) throw error;
      row = await prisma.emailLedger.findUniqueOrThrow({ where: { dedupeKey: entry.dedupeKey } });
    }
  }
  if (row.status === 'SENT') return 'skipped';
  await mailer.send({ ...entry.mail, messageId });
  await prisma.emailLedger.update({ where: { dedupeKey: entry.dedupeKey }, data: { status: 'SENT', sentAt: new Date() } });
  return 'sent';
}
