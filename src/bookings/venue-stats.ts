import type { Actor } from '../domain/actor';
import { DomainError } from '../domain/errors';
import type { BookingServiceDeps } from './deps';

export interface VenueStats {
  venueId: number;
  venueName: string;
  /** Bookings submitted in [from, to) at the venue … */
  submitted: number;
  /** … of which reached CONFIRMED (incl. later COMPLETED or CANCELLED after confirmation). */
  confirmed: number;
  rejected: number;
  expired: number;
  cancelled: number;
  slaBreaches: number;
}

interface Row {
  venue_id: number;
  venue_name: string;
  submitted: bigint;
  confirmed: bigint;
  rejected: bigint;
  expired: bigint;
  cancelled: bigint;
  sla_breaches: bigint;
}

/** Per-venue figures within one district for bookings submitted in [from, to). Admins only. */
export async function adminVenueStats(deps: BookingServiceDeps, actor: Actor, range: { from: Date; to: Date }, districtId: number): Promise<VenueStats[]> {
  if (actor.role !== 'ADMIN') throw new DomainError('FORBIDDEN', 'Only administrators see statistics');
  const rows = await deps.prisma.$queryRaw<Row[]>`
    WITH cohort AS (
      SELECT b.id, b.venue_id, b.status
      FROM bookings b
      WHERE b.district_id = ${districtId} AND b.created_at >= ${range.from} AND b.created_at < ${range.to}
    ), marks AS (
      SELECT c.id,
        bool_or(e.to_status = 'CONFIRMED') AS was_confirmed,
        bool_or(e.type = 'SLA_ESCALATED') AS breached
      FROM cohort c LEFT JOIN booking_events e ON e.booking_id = c.id
      GROUP BY c.id
    )
    SELECT v.id AS venue_id, v.name AS venue_name,
      count(*) AS submitted,
      count(*) FILTER (WHERE m.was_confirmed) AS confirmed,
      count(*) FILTER (WHERE c.status = 'REJECTED') AS rejected,
      count(*) FILTER (WHERE c.status = 'EXPIRED') AS expired,
      count(*) FILTER (WHERE c.status = 'CANCELLED') AS cancelled,
      count(*) FILTER (WHERE m.breached) AS sla_breaches
    FROM cohort c JOIN marks m ON m.id = c.id JOIN venues v ON v.id = c.venue_id
    GROUP BY v.id, v.name
    ORDER BY count(*) DESC, v.name`;
  return rows.map((row) => ({
    venueId: row.venue_id,
    venueName: row.venue_name,
    submitted: Number(row.submitted),
    confirmed: Number(row.confirmed),
    rejected: Number(row.rejected),
    expired: Number(row.expired),
    cancelled: Number(row.cancelled),
    slaBreaches: Number(row.sla_breaches),
  }));
}
