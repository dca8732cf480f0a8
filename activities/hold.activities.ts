import { ApplicationFailure, log } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';
import type { AddOnCode } from '../src/domain/addons';
import type { EventType } from '../src/domain/booking-request';
import type { BookingStatus } from '../src/domain/status';
import type { ActivityDeps } from './deps';
import { isSlotTakenError } from '../src/db/errors';

export interface HoldSlotInput {
  bookingId: string;
  code: string;
  workflowId: string;
  residentId: string;
  roomId: number;
  venueId: number;
  districtId: number;
  startsAt: string;
  endsAt: string;
  eventTitle: string;
  eventType: EventType;
  attendees: number;
  contactPhone: string;
  comment: string | null;
  roomPrice: number;
  idempotencyKey: string;
  requestHash: string;
  addOns: { code: AddOnCode; quantity: number; note: string | null; listPrice: number }[];
  submittedAt: string;
  dueAt: string;
}

/** Only ids and state come back, so the workflow history holds no personal data from here. */
export interface HoldSlotResult {
  bookingId: string;
  requestHash: string;
  status: BookingStatus;
  created: boolean;
}

export function createHoldActivities({ prisma }: Pick<ActivityDeps, 'prisma'>) {
  return {
    /**
     * In ONE transaction: the booking row, its slot hold (exclusion constraint), its add-ons in
     * order and the first timeline event. An overlap (SQLSTATE 23P01) is SLOT_TAKEN, not retried.
     * Idempotent: a retry after a commit finds the row and reports it.
     */
    async holdSlot(input: HoldSlotInput): Promise<HoldSlotResult> {
      const submittedAt = new Date(input.submittedAt);
      try {
        return await prisma.$transaction(async (tx) => {
          const existing = await tx.booking.findUnique({ where: { id: input.bookingId }, select: { requestHash: true, status: true } });
          if (existing) return { bookingId: input.bookingId, requestHash: existing.requestHash, status: existing.status, created: false };
          await tx.booking.create({
            data: {
              id: input.bookingId,
              code: input.code,
              workflowId: input.workflowId,
              residentId: input.residentId,
              roomId: input.roomId,
              venueId: input.venueId,
              districtId: input.districtId,
              startsAt: new Date(input.startsAt),
              endsAt: new Date(input.endsAt),
              eventTitle: input.eventTitle,
              eventType: input.eventType,
              attendees: input.attendees,
              contactPhone: input.contactPhone,
              comment: input.comment,
              status: 'AWAITING_CALLBACK',
              roomPrice: input.roomPrice,
              idempotencyKey: input.idempotencyKey,
              requestHash: input.requestHash,
              dueAt: new Date(input.dueAt),
              slaState: 'ON_TIME',
              createdAt: submittedAt,
            },
          });
          await tx.slotHold.create({
            data: { bookingId: input.bookingId, roomId: input.roomId, startsAt: new Date(input.startsAt), endsAt: new Date(input.endsAt), createdAt: submittedAt },
          });
          if (input.addOns.length > 0) {
            await tx.bookingAddOn.createMany({
              data: input.addOns.map((line, index) => ({
                bookingId: input.bookingId,
                code: line.code,
                quantity: line.quantity,
                note: line.note,
                listPrice: line.listPrice,
                // One millisecond apart keeps the order of the request in `ordered_at`.
                orderedAt: new Date(submittedAt.getTime() + index),
              })),
            });
          }
          await tx.bookingEvent.create({
            data: {
              bookingId: input.bookingId,
              eventKey: 'submitted',
              type: 'SUBMITTED',
              toStatus: 'AWAITING_CALLBACK',
              actorRole: 'RESIDENT',
              actorId: input.residentId,
              data: { addOns: input.addOns.map((line) => line.code), dueAt: input.dueAt },
              occurredAt: submittedAt,
            },
          });
          return { bookingId: input.bookingId, requestHash: input.requestHash, status: 'AWAITING_CALLBACK' as const, created: true };
        });
      } catch (error) {
        if (isSlotTakenError(error)) {
          log.info('Slot already held', { roomId: input.roomId, startsAt: input.startsAt });
          // BENIGN: an expected outcome, logged at DEBUG by the worker.
          throw ApplicationFailure.create({ type: 'SLOT_TAKEN', message: 'The slot is already held by another booking', nonRetryable: true, category: ApplicationFailureCategory.BENIGN });
        }
        throw error;
      }
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
