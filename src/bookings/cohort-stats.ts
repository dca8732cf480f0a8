import { Prisma } from '../db/client';
import { DomainError } from '../domain/errors';
import { MAX_STATS_RANGE_DAYS } from '../domain/stats-range';
import type { BookingServiceDeps } from './deps';

/** What the statistics count for one district or venue, over bookings submitted in [from, to). */
export interface CohortFigures {
  submitted: number;
  /** … of which reached CONFIRMED (incl. later COMPLETED or CANCELLED after confirmation). */
  confirmed: number;
  rejected: number;
  expired: number;
  cancelled: number;
  /**
   * Median seconds from submission to the operator's first call, whatever its outcome (null: no
   * call yet). A call nobody answered counts: it is when the operator acted.
   */
  medianSecondsToCallback: number | null;
  /** Bookings whose task was escalated to admins (SLA missed). */
  slaBreaches: number;
}

interface Row {
  group_id: number;
  group_name: string;
  submitted: bigint;
  confirmed: bigint;
  rejected: bigint;
  expired: bigint;
  cancelled: bigint;
  median_seconds: number | null;
  sla_breaches: bigint;
}

const GROUPINGS = {
  district: { column: Prisma.raw('district_id'), table: Prisma.raw('districts'), districtColumn: Prisma.raw('g.id'), order: Prisma.raw('g.name') },
  venue: { column: Prisma.raw('venue_id'), table: Prisma.raw('venues'), districtColumn: Prisma.raw('g.district_id'), order: Prisma.raw('count(c.id) DESC, g.name') },
} as const;

/**
 * The per-district and per-venue statistics: one query, grouped one way or the other. Every
 * district (or every venue of the district) has its row, zeros included: a quiet one is a figure
 * too, not a missing line.
 */
export async function cohortStats(
  deps: Pick<BookingServiceDeps, 'prisma'>,
  range: { from: Date; to: Date },
  by: keyof typeof GROUPINGS,
  districtId?: number,
): Promise<(CohortFigures & { groupId: number; groupName: string })[]> {
  // The API and the portal refuse longer ranges with a field error; this guards any other caller.
  if (range.to.getTime() - range.from.getTime() > MAX_STATS_RANGE_DAYS * 86_400_000) throw new DomainError('VALIDATION', 'A statistics range is three years at most');
  const grouping = GROUPINGS[by];
  const inDistrict = districtId === undefined ? Prisma.empty : Prisma.sql`AND b.district_id = ${districtId}`;
  const groupsInDistrict = districtId === undefined ? Prisma.empty : Prisma.sql`WHERE ${grouping.districtColumn} = ${districtId}`;
  const rows = await deps.prisma.$queryRaw<Row[]>`
    WITH cohort AS (
      SELECT b.id, b.${grouping.column} AS group_id, b.status, b.created_at
      FROM bookings b
      WHERE b.created_at >= ${range.from} AND b.created_at < ${range.to} ${inDistrict}
    ), marks AS (
      SELECT c.id,
        bool_or(e.to_status = 'CONFIRMED') AS was_confirmed,
        bool_or(e.type = 'SLA_ESCALATED') AS breached,
        min(e.occurred_at) FILTER (WHERE e.type IN ('CALLBACK_AGREED', 'CALLBACK_REJECTED', 'CALLBACK_NO_ANSWER')) AS first_call
      FROM cohort c LEFT JOIN booking_events e ON e.booking_id = c.id
      GROUP BY c.id
    )
    SELECT g.id AS group_id, g.name AS group_name,
      count(c.id) AS submitted,
      count(*) FILTER (WHERE m.was_confirmed) AS confirmed,
      count(*) FILTER (WHERE c.status = 'REJECTED') AS rejected,
      count(*) FILTER (WHERE c.status = 'EXPIRED') AS expired,
      count(*) FILTER (WHERE c.status = 'CANCELLED') AS cancelled,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM m.first_call - c.created_at))
        FILTER (WHERE m.first_call IS NOT NULL) AS median_seconds,
      count(*) FILTER (WHERE m.breached) AS sla_breaches
    FROM ${grouping.table} g LEFT JOIN cohort c ON c.group_id = g.id LEFT JOIN marks m ON m.id = c.id
    ${groupsInDistrict}
    GROUP BY g.id, g.name
    ORDER BY ${grouping.order}`;
  return rows.map((row) => ({
    groupId: row.group_id,
    groupName: row.group_name,
    submitted: Number(row.submitted),
    confirmed: Number(row.confirmed),
    rejected: Number(row.rejected),
    expired: Number(row.expired),
    cancelled: Number(row.cancelled),
    medianSecondsToCallback: row.median_seconds === null ? null : Number(row.median_seconds),
    slaBreaches: Number(row.sla_breaches),
  }));
}
