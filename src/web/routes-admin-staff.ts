import { Router, type Request, type Response } from 'express';
import { DomainError } from '../domain/errors';
import { listStaffChanges, staffJournalCursor } from '../staff/journal';
import { appointOperator, dismissOperator, listDistricts, listStaff, STAFF_REFUSAL_TEXT, StaffChangeRefused, type OperatorEntry } from '../staff/operators';
import { listPageFor, pageContext } from './context';
import type { MessageKey } from './i18n';
import type { WebKit } from './router';
import { operatorFormValues, staffPage } from './views/admin-staff';
import type { FormError, FormValues } from './views/layout';
import { isEmailAddress } from '../domain/email';
import { isUuid } from '../domain/uuid';

const DONE = ['appointed', 'updated', 'dismissed'] as const;
const JOURNAL_PAGE_SIZE = 20;
/** What was typed, trimmed. Too long is refused below, not cut to fit: a cut address could be someone else's. */
const field = (value: unknown) => (typeof value === 'string' ? value.trim().slice(0, 2000) : '');

/** The administrators' page of operators and their districts (the API's twin: src/api/routes/admin-staff.ts). */
export function adminStaffRoutes(kit: WebKit): Router {
  const router = Router();
  const admin = kit.requirePage('ADMIN');

  async function show(req: Request, res: Response, options: { status?: number; values?: FormValues; errors?: FormError[]; problem?: string } = {}) {
    const ctx = pageContext(req, res);
    const [staff, districts, journal] = await Promise.all([
      listStaff(kit.bookings.prisma, req.user!),
      listDistricts(kit.bookings.prisma),
      listPageFor(req, res, '/admin/staff', JOURNAL_PAGE_SIZE, staffJournalCursor, (range) => listStaffChanges(kit.bookings.prisma, req.user!, range)),
    ]);
    if (!journal) return; // a page of the journal past its end: redirected to the last
    // The operator being edited: from the link (?edit=) or, for a refused form, the form itself.
    const editId = [req.query.edit, req.method === 'POST' ? req.body?.operator : undefined].find(isUuid)?.toLowerCase();
    const editing = staff.operators.find((operator: OperatorEntry) => operator.id === editId);
    const done = typeof req.query.done === 'string' && (DONE as readonly string[]).includes(req.query.done) ? ctx.t(`staff.done.${req.query.done}` as MessageKey) : undefined;
    kit.send(
      res,
      options.status ?? 200,
      staffPage(ctx, { staff, districts, journal, editing, values: options.values ?? (editing ? operatorFormValues(editing) : {}), errors: options.errors ?? [], problem: options.problem, done }),
    );
  }

  router.get('/admin/staff', admin, (req, res) => show(req, res));

  router.post('/admin/staff/operators', admin, async (req, res) => {
    const ctx = pageContext(req, res);
    const chosen = [req.body?.districts ?? []].flat().filter((value): value is string => typeof value === 'string');
    const values: FormValues = { email: field(req.body?.email), fullName: field(req.body?.fullName), districts: chosen };
    const email = values.email as string;
    const fullName = values.fullName as string;
    const editing = isUuid(req.body?.operator);
    const errors: FormError[] = [];
    // The API's rule for an address (src/domain/email.ts), so the page and the API appoint the same people.
    if (!isEmailAddress(email)) errors.push({ field: 'email', message: ctx.t('signin.badEmail') });
    if (fullName.length > 200) errors.push({ field: 'fullName', message: ctx.t('staff.nameTooLong') });
    const districtIds = chosen.filter((value) => /^\d{1,9}$/.test(value)).map(Number);
    if (districtIds.length === 0) errors.push({ field: 'districts', message: ctx.t('staff.needDistricts') });
    if (errors.length > 0) return show(req, res, { status: 422, values, errors });
    try {
      // Editing, the form shows the name, so a blank one clears it; appointing, the form starts
      // blank, so a blank name keeps whatever the account has.
      const { operator, appointed } = await appointOperator(kit.bookings.prisma, req.user!, { email, fullName: fullName || (editing ? null : undefined), districtIds });
      req.log.info({ operatorId: operator.id, districtIds, by: req.user!.id }, appointed ? 'operator appointed' : 'operator districts changed');
      res.redirect(303, `/admin/staff?done=${appointed ? 'appointed' : 'updated'}`);
    } catch (error) {
      if (!(error instanceof StaffChangeRefused)) throw error;
      const message = STAFF_REFUSAL_TEXT[error.reason][ctx.lang];
      if (error.reason === 'UNKNOWN_DISTRICT') return show(req, res, { status: 422, values, errors: [{ field: 'districts', message }] });
      return show(req, res, { status: 409, values, problem: message });
    }
  });

  router.post('/admin/staff/operators/:id/dismiss', admin, async (req, res) => {
    const id = req.params.id as string;
    if (!isUuid(id)) throw new DomainError('NOT_FOUND', 'No such operator');
    await dismissOperator(kit.bookings.prisma, req.user!, id.toLowerCase());
    req.log.info({ operatorId: id.toLowerCase(), by: req.user!.id }, 'operator dismissed');
    res.redirect(303, '/admin/staff?done=dismissed');
  });

  return router;
}
