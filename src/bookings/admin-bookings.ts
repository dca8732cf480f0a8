import type { Actor } from '../domain/actor';
import { DomainError } from '../domain/errors';
import { STATUS_LABEL_RU, type BookingStatus } from '../domain/status';
import type { BookingServiceDeps } from './deps';

export interface AdminBookingRow {
  id: string;
  code: string;
  workflowId: string;
  status: BookingStatus;
  statusLabelRu: string;
  districtName: string;
  venueName: string;
  roomName: string;
  startsAt: string;
  createdAt: string;
}

/** The newest bookings submitted in [from, to), optionally in one district. Admins only. */
export async function listAdminBookings(
  deps: BookingServiceDeps,
  actor: Actor,
  query: { from: Date; to: Date; districtId?: number; limit?: number },
): Promise<AdminBookingRow[]> {
  if (actor.role !== 'ADMIN') throw new DomainError('FORBIDDEN', 'Only administrators see every booking');
  const rows = await deps.prisma.booking.findMany({
    where: { createdAt: { gte: query.from, lt: query.to }, ...(query.districtId !== undefined ? { districtId: query.districtId } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: Math.min(200, query.limit ?? 50),
    include: { district: { select: { name: true } }, venue: { select: { name: true } }, room: { select: { name: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    workflowId: row.workflowId,
    status: row.status,
    statusLabelRu: STATUS_LABEL_RU[row.status],
    districtName: row.district.name,
    venueName: row.venue.name,
    roomName: row.room.name,
    startsAt: row.startsAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  }));
}
