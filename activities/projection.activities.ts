import type { Prisma } from '../src/db/client';
import type { AddOnCode } from '../src/domain/addons';
import type { BookingStatus, SlaState } from '../src/domain/status';
import type { ActivityDeps, EventActor } from './deps';

export interface TimelineEventInput {
  /** Deterministic, from the workflow: a retried projection inserts nothing new. */
  key: string;
  type: string;
  fromStatus?: BookingStatus | null;
  toStatus?: BookingStatus | null;
  actor: EventActor;
  note?: string | null;
  data?: Record<string, unknown>;
  occurredAt: string;
}

export interface ProjectionInput {
  bookingId: string;
  event: TimelineEventInput;
  /** Fields of the booking row to set with the event (undefined = unchanged). */
  booking?: {
    status?: BookingStatus;
    dueAt?: string | null;
    slaState?: SlaState | null;
    callbackAttempts?: number;
    calledBackAt?: string;
    attendees?: number;
    eventTitle?: string;
    comment?: string | null;
  };
  /** Add-ons ordered with this event. */
  orderAddOns?: { code: AddOnCode; quantity: number; note: string | null; listPrice: number }[];
  /** An add-on decided (or cancelled) with this event. */
  addOnChange?: {
    code: AddOnCode;
    status: 'APPROVED' | 'DECLINED' | 'CANCELLED';
    price?: number | null;
    note?: string | null;
    decidedById?: string | null;
  };
}

const toDate = (value: string | null | undefined) => (value == null ? value : new Date(value));

export function createProjectionActivities({ prisma }: Pick<ActivityDeps, 'prisma'>) {
  return {
    /**
     * Projects one workflow step into PostgreSQL: a booking_events row with a deterministic key
     * and, only if that row is new, the booking and add-on changes, in one transaction.
     */
    async projectBooking(input: ProjectionInput): Promise<{ applied: boolean }> {
      const occurredAt = new Date(input.event.occurredAt);
      return prisma.$transaction(async (tx) => {
        const inserted = await tx.bookingEvent.createMany({
          data: [
            {
              bookingId: input.bookingId,
              eventKey: input.event.key,
              type: input.event.type,
              fromStatus: input.event.fromStatus ?? null,
              toStatus: input.event.toStatus ?? null,
              actorRole: input.event.actor.role,
              actorId: input.event.actor.id,
              note: input.event.note ?? null,
              data: (input.event.data ?? {}) as Prisma.InputJsonValue,
              occurredAt,
            },
          ],
          skipDuplicates: true,
        });
        if (inserted.count === 0) return { applied: false };

        const booking = input.booking ?? {};
        await tx.booking.update({
          where: { id: input.bookingId },
          data: {
            status: booking.status,
            dueAt: toDate(booking.dueAt),
            slaState: booking.slaState,
            callbackAttempts: booking.callbackAttempts,
            calledBackAt: toDate(booking.calledBackAt),
            attendees: booking.attendees,
            eventTitle: booking.eventTitle,
            comment: booking.comment,
            updatedAt: occurredAt,
          },
        });
        if (input.orderAddOns?.length) {
          await tx.bookingAddOn.createMany({
            data: input.orderAddOns.map((line, index) => ({
              bookingId: input.bookingId,
              code: line.code,
              quantity: line.quantity,
              note: line.note,
              listPrice: line.listPrice,
              orderedAt: new Date(occurredAt.getTime() + index),
            })),
          });
        }
        const change = input.addOnChange;
        if (change) {
          await tx.bookingAddOn.update({
            where: { bookingId_code: { bookingId: input.bookingId, code: change.code } },
            data:
              change.status === 'CANCELLED'
                ? { status: 'CANCELLED', cancelledAt: occurredAt }
                : { status: change.status, price: change.price ?? null, decisionNote: change.note ?? null, decidedById: change.decidedById ?? null, decidedAt: occurredAt },
          });
        }
        return { applied: true };
      });
    },
  };
}
