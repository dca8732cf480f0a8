import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';
import type { BookingStatus } from '../src/domain/status';
import type { BookingWorkflowInput, OrderedAddOn, SubmitInput } from '../workflows/booking.messages';
import type { PrismaClient } from '../src/db/client';
import type { ActivityDeps } from './deps';
import { isSlotTakenError } from '../src/db/errors';

/**
 * The booking as the workflow knows it (its input without the district's name and the policy)
 * and the resident's submission (without the actor), plus what the submit handler decided.
 */
export type HoldSlotInput = Omit<BookingWorkflowInput, 'districtName' | 'policy' | 'revision'> &
  Omit<SubmitInput, 'actor'> & {
    workflowId: string;
    submittedAt: string;
    dueAt: string;
    /** Write the SUBMITTED e-mail request to mail_outbox with the booking (workflows since the mail-outbox patch). */
    mailOutbox?: boolean;
    /** The end of the hold window (ISO): an attempt reaching the database later inserts nothing. */
    holdBefore?: string;
  };

/** Only ids and state come back, so the workflow history holds no personal data from here. */
export interface HoldSlotResult {
  bookingId: string;
  requestHash: string;
  status: BookingStatus;
  created: boolean;
}

export interface HeldBooking {
  status: BookingStatus;
  createdAt: string;
  addOns: Pick<OrderedAddOn, 'code' | 'quantity' | 'listPrice'>[];
}

/**
 * When the worker stops waiting for this attempt (ISO), as an activity; null outside one. From
 * the attempt's entry here, which follows its start by the dispatch only: the next attempt comes
 * after a retry backoff besides.
 */
function attemptEndOf(): string | null {
  let timeoutMs: number | undefined;
  try {
    timeoutMs = Context.current().info.startToCloseTimeoutMs;
  } catch {
    return null; // called directly (scripts, tests), not as an activity
  }
  return timeoutMs ? new Date(Date.now() + timeoutMs).toISOString() : null;
}

/** The first key of the per-room advisory lock a hold takes (the second is the room id). */
export const HOLD_LOCK_CLASS = 0x0d4b;

