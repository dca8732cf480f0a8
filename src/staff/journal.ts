import type { PrismaClient } from '../db/client';
import type { Actor } from '../domain/actor';
import { LIST_PAGE_SIZE, type ListPage } from '../bookings/readers';
import { DomainError } from '../domain/errors';
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

/** The journal, newest first, a page at a time; for administrators only. */
export async function listStaffChanges(prisma: PrismaClient, actor: Actor, { offset = 0, limit = LIST_PAGE_SIZE }: { offset?: number; limit?: number } = {}): Promise<StaffChangePage> {
  if (actor.role !== 'ADMIN') throw new DomainError('FORBIDDEN', 'Only administrators see the staff journal');
  const [rows, total, districts] = await Promise.all([
    prisma.staffChange.findMany({
      orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
      skip: offset,
      take: limit,
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
    prisma.district.findMany({ select: { id: true, name: true } }),
  ]);
  const byId = new Map(districts.map((district) => [district.id, district]));
  // Districts are never deleted (the seed only adds them; bookings refer to them), so every id has its name.
  const named = (ids: number[]) => ids.flatMap((id) => byId.get(id) ?? []).sort((a, b) => a.name.localeCompare(b.name, 'ru'));
  return {
    items: rows.map((row) => ({
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
    offset,
    limit,
  };
}
