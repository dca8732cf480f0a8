import { Router } from 'express';
import { z } from 'zod';
import type { PrismaClient } from '../../db/client';
import { listStaffChanges, staffJournalCursor } from '../../staff/journal';
import { appointOperator, dismissOperator, listStaff, STAFF_REFUSAL_TEXT, StaffChangeRefused } from '../../staff/operators';
import { HttpProblem, problems } from '../problem';
import { requireRole } from '../session';
import { bilingual, DB_INT_MAX, emailAddress, jsonBody, pageQuery, parseRequest, text } from '../validate';

const appointmentBody = z.strictObject({
  email: emailAddress,
  fullName: text().trim().max(200).nullish(),
  districtIds: z
    .array(z.number().int().min(1).max(DB_INT_MAX))
    .min(1, { message: bilingual('Выберите хотя бы один округ', 'Choose at least one district') })
    .max(1000),
});

const userId = z.uuid();
/** Dismissal takes no details; a body in another form is refused rather than ignored. */
const dismissalBody = z.strictObject({});

/** Administrators appoint and dismiss operators (src/staff/operators.ts). */
export function adminStaffRouter(prisma: PrismaClient): Router {
  const router = Router();
  router.use('/admin/staff', requireRole('ADMIN'));

  router.get('/admin/staff', async (req, res) => {
    res.json(await listStaff(prisma, req.user!));
  });

  /** The journal of appointments, changes and dismissals, newest first (src/staff/journal.ts). */
  router.get('/admin/staff/changes', async (req, res) => {
    res.json(await listStaffChanges(prisma, req.user!, parseRequest(pageQuery(staffJournalCursor), req.query, 'query')));
  });

  /** Creates or updates: the body is the operator's whole set of districts. 201 when the account became an operator now. */
  router.post('/admin/staff/operators', async (req, res) => {
    const body = parseRequest(appointmentBody, jsonBody(req), 'body');
    const { operator, appointed } = await appointOperator(prisma, req.user!, body);
    // Ids only: the address is the person's.
    req.log.info({ operatorId: operator.id, districtIds: body.districtIds, by: req.user!.id }, appointed ? 'operator appointed' : 'operator districts changed');
    res.status(appointed ? 201 : 200).json(operator);
  });

  router.post('/admin/staff/operators/:id/dismiss', async (req, res) => {
    parseRequest(dismissalBody, jsonBody(req), 'body');
    const id = userId.safeParse(req.params.id);
    if (!id.success) throw problems.notFound();
    await dismissOperator(prisma, req.user!, id.data.toLowerCase());
    req.log.info({ operatorId: id.data.toLowerCase(), by: req.user!.id }, 'operator dismissed');
    res.status(204).end();
  });

  return router;
}

export function translateStaffRefusal(error: unknown): HttpProblem | undefined {
  if (!(error instanceof StaffChangeRefused)) return undefined;
  const text = STAFF_REFUSAL_TEXT[error.reason];
  if (error.reason === 'ADMIN_ACCOUNT') {
    return new HttpProblem(409, 'administrator-account', { ru: 'Это учётная запись администратора', en: 'This is an administrator’s account' }, text);
  }
  return new HttpProblem(
    422,
    'unknown-district',
    { ru: 'Такого округа нет', en: 'No such district' },
    { ru: 'Выберите округа из каталога.', en: 'Choose districts from the catalog.' },
    [{ field: 'body.districtIds', message: text }],
  );
}