export function createHoldActivities({ prisma }: Pick<ActivityDeps, 'prisma'>) {
  return {
    /**
     * In ONE statement (so one round trip, atomic by itself): the booking row, its slot hold
     * (exclusion constraint), its add-ons in order, the first timeline event and the request for
     * its e-mail (mail_outbox), as data-modifying CTEs chained on the booking insert.
     *
     * The insert waits first for the room's advisory lock (HOLD_LOCK_CLASS): inserts racing on
     * the exclusion constraint can each wait for the other's uncommitted row, a deadlock that
     * PostgreSQL breaks only after deadlock_timeout; under a burst for one slot that made holds
     * seconds late. An overlap (SQLSTATE 23P01) is SLOT_TAKEN, not retried. Idempotent: a retry
     * after a commit inserts nothing (ON CONFLICT DO NOTHING on the booking, and everything else
     * hangs off that insert) and reports the row.
     *
     * Fenced: past `holdBefore` (PostgreSQL's clock, read once the room's lock is held) the insert
     * does nothing. An attempt the workflow gave up on, still queued for a connection or the lock,
     * can then never commit after the workflow has settled the booking (findHeldBooking's fence).
     *
     * And past its own attempt's end: the worker gives up on an attempt at its start-to-close
     * timeout and the next one may be told SLOT_TAKEN, after which the workflow ends. An attempt
     * still parked behind the room's lock must not commit after that, once the winner's hold is
     * gone (PostgreSQL's clock against the worker's; they share a host or NTP).
     */
    async holdSlot(input: HoldSlotInput): Promise<HoldSlotResult> {
      const attemptEnd = attemptEndOf();
      const submittedAt = new Date(input.submittedAt).toISOString();
      const addOns = JSON.stringify(input.addOns.map((line) => ({ code: line.code, quantity: line.quantity, note: line.note, listPrice: line.listPrice })));
      const eventData = JSON.stringify({ addOns: input.addOns.map((line) => line.code), dueAt: input.dueAt });
      let rows: { created: number; in_window: boolean }[];
      try {
        rows = await prisma.$queryRaw<{ created: number; in_window: boolean }[]>`
          WITH room_lock AS (
            SELECT pg_advisory_xact_lock(${HOLD_LOCK_CLASS}::int, ${input.roomId}::int)
          ), booking AS (
            INSERT INTO bookings (id, code, workflow_id, resident_id, room_id, venue_id, district_id, starts_at, ends_at,
                                  event_title, event_type, attendees, contact_phone, contact_name, comment, status, room_price_kopecks,
                                  idempotency_key, request_hash, due_at, sla_state, created_at, updated_at)
            SELECT ${input.bookingId}::uuid, ${input.code}::text, ${input.workflowId}::text, ${input.residentId}::uuid, ${input.roomId}::int, ${input.venueId}::int, ${input.districtId}::int,
                   ${input.startsAt}::timestamptz, ${input.endsAt}::timestamptz, ${input.eventTitle}::text, ${input.eventType}::"EventType", ${input.attendees}::int,
                   ${input.contactPhone}::text, ${input.contactName ?? null}::text, ${input.comment}::text, 'AWAITING_CALLBACK'::"BookingStatus", ${input.roomPrice}::int, ${input.idempotencyKey}::text, ${input.requestHash}::text,
                   ${input.dueAt}::timestamptz, 'ON_TIME'::text, ${submittedAt}::timestamptz, ${submittedAt}::timestamptz
              FROM room_lock
             WHERE (${input.holdBefore ?? null}::timestamptz IS NULL OR clock_timestamp() < ${input.holdBefore ?? null}::timestamptz)
               AND (${attemptEnd}::timestamptz IS NULL OR clock_timestamp() < ${attemptEnd}::timestamptz)
            ON CONFLICT DO NOTHING
            RETURNING id
          ), hold AS (
            INSERT INTO slot_holds (id, booking_id, room_id, starts_at, ends_at, created_at)
            SELECT gen_random_uuid(), id, ${input.roomId}, ${input.startsAt}::timestamptz, ${input.endsAt}::timestamptz, ${submittedAt}::timestamptz FROM booking
          ), addons AS (
            -- One millisecond apart keeps the order of the request in ordered_at.
            INSERT INTO booking_addons (id, booking_id, code, quantity, note, list_price_kopecks, ordered_at)
            SELECT gen_random_uuid(), booking.id, (line.item->>'code')::"AddOnCode", (line.item->>'quantity')::int, line.item->>'note',
                   (line.item->>'listPrice')::int, ${submittedAt}::timestamptz + (line.ord - 1) * interval '1 millisecond'
              FROM booking CROSS JOIN jsonb_array_elements(${addOns}::jsonb) WITH ORDINALITY AS line(item, ord)
          ), mail AS (
            INSERT INTO mail_outbox (booking_id, kind) SELECT id, 'SUBMITTED' FROM booking WHERE ${input.mailOutbox === true}::boolean
          ), event AS (
            INSERT INTO booking_events (booking_id, event_key, type, to_status, actor_role, actor_id, data, occurred_at)
            SELECT id, 'submitted', 'SUBMITTED', 'AWAITING_CALLBACK', 'RESIDENT', ${input.residentId}::uuid, ${eventData}::jsonb, ${submittedAt}::timestamptz FROM booking
          )
          SELECT count(*)::int AS created,
                 (${input.holdBefore ?? null}::timestamptz IS NULL OR clock_timestamp() < ${input.holdBefore ?? null}::timestamptz) AS in_window
            FROM booking`;
      } catch (error) {
        if (isSlotTakenError(error)) {
          log.info('Slot already held', { roomId: input.roomId, startsAt: input.startsAt });
          // BENIGN: an expected outcome, logged at DEBUG by the worker.
          throw ApplicationFailure.create({ type: 'SLOT_TAKEN', message: 'The slot is already held by another booking', nonRetryable: true, category: ApplicationFailureCategory.BENIGN });
        }
        throw error;
      }
      if (rows[0]?.created === 1) return { bookingId: input.bookingId, requestHash: input.requestHash, status: 'AWAITING_CALLBACK', created: true };
      const existing = await prisma.booking.findUnique({ where: { id: input.bookingId }, select: { requestHash: true, status: true } });
      if (existing) return { bookingId: input.bookingId, requestHash: existing.requestHash, status: existing.status, created: false };
      // Nothing inserted and nothing there. Inside the window, this attempt outlived its own end: the
      // worker has moved on to the next attempt already, so this answer goes nowhere.
      if (rows[0]?.in_window) throw ApplicationFailure.create({ type: 'HOLD_ATTEMPT_LATE', message: 'The attempt reached the database after its timeout' });
      // The window closed before this attempt got its turn.
      throw ApplicationFailure.create({ type: 'HOLD_WINDOW_CLOSED', message: 'The hold window closed before the hold was written', nonRetryable: true });
    },

    /**
     * A booking whose hold was committed by a submission the workflow never recorded (the
     * Temporal server lost the update after the local activity ran): what the workflow needs
     * to take it over. Ids, states and prices only, no personal data.
     */
    async findHeldBooking(input: { bookingId: string; fence?: HoldFence }): Promise<HeldBooking | null> {
      if (input.fence) await waitPastFence(prisma, input.fence);
      const row = await prisma.booking.findUnique({
        where: { id: input.bookingId },
        select: { status: true, createdAt: true, addOns: { orderBy: { orderedAt: 'asc' }, select: { code: true, quantity: true, listPrice: true } } },
      });
      if (!row) return null;
      return { status: row.status, createdAt: row.createdAt.toISOString(), addOns: row.addOns };
    },

    /** Releases the hold (final states other than COMPLETED). Idempotent. */
    async releaseHold(input: { bookingId: string; releasedAt: string }): Promise<{ released: boolean }> {
      const result = await prisma.slotHold.updateMany({
        where: { bookingId: input.bookingId, active: true },
        data: { active: false, releasedAt: new Date(input.releasedAt) },
      });
      return { released: result.count > 0 };
    },
  };
}

