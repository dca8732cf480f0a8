import type { PrismaClient } from '../db/client';
import { DB_INT_MAX } from '../db/limits';
import type { RoomForRules } from '../domain/slot-rules';

/** The room with what the slot rules and the workflow input need. */
export async function loadRoomForBooking(prisma: PrismaClient, roomId: number) {
  if (!Number.isInteger(roomId) || roomId < 1 || roomId > DB_INT_MAX) return null;
  const room = await prisma.room.findUnique({
    where: { id: roomId },
    include: { venue: { include: { district: true, addOns: true } } },
  });
  if (!room) return null;
  return { room, venue: room.venue, district: room.venue.district, forRules: roomForRules(room) };
}

/** What the slot rules need of a room, from the room with its venue's add-ons. */
export function roomForRules(room: {
  id: number;
  capacity: number;
  opensAtMinute: number;
  closesAtMinute: number;
  openWeekdays: number[];
  venue: { addOns: { code: RoomForRules['venueAddOns'][number]['code']; price: number }[] };
}): RoomForRules {
  return {
    id: room.id,
    capacity: room.capacity,
    opensAtMinute: room.opensAtMinute,
    closesAtMinute: room.closesAtMinute,
    openWeekdays: room.openWeekdays,
    venueAddOns: room.venue.addOns.map((addOn) => ({ code: addOn.code, price: addOn.price })),
  };
}
