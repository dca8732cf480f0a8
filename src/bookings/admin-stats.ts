import type { Actor } from '../domain/actor';
import { DomainError } from '../domain/errors';
import type { BookingServiceDeps } from './deps';

export interface DistrictStats {
  districtId: number;
  districtName: string;
  /** Bookings submitted in [from, to) … */
  submitted: number;
  /** … of which reached CONFIRMED (incl. later COMPLETED or CANCELLED after confirmation). */
  confirmed: number;
  rejected: number;
  expired: number;
  cancelled: number;
  /** Median seconds from submission to the first call-back outcome (null: none yet). */
  medianSecondsToCallback: number | null;
  /** Bookings whose task was escalated to admins (SLA missed). */
  slaBreaches: number;
}

interface Row {
  district_id: number;
  district_name: string;
  submitted: bigint;
  confirmed: bigint;
  rejected: bigint;
  expired: bigint;
  cancelled: bigint;
  median_seconds: number | null;
  sla_breaches: bigint;
}

/** Per-district figures for bookings submitted in [from, to). Admins only. */
export async function adminStats(deps: BookingServiceDeps, actor: Actor, range: { from: Date; to: Date }): Promise<DistrictStats[]> {
  if (actor.role !== 'ADMIN') throw new DomainError('FORBIDDEN', 'Only administrators see statistics');
  const rows = await deps.prisma.$queryRaw<Row[]>`
    WITH cohort AS (
      SELECT b.id, b.district_id, b.status, b.created_at, b.called_back_at
      FROM bookings b
      WHERE b.created_at >= ${range.from} AND b.created_at < ${range.to}
    ), marks AS (
      SELECT c.id,
        bool_or(e.to_status = 'CONFIRMED') AS was_confirmed,
        bool_or(e.type = 'SLA_ESCALATED') AS breached
      FROM cohort c LEFT JOIN booking_events e ON e.booking_id = c.id
      GROUP BY c.id
    )
    SELECT d.id AS district_id, d.name AS district_name,
      count(*) AS submitted,
      count(*) FILTER (WHERE m.was_confirmed) AS confirmed,
      count(*) FILTER (WHERE c.status = 'REJECTED') AS rejected,
      count(*) FILTER (WHERE c.status = 'EXPIRED') AS expired,
      count(*) FILTER (WHERE c.status = 'CANCELLED') AS cancelled,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.called_back_at - c.created_at))
        FILTER (WHERE c.called_back_at IS NOT NULL) AS median_seconds,
      count(*) FILTER (WHERE m.breached) AS sla_breaches
    FROM cohort c JOIN marks m ON m.id = c.id JOIN districts d ON d.id = c.district_id
    GROUP BY d.id, d.name
    ORDER BY d.name`;
  return rows.map((row) => ({
    districtId: row.district_id,
    districtName: row.district_name,
    submitted: Number(row.submitted),
    confirmed: Number(row.confirmed),
    rejected: Number(row.rejected),
    expired: Number(row.expired),
    cancelled: Number(row.cancelled),
    medianSecondsToCallback: row.median_seconds === null ? null : Number(row.median_seconds),
    slaBreaches: Number(row.sla_breaches),
  }));
}
