import type { PrismaClient } from '../db/client';
import type { Actor } from '../domain/actor';
import { LIST_PAGE_SIZE, pagePosition, type ListPage, type PageRequest } from '../bookings/readers';
import { DomainError } from '../domain/errors';
import { listCursor, UnknownListPosition } from '../domain/list-cursor';
import type { DistrictRef } from './operators';

/**
 * The journal of staff changes: who appointed, changed or dismissed which operator, when, and
 * which districts they had before and after. Each entry is written in the transaction of the
 * change it records, so a change is never without its entry nor an entry without its change.
 * Changes made by the deployment's settings (ADMIN_EMAILS, the demo staff) are not in it.
 */

export type StaffChangeKind = 'APPOINTED' | 'CHANGED' | 'DISMISSED';

export interface StaffChangeEntry {
  id: string;
  kind: StaffChangeKind;
  occurredAt: string;
  /** The administrator who made the change. */
  actor: { id: string; email: string };
  /** The person the change was made to. */
  subject: { id: string; email: string };
  districts: DistrictRef[];
  previousDistricts: DistrictRef[];
  /** The name on the account was changed (the journal keeps no names). */
  nameChanged: boolean;
}

export type StaffChangePage = ListPage<StaffChangeEntry>;

type Tx = Pick<PrismaClient, 'operatorDistrict' | 'staffChange'>;

export async function districtIdsOf(tx: Pick<PrismaClient, 'operatorDistrict'>, userId: string): Promise<number[]> {
  const rows = await tx.operatorDistrict.findMany({ where: { userId }, select: { districtId: true } });
  return rows.map((row) => row.districtId);
}

/** The same districts, in any order (the ids are distinct). */
export const sameDistricts = (a: number[], b: number[]) => a.length === b.length && a.every((id) => b.includes(id));

/** An appointment's entry, and its id; none when it changed nothing (the same districts and name again). */
export async function recordStaffChange(
  tx: Tx,
  change: { actorId: string; subjectId: string; appointed: boolean; previousDistrictIds: number[]; districtIds: number[]; nameChanged: boolean },
): Promise<string | null> {
  if (!change.appointed && !change.nameChanged && sameDistricts(change.previousDistrictIds, change.districtIds)) return null;
  const entry = await tx.staffChange.create({
    data: {
      kind: change.appointed ? 'APPOINTED' : 'CHANGED',
      actorId: change.actorId,
      subjectId: change.subjectId,
      districtIds: [...change.districtIds].sort((a, b) => a - b),
      previousDistrictIds: [...change.previousDistrictIds].sort((a, b) => a - b),
      nameChanged: change.nameChanged,
    },
    select: { id: true },
  });
  return entry.id;
}

/**
 * Positions in the journal: the entry's id. Entries do not change, the service removes none, and
 * their times have microseconds (which a JavaScript date would round away), so the database finds
 * the place by the entry itself (Prisma's cursor). An id that names no entry is refused
 * (UnknownListPosition): Prisma would answer an empty page, like the journal's end.
 */
export const staffJournalCursor = listCursor('staff-journal', ['uuid']);
type StaffJournalKey = NonNullable<ReturnType<typeof staffJournalCursor.decode>>;

const NEWEST_FIRST = [{ occurredAt: 'desc' }, { id: 'desc' }] as const;

/** The journal, newest first, a page at a time; for administrators only. */
export async function listStaffChanges(
  prisma: PrismaClient,
  actor: Actor,
  { offset = 0, limit = LIST_PAGE_SIZE, after }: PageRequest<StaffJournalKey> = {},
): Promise<StaffChangePage> {
  if (actor.role !== 'ADMIN') throw new DomainError('FORBIDDEN', 'Only administrators see the staff journal');
  const position = { cursor: after ? { id: after[0] } : undefined, skip: after ? 1 : offset };
  const [rows, total, remaining, districts, positionExists] = await Promise.all([
    prisma.staffChange.findMany({
      orderBy: [...NEWEST_FIRST],
      ...position,
      take: limit + 1,
      select: {
        id: true,
        kind: true,
        occurredAt: true,
        districtIds: true,
        previousDistrictIds: true,
        nameChanged: true,
        actor: { select: { id: true, email: true } },
        subject: { select: { id: true, email: true } },
      },
    }),
    prisma.staffChange.count(),
    after ? prisma.staffChange.count({ orderBy: [...NEWEST_FIRST], ...position }) : undefined,
    prisma.district.findMany({ select: { id: true, name: true } }),
    after ? prisma.staffChange.count({ where: { id: after[0] } }).then(Boolean) : true,
  ]);
  if (!positionExists) throw new UnknownListPosition(staffJournalCursor.list);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const byId = new Map(districts.map((district) => [district.id, district]));
  // Districts are never deleted (the seed only adds them; bookings refer to them), so every id has its name.
  const named = (ids: number[]) => ids.flatMap((id) => byId.get(id) ?? []).sort((a, b) => a.name.localeCompare(b.name, 'ru'));
  return {
    items: page.map((row) => ({
      id: row.id,
      kind: row.kind,
      occurredAt: row.occurredAt.toISOString(),
      actor: row.actor,
      subject: row.subject,
      districts: named(row.districtIds),
      previousDistricts: named(row.previousDistrictIds),
      nameChanged: row.nameChanged,
    })),
    total,
    offset: pagePosition(total, remaining, offset),
    limit,
    next: rows.length > limit && last ? staffJournalCursor.encode([last.id]) : null,
  };
}
