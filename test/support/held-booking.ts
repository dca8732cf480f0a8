import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../src/db/client';

/**
 * A booking with its slot hold written straight to the database, for catalog tests that need
 * busy (active) or released slots without running a workflow. Returns the hold's id.
 */
export async function insertHeldBooking(
  prisma: PrismaClient,
  hold: { roomId: number; residentId: string; startsAt: string; endsAt: string; active: boolean },
): Promise<string> {
  const room = await prisma.room.findUniqueOrThrow({ where: { id: hold.roomId }, include: { venue: true } });
  const id = randomUUID();
  const [startsAt, endsAt] = [new Date(hold.startsAt), new Date(hold.endsAt)];
  const booking = await prisma.booking.create({
    data: {
      id,
      code: `T-${id.slice(0, 8)}`,
      workflowId: `test-${id}`,
      residentId: hold.residentId,
      roomId: room.id,
      venueId: room.venueId,
      districtId: room.venue.districtId,
      startsAt,
      endsAt,
      eventTitle: 'Тест',
      eventType: 'MEETING',
      attendees: 1,
      contactPhone: '+79990000000',
      status: hold.active ? 'AWAITING_CALLBACK' : 'CANCELLED',
      roomPrice: 0,
      idempotencyKey: id,
      requestHash: id,
      hold: { create: { roomId: room.id, startsAt, endsAt, active: hold.active, ...(hold.active ? {} : { releasedAt: new Date() }) } },
    },
    include: { hold: true },
  });
  return booking.hold!.id;
}