/** A hold window that must be over before a failed hold's booking is read (see holdSlot). */
export interface HoldFence {
  roomId: number;
  holdBefore: string;
}

/** At most this long is waited for the window inside one attempt; a longer wait fails and is retried. */
const FENCE_WAIT_LIMIT_SECONDS = 10;

/**
 * Returns once no attempt of the hold can still commit: `holdBefore` has passed by PostgreSQL's
 * own clock (the one the hold's fence reads, so the worker's clock does not matter), and the
 * room's lock was free once after that. An attempt in flight holds that lock until it commits;
 * one that takes it later finds the window closed.
 */
async function waitPastFence(prisma: PrismaClient, fence: HoldFence): Promise<void> {
  const [{ over }] = await prisma.$queryRaw<{ over: boolean }[]>`
    WITH waited AS (
      SELECT pg_sleep(LEAST(${FENCE_WAIT_LIMIT_SECONDS}::float8, GREATEST(0, EXTRACT(EPOCH FROM (${fence.holdBefore}::timestamptz - clock_timestamp())))))
    ), room_lock AS (
      SELECT pg_advisory_xact_lock(${HOLD_LOCK_CLASS}::int, ${fence.roomId}::int) FROM waited
    )
    SELECT clock_timestamp() >= ${fence.holdBefore}::timestamptz AS over FROM room_lock`;
  if (!over) throw new Error('The hold window is not over yet'); // retried: the next attempt waits again
}
