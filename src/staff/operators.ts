import type { PrismaClient } from '../db/client';
import type { Actor } from '../domain/actor';
import { normalizeEmail } from '../domain/email';
import { DomainError } from '../domain/errors';
import { districtIdsOf, recordStaffChange, sameDistricts } from './journal';
import { STAFF_EMAIL_OF_CHANGE, type StaffEmailRequest } from './staff-email-request';

/**
 * Who works the applications: administrators appoint operators to districts and dismiss them.
 * Administrators themselves come from the deployment's ADMIN_EMAILS (src/catalog/seed.ts), so
 * the people who can hand out roles are never changed from a page.
 *
 * Roles and districts are read from the database on every request (auth-service's
 * resolveSession), so a change here applies to the person's open sessions at once.
 */

export interface DistrictRef {
  id: number;
  name: string;
}

export interface OperatorEntry {
  id: string;
  email: string;
  fullName: string | null;
  districts: DistrictRef[];
}

export interface AdministratorEntry {
  id: string;
  email: string;
  fullName: string | null;
}

export interface StaffList {
  operators: OperatorEntry[];
  administrators: AdministratorEntry[];
  /** Districts no operator works: their applications wait for an administrator. */
  uncoveredDistricts: DistrictRef[];
}

export interface Appointment {
  email: string;
  /** Undefined keeps the name the account has; null (or blank) clears it. */
  fullName?: string | null;
  /** The operator's whole set of districts: any other district they had is taken away. */
  districtIds: number[];
}

export type StaffRefusal = 'ADMIN_ACCOUNT' | 'UNKNOWN_DISTRICT';

/** Why a change was refused, in the words pages and problem documents give. */
export const STAFF_REFUSAL_TEXT: Record<StaffRefusal, { ru: string; en: string }> = {
  ADMIN_ACCOUNT: {
    ru: 'Это учётная запись администратора: администраторов назначает настройка ADMIN_EMAILS, операторами их не делают',
    en: 'This is an administrator’s account: administrators are named by the ADMIN_EMAILS setting and are not made operators',
  },
  UNKNOWN_DISTRICT: { ru: 'Такого округа нет в каталоге', en: 'There is no such district in the catalog' },
};

/** A change the rules refuse; nothing was written. */
export class StaffChangeRefused extends Error {
  constructor(readonly reason: StaffRefusal) {
    super(STAFF_REFUSAL_TEXT[reason].en);
    this.name = 'StaffChangeRefused';
  }
}

function requireAdmin(actor: Actor): void {
  if (actor.role !== 'ADMIN') throw new DomainError('FORBIDDEN', 'Only administrators manage staff');
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'ru');

export async function listStaff(prisma: PrismaClient, actor: Actor): Promise<StaffList> {
  requireAdmin(actor);
  const [users, uncoveredDistricts] = await Promise.all([
    prisma.user.findMany({
      where: { role: { in: ['OPERATOR', 'ADMIN'] } },
      select: { id: true, email: true, role: true, fullName: true, operatorDistricts: { select: { district: { select: { id: true, name: true } } } } },
      orderBy: { email: 'asc' },
    }),
    // A district row counts only with the operator role behind it.
    prisma.district.findMany({ where: { operators: { none: { user: { role: 'OPERATOR' } } } }, select: { id: true, name: true }, orderBy: { name: 'asc' } }),
  ]);
  return {
    uncoveredDistricts,
    operators: users
      .filter((user) => user.role === 'OPERATOR')
      .map((user) => ({ id: user.id, email: user.email, fullName: user.fullName, districts: user.operatorDistricts.map((link) => link.district).sort(byName) })),
    administrators: users.filter((user) => user.role === 'ADMIN').map(({ id, email, fullName }) => ({ id, email, fullName })),
  };
}

/** Every district, by name: what an operator can be appointed to. */
export async function listDistricts(prisma: PrismaClient): Promise<DistrictRef[]> {
  return prisma.district.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } });
}

/**
 * Makes the account at `email` an operator of exactly these districts: a new account is created
 * (the person signs in with it by the e-mailed code as anyone does), a resident's is promoted, an
 * operator's districts are replaced. One transaction: a refusal writes nothing.
 * `appointed` is false when the account was an operator already.
 */
