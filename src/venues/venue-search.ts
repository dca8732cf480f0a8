import { Prisma, type PrismaClient } from '../db/client';
import { isoWeekdayOf } from '../domain/moscow-time';
import type { AddOnCode } from '../domain/addons';
import { searchWords } from './search-key';

export interface VenueSearch {
  districtId?: number;
  text?: string;
  minCapacity?: number;
  addOn?: AddOnCode;
  /** A Moscow calendar date (YYYY-MM-DD): only venues with a room open on that weekday. */
  openOn?: string;
  page: number;
  pageSize: number;
}

export interface VenueSummary {
  id: number;
  name: string;
  address: string;
  district: { id: number; name: string };
  roomCount: number;
  maxCapacity: number;
  addOns: AddOnCode[];
}

export interface VenueSearchResult {
  items: VenueSummary[];
  total: number;
  page: number;
  pageSize: number;
}

interface Row {
  total: number;
  id: number | null;
  name: string | null;
  address: string | null;
  district_id: number | null;
  district_name: string | null;
  room_count: number | null;
  max_capacity: number | null;
  add_ons: string[] | null;
}

/**
 * One statement, one round trip: the matching venues are filtered once (a materialised CTE),
 * counted, and the requested page is joined with its district, room figures and add-on codes.
 * The total row comes back even when the page is past the end (LEFT JOIN from the count), so a
 * page beyond the last one still reports the real total, as before.
 *
 * Filters mirror the former Prisma query: `contains` is LIKE '%word%' on the folded search_text
 * for each word of the user's text, each a bound parameter (wildcards in it are not escaped, as
 * Prisma did not escape them either), the capacity and weekday filters must hold for one and the
 * same room, and the order is name then id under the column's collation.
 */
export async function searchVenuesSql(prisma: PrismaClient, search: VenueSearch): Promise<VenueSearchResult> {
  const conditions: Prisma.Sql[] = [];
  if (search.districtId !== undefined) conditions.push(Prisma.sql`v.district_id = ${search.districtId}`);
  for (const word of search.text ? searchWords(search.text) : []) conditions.push(Prisma.sql`v.search_text LIKE '%' || ${word} || '%'`);
  if (search.minCapacity !== undefined || search.openOn !== undefined) {
    const roomConditions: Prisma.Sql[] = [Prisma.sql`r.venue_id = v.id`];
    if (search.minCapacity !== undefined) roomConditions.push(Prisma.sql`r.capacity >= ${search.minCapacity}`);
    if (search.openOn !== undefined) roomConditions.push(Prisma.sql`${isoWeekdayOf(search.openOn)}::int = ANY (r.open_weekdays)`);
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM rooms r WHERE ${Prisma.join(roomConditions, ' AND ')})`);
  }
  if (search.addOn) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM venue_addons a WHERE a.venue_id = v.id AND a.code = ${search.addOn}::"AddOnCode")`);
  }
  const where = conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
  const offset = (search.page - 1) * search.pageSize;

  const rows = await prisma.$queryRaw<Row[]>`
    WITH matched AS MATERIALIZED (
      SELECT v.id, v.name FROM venues v ${where}
    ),
    page AS (
      SELECT m.id, m.name FROM matched m ORDER BY m.name, m.id LIMIT ${search.pageSize} OFFSET ${offset}
    )
    SELECT
      (SELECT count(*)::int FROM matched) AS total,
      v.id, v.name, v.address,
      d.id AS district_id, d.name AS district_name,
      rs.room_count, rs.max_capacity, ao.add_ons
    FROM (SELECT 1) AS one
    LEFT JOIN page p ON true
    LEFT JOIN venues v ON v.id = p.id
    LEFT JOIN districts d ON d.id = v.district_id
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS room_count, coalesce(max(r.capacity), 0)::int AS max_capacity FROM rooms r WHERE r.venue_id = v.id
    ) rs ON true
    LEFT JOIN LATERAL (
      SELECT coalesce(array_agg(a.code::text), ARRAY[]::text[]) AS add_ons FROM venue_addons a WHERE a.venue_id = v.id
    ) ao ON true
    ORDER BY p.name, p.id`;

  const items: VenueSummary[] = [];
  for (const row of rows) {
    if (row.id === null) continue;
    items.push({
      id: row.id,
      name: row.name!,
      address: row.address!,
      district: { id: row.district_id!, name: row.district_name! },
      roomCount: row.room_count!,
      maxCapacity: row.max_capacity!,
      // The same order as before: JavaScript's default sort of the code strings.
      addOns: (row.add_ons ?? []).sort() as AddOnCode[],
    });
  }
  return { items, total: rows[0]?.total ?? 0, page: search.page, pageSize: search.pageSize };
}
