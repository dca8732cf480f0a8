import type { PrismaClient } from '../../src/db/client';
import type { BookingEmailKind, BookingEmailRequest } from './kinds';
import { MailNotSentError, MessageClaimedError } from './ledger';
import type { StaffEmailRequest } from '../../src/staff/staff-email-request';
import type { OutboxRequest } from './staff-email';

/**
 * E-mail requests written to `mail_outbox` with the change they announce (the submission, in the
 * hold's statement; an operator's appointment, in its transaction: src/staff/operators.ts), sent
 * by this dispatcher in the worker process. The submission's answer then waits for no e-mail
 * activity, and the request cannot be lost between the booking's commit and a scheduled activity.
 * Sending goes through the same code and ledger as the e-mail activity, so a request sent by
 * both, or twice, reaches each recipient once.
 *
 * Rows are claimed with FOR UPDATE SKIP LOCKED and a lease (next_attempt_at moved ahead, and
 * renewed while the send runs), so several workers share the table and a worker killed mid-send
 * leaves the row to the next claim after the lease. Failed sends back off like the e-mail activity:
 * 2 s doubling to 15 min, 16 attempts, then the row is marked failed.
 */
export interface MailOutboxOptions {
  prisma: PrismaClient;
  send(request: OutboxRequest): Promise<unknown>;
  /** Idle polling interval; a claim that filled every free slot is followed at once by the next. */
  pollIntervalMs?: number;
  /** Sends in flight at most (and rows per claim). */
  batchSize?: number;
  /** How long a claimed row stays invisible to other claims unless its send, still running, renews it (every third of it). */
  leaseMs?: number;
  maxAttempts?: number;
  onError?(error: unknown, context: { kind: string; attempts: number; final: boolean }): void;
}

export interface MailOutbox {
  /** Claims and sends what is due now; the number of rows claimed. */
  drainOnce(): Promise<number>;
  /** Polls until stopped. */
  start(): void;
  /** Stops claiming and waits for the sends in flight. */
  stop(): Promise<void>;
}

interface ClaimedRow {
  id: string;
  /** None for the staff's e-mails. */
  booking_id: string | null;
  kind: BookingEmailKind | StaffEmailRequest['kind'];
  key: string | null;
  data: BookingEmailRequest['data'] | StaffEmailRequest['data'] | null;
  attempts: number;
}

function requestOf(row: ClaimedRow): OutboxRequest {
  if (row.booking_id === null) return { kind: row.kind, key: row.key, data: row.data } as StaffEmailRequest;
  return { bookingId: row.booking_id, kind: row.kind, ...(row.key ? { key: row.key } : {}), ...(row.data ? { data: row.data } : {}) } as BookingEmailRequest;
}

export const MAIL_OUTBOX_DEFAULTS = { pollIntervalMs: 500, batchSize: 4, leaseMs: 60_000, maxAttempts: 16 } as const;

/** The e-mail activity's retry schedule: 2 s, doubling, at most 15 minutes. */
export function outboxBackoffMs(attempts: number): number {
  return Math.min(2_000 * 2 ** Math.max(0, attempts - 1), 15 * 60_000);
}

export function createMailOutbox(options: MailOutboxOptions): MailOutbox {
  const { prisma, send } = options;
  const { pollIntervalMs, batchSize, leaseMs, maxAttempts } = { ...MAIL_OUTBOX_DEFAULTS, ...definedOnly(options) };
  let started = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let claiming: Promise<unknown> = Promise.resolve();
  // Sends in flight: each one's slot is taken again as soon as it finishes, so one slow message
  // (a mail server holding it) does not keep the rows behind it waiting.
  const inFlight = new Set<Promise<void>>();

  async function claim(limit: number): Promise<ClaimedRow[]> {
    return prisma.$queryRaw<ClaimedRow[]>`
      UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = now() + ${leaseMs}::float8 * interval '1 millisecond'
       WHERE id IN (SELECT id FROM mail_outbox
                     WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
                     ORDER BY next_attempt_at LIMIT ${limit}::int FOR UPDATE SKIP LOCKED)
      RETURNING id, booking_id, kind, key, data, attempts`;
  }

  /**
   * Renews the row's lease while its send runs: one request may go to several recipients, one
   * after another, each allowed SMTP_SEND_DEADLINE_MS, which together can outlast a lease, and
   * another claim would then start the same send again. A worker killed mid-send stops renewing,
   * so the row comes back after one lease. end() waits for a renewal in flight, so it cannot
   * overwrite the send's outcome.
   */
  function keepLeased(id: string): { end(): Promise<void> } {
    let renewing: Promise<unknown> = Promise.resolve();
    const renewal = setInterval(() => {
      renewing = prisma.$executeRaw`
        UPDATE mail_outbox SET next_attempt_at = now() + ${leaseMs}::float8 * interval '1 millisecond'
         WHERE id = ${id}::uuid AND sent_at IS NULL AND failed_at IS NULL`.catch(() => undefined);
    }, leaseMs / 3);
    renewal.unref?.();
    return {
      async end() {
        clearInterval(renewal);
        await renewing;
      },
    };
  }

  async function deliver(row: ClaimedRow): Promise<void> {
    const lease = keepLeased(row.id);
    try {
      await send(requestOf(row));
      await lease.end();
      await prisma.$executeRaw`UPDATE mail_outbox SET sent_at = now(), last_error = NULL WHERE id = ${row.id}::uuid`;
    } catch (error) {
      await lease.end();
      // Another attempt is handing a message of this row over: try again when its claim runs out.
      const retryInMs = error instanceof MessageClaimedError ? error.retryAfterMs : outboxBackoffMs(row.attempts);
      const final = row.attempts >= maxAttempts;
      const message = (error instanceof MailNotSentError ? error.serverReply : error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
      await prisma.$executeRaw`
        UPDATE mail_outbox SET last_error = ${message},
               failed_at = CASE WHEN ${final}::boolean THEN now() END,
               next_attempt_at = now() + ${retryInMs}::float8 * interval '1 millisecond'
         WHERE id = ${row.id}::uuid`.catch(() => undefined); // the lease brings the row back anyway
      options.onError?.(error, { kind: row.kind, attempts: row.attempts, final });
    }
  }

  function track(row: ClaimedRow): Promise<void> {
    const sending = deliver(row).finally(() => {
      inFlight.delete(sending);
      if (!stopped) schedule(0);
    });
    inFlight.add(sending);
    return sending;
  }

  async function drainOnce(): Promise<number> {
    const rows = await claim(batchSize);
    await Promise.all(rows.map(track));
    return rows.length;
  }

  /** Fills the free send slots; polls again at once when it filled them all. */
  async function tick(): Promise<void> {
    const free = batchSize - inFlight.size;
    if (free <= 0) return; // a finishing send calls again
    let rows: ClaimedRow[] = [];
    try {
      rows = await claim(free);
    } catch (error) {
      // The database is away: the rows stay where they are, the next tick tries again.
      options.onError?.(error, { kind: 'claim', attempts: 0, final: false });
    }
    rows.forEach(track);
    schedule(rows.length === free ? 0 : pollIntervalMs);
  }

  function schedule(delayMs: number): void {
    if (!started || stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      claiming = claiming.then(tick);
    }, delayMs);
    timer.unref?.();
  }

  return {
    drainOnce,
    start() {
      started = true;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await claiming;
      await Promise.all(inFlight);
    },
  };
}

/** The dispatcher a worker runs beside its Temporal worker. */
export function startMailOutbox(options: MailOutboxOptions): MailOutbox {
  const outbox = createMailOutbox(options);
  outbox.start();
  return outbox;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