export async function appointOperator(prisma: PrismaClient, actor: Actor, request: Appointment): Promise<{ operator: OperatorEntry; appointed: boolean }> {
  requireAdmin(actor);
  const email = normalizeEmail(request.email);
  const districtIds = [...new Set(request.districtIds)];
  const fullName = request.fullName === undefined ? undefined : request.fullName?.trim() || null;
  return prisma.$transaction(async (tx) => {
    const known = await tx.district.count({ where: { id: { in: districtIds } } });
    if (known !== districtIds.length) throw new StaffChangeRefused('UNKNOWN_DISTRICT');
    // ON CONFLICT DO NOTHING: the same address appointed twice at once, or signing in right now,
    // meets this row instead of failing on the unique address. A new row is an operator's by the
    // end of this transaction, so nobody sees it as a resident's.
    const { count: created } = await tx.user.createMany({ data: [{ email, fullName: fullName ?? null }], skipDuplicates: true });
    // Locked for the rest of the transaction, so the journal's "before" is what this change replaced
    // even when two administrators change the same person at once.
    const [before] = await tx.$queryRaw<{ id: string; role: string; full_name: string | null }[]>`SELECT id, role::text, full_name FROM users WHERE email = ${email} FOR NO KEY UPDATE`;
    if (!before) throw new Error(`the account at the appointed address vanished within its transaction`);
    const userId = before.id;
    if (before.role === 'ADMIN') throw new StaffChangeRefused('ADMIN_ACCOUNT');
    const previousDistrictIds = before.role === 'OPERATOR' ? await districtIdsOf(tx, userId) : [];
    await tx.user.update({ where: { id: userId }, data: { role: 'OPERATOR', ...(fullName === undefined ? {} : { fullName }) } });
    await tx.operatorDistrict.deleteMany({ where: { userId, districtId: { notIn: districtIds } } });
    await tx.operatorDistrict.createMany({ data: districtIds.map((districtId) => ({ userId, districtId })), skipDuplicates: true });
    const appointed = created > 0 || before.role !== 'OPERATOR';
    const nameChanged = !appointed && fullName !== undefined && fullName !== before.full_name;
    const changeId = await recordStaffChange(tx, { actorId: actor.id, subjectId: userId, appointed, previousDistrictIds, districtIds, nameChanged });
    // The person hears of an appointment or of new districts by e-mail, sent by the worker's
    // outbox (staff-email-request.ts); a change of name only is not worth one.
    if (changeId && (appointed || !sameDistricts(previousDistrictIds, districtIds))) {
      const notice: StaffEmailRequest = { kind: STAFF_EMAIL_OF_CHANGE[appointed ? 'APPOINTED' : 'CHANGED'], key: changeId, data: { userId, districtIds } };
      await tx.mailOutbox.create({ data: notice });
    }
    const user = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      select: { id: true, email: true, fullName: true, operatorDistricts: { select: { district: { select: { id: true, name: true } } } } },
    });
    return {
      operator: { id: user.id, email: user.email, fullName: user.fullName, districts: user.operatorDistricts.map((link) => link.district).sort(byName) },
      appointed,
    };
  });
}

/**
 * The operator becomes a resident again: their districts go, their account and bookings stay.
 * The tasks they were working stay in the district's queue for its other operators.
 */
export async function dismissOperator(prisma: PrismaClient, actor: Actor, userId: string): Promise<void> {
  requireAdmin(actor);
  await prisma.$transaction(async (tx) => {
    const [operator] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE id = ${userId}::uuid AND role = 'OPERATOR' FOR NO KEY UPDATE`;
    if (!operator) throw new DomainError('NOT_FOUND', 'No such operator');
    const previousDistrictIds = await districtIdsOf(tx, userId);
    await tx.user.update({ where: { id: userId }, data: { role: 'RESIDENT' } });
    await tx.operatorDistrict.deleteMany({ where: { userId } });
    const change = await tx.staffChange.create({ data: { kind: 'DISMISSED', actorId: actor.id, subjectId: userId, previousDistrictIds, districtIds: [] }, select: { id: true } });
    const notice: StaffEmailRequest = { kind: STAFF_EMAIL_OF_CHANGE.DISMISSED, key: change.id, data: { userId, districtIds: [] } };
    await tx.mailOutbox.create({ data: notice });
  });
}
