import { Router, type Request, type Response } from 'express';
import { adminStats, confirmBooking, type ActionKey, decideAddOn, getBookingForActor, LIST_PAGE_SIZE, listOperatorTasks, operatorTasksCursor, recordCallback, rejectBooking } from '../bookings';
import { ADDON_CODES, type AddOnCode } from '../domain/addons';
import { DomainError } from '../domain/errors';
import { isCalendarDate, toMoscow } from '../domain/moscow-time';
import { MAX_PRICE_KOPECKS } from '../domain/price';
import { STATS_RANGE_MESSAGES, statsRange } from '../domain/stats-range';
import { listAdminBookings } from '../bookings/admin-bookings';
import { adminVenueStats } from '../bookings/venue-stats';
import { fieldErrorMessage, toFormErrors } from './booking-form';
import { listPageFor, pageContext } from './context';
import { formatMoney, parseRubles } from './format';
import { ACTION_KEY_FIELD, formActionKey, formText as text, tooLongErrors } from './form-text';
import { html } from './html';
import type { WebKit } from './router';
import { attempt, doneNotice } from './routes-resident';
import { bookingDetailPage } from './views/booking';
import { errorPage } from './views/public';
import type { FormError, FormValues } from './views/layout';
import { adminPage, operatorActions, operatorQueuePage } from './views/staff';
import { isUuid } from '../domain/uuid';


export function staffRoutes(kit: WebKit): Router {
  const router = Router();
  const staff = kit.requirePage('OPERATOR', 'ADMIN');
  const admin = kit.requirePage('ADMIN');

  const idOf = (req: Request) => {
    if (!isUuid(req.params.id)) throw new DomainError('NOT_FOUND', 'Booking not found');
    return req.params.id as string;
  };

  router.get('/operator', staff, async (req, res) => {
    const queue = await listPageFor(req, res, '/operator', LIST_PAGE_SIZE, operatorTasksCursor, (range) => listOperatorTasks(kit.bookings, req.user!, range));
    if (queue) kit.send(res, 200, operatorQueuePage(pageContext(req, res), queue, req.user!.role === 'ADMIN' ? kit.temporalLink : undefined));
  });

  async function showDetail(req: Request, res: Response, options: { status?: number; values?: FormValues; errors?: FormError[]; problem?: string } = {}) {
    const ctx = pageContext(req, res);
    const booking = await getBookingForActor(kit.bookings, req.user!, idOf(req));
    const errors = options.errors ?? [];
    const extra = html`<p><a href="/operator">← ${ctx.t('op.title')}</a>${req.user!.role === 'ADMIN' ? html` · <a href="${kit.temporalLink(booking.id)}" rel="noopener" target="_blank">${ctx.t('detail.temporal')}</a>` : ''}</p>`;
    kit.send(
      res,
      options.status ?? 200,
      bookingDetailPage(ctx, {
        booking,
        liveUrl: `/operator/bookings/${booking.id}/live`,
        pageUrl: `/operator/bookings/${booking.id}`,
        actions: operatorActions(ctx, booking, options.values ?? {}, errors),
        errors,
        done: doneNotice(ctx, req),
        problem: options.problem,
        extra,
      }),
    );
  }

  router.get('/operator/bookings/:id', staff, (req, res) => showDetail(req, res));

  router.get('/operator/bookings/:id/live', staff, async (req, res) => {
    const booking = await getBookingForActor(kit.bookings, req.user!, idOf(req));
    res.setHeader('Cache-Control', 'no-store');
    res.json({ version: booking.updatedAt, status: booking.status });
  });

  async function act(req: Request, res: Response, done: string, fields: FormValues, localErrors: FormError[], run: (key: ActionKey | undefined) => Promise<unknown>, fieldOf: Record<string, string> = {}) {
    const ctx = pageContext(req, res);
    const key = formActionKey(req.body);
    const values = { ...fields, [ACTION_KEY_FIELD]: key };
    if (localErrors.length > 0) return showDetail(req, res, { status: 422, values, errors: localErrors });
    const result = await attempt(() => run(key));
    if (result.ok) return res.redirect(303, `/operator/bookings/${idOf(req)}?done=${done}`);
    if (result.error.type === 'VALIDATION') return showDetail(req, res, { status: 422, values, errors: toFormErrors(result.error.fieldErrors, ctx.lang, fieldOf) });
    // A refusal that says why (services still without a decision, say) is shown as it says.
    const reason = result.error.fieldErrors[0];
    const problem = result.error.type === 'UNAVAILABLE' ? ctx.t('book.unavailable') : reason ? fieldErrorMessage(reason, ctx.lang) : ctx.t('detail.invalidState');
    return showDetail(req, res, { status: result.error.type === 'UNAVAILABLE' ? 503 : 409, values, problem });
  }

  router.post('/operator/bookings/:id/callback', staff, async (req, res) => {
    const ctx = pageContext(req, res);
    const values = { attempt: text(req.body?.attempt), outcome: text(req.body?.outcome), note: text(req.body?.note), changeTitle: text(req.body?.changeTitle), changeAttendees: text(req.body?.changeAttendees), changeComment: text(req.body?.changeComment) };
    const errors: FormError[] = tooLongErrors(ctx, [
      ['note', values.note, 2000],
      ['changeTitle', values.changeTitle, 200],
      ['changeComment', values.changeComment, 2000],
    ]);
    const outcome = values.outcome as 'AGREED' | 'NO_ANSWER' | 'REJECTED';
    if (!['AGREED', 'NO_ANSWER', 'REJECTED'].includes(outcome)) errors.push({ field: 'outcome', message: ctx.t('op.needOutcome') });
    if (values.changeAttendees && !/^\d{1,6}$/.test(values.changeAttendees)) errors.push({ field: 'changeAttendees', message: ctx.t('book.badNumber') });
    if (outcome !== 'AGREED' && (values.changeTitle || values.changeAttendees || values.changeComment)) errors.push({ field: 'changeTitle', message: ctx.t('op.changesOnlyAgreed') });
    const changes = {
      ...(values.changeTitle ? { eventTitle: values.changeTitle } : {}),
      ...(values.changeAttendees ? { attendees: Number(values.changeAttendees) } : {}),
      ...(values.changeComment ? { comment: values.changeComment } : {}),
    };
    // A page from before this field (or a forged form) has no attempt: refused like a repeat.
    const attempt = /^\d{1,3}$/.test(values.attempt) ? Number(values.attempt) : 0;
    await act(req, res, 'callback', values, errors, (key) =>
      recordCallback(kit.bookings, req.user!, idOf(req), { outcome, attempt, note: values.note || null, ...(Object.keys(changes).length > 0 ? { changes } : {}) }, key),
      { 'changes.attendees': 'changeAttendees', 'changes.eventTitle': 'changeTitle', changes: 'changeTitle' },
    );
  });

  router.post('/operator/bookings/:id/addons/:code', staff, async (req, res) => {
    const ctx = pageContext(req, res);
    const code = req.params.code as AddOnCode;
    if (!(ADDON_CODES as readonly string[]).includes(code)) throw new DomainError('NOT_FOUND', 'No such service');
    const prefix = `d_${code}`;
    const values = { [`${prefix}_decision`]: text(req.body?.[`${prefix}_decision`]), [`${prefix}_price`]: text(req.body?.[`${prefix}_price`]), [`${prefix}_note`]: text(req.body?.[`${prefix}_note`]) };
    const decision = values[`${prefix}_decision`] as 'APPROVED' | 'DECLINED';
    const errors: FormError[] = tooLongErrors(ctx, [[`${prefix}_note`, values[`${prefix}_note`], 1000]]);
    if (decision !== 'APPROVED' && decision !== 'DECLINED') errors.push({ field: `${prefix}_decision`, message: ctx.t('op.needDecision') });
    const price = parseRubles(values[`${prefix}_price`]);
    if (decision === 'APPROVED' && values[`${prefix}_price`] === '') errors.push({ field: `${prefix}_price`, message: ctx.t('op.needPrice') });
    else if (decision === 'APPROVED' && price === null) errors.push({ field: `${prefix}_price`, message: ctx.t('op.badPrice') });
    else if (decision === 'APPROVED' && price! > MAX_PRICE_KOPECKS) errors.push({ field: `${prefix}_price`, message: ctx.t('op.priceTooHigh', { max: formatMoney(ctx.lang, MAX_PRICE_KOPECKS) }) });
    await act(req, res, 'decision', values, errors, (key) =>
      decideAddOn(kit.bookings, req.user!, idOf(req), { code, decision, ...(decision === 'APPROVED' ? { price: price! } : {}), note: values[`${prefix}_note`] || null }, key),
      { price: `${prefix}_price`, note: `${prefix}_note` },
    );
  });

  router.post('/operator/bookings/:id/confirm', staff, async (req, res) => {
    const note = text(req.body?.confirmNote);
    const errors = tooLongErrors(pageContext(req, res), [['confirmNote', note, 1000]]);
    await act(req, res, 'confirm', { confirmNote: note }, errors, (key) => confirmBooking(kit.bookings, req.user!, idOf(req), { note: note || null }, key), { note: 'confirmNote' });
  });

  router.post('/operator/bookings/:id/reject', staff, async (req, res) => {
    const ctx = pageContext(req, res);
    const reason = text(req.body?.reason);
    const errors = reason ? tooLongErrors(ctx, [['reason', reason, 1000]]) : [{ field: 'reason', message: ctx.t('op.needReason') }];
    await act(req, res, 'reject', { reason }, errors, (key) => rejectBooking(kit.bookings, req.user!, idOf(req), { reason }, key));
  });

  router.get('/admin', admin, async (req, res) => {
    const ctx = pageContext(req, res);
    const today = toMoscow(new Date()).date;
    const monthAgo = toMoscow(new Date(Date.now() - 29 * 86_400_000)).date;
    const values = { from: typeof req.query.from === 'string' ? req.query.from : monthAgo, to: typeof req.query.to === 'string' ? req.query.to : today };
    const errors: FormError[] = [];
    if (!isCalendarDate(values.from)) errors.push({ field: 'from', message: ctx.t('book.badDate') });
    if (!isCalendarDate(values.to)) errors.push({ field: 'to', message: ctx.t('book.badDate') });
    const range = errors.length === 0 ? statsRange(values.from, values.to) : undefined;
    if (range && 'fault' in range) errors.push({ field: 'to', message: STATS_RANGE_MESSAGES[range.fault][ctx.lang] });
    const period = range && !('fault' in range) ? range : undefined;
    const rows = period ? await adminStats(kit.bookings, req.user!, period) : [];
    const districtId = typeof req.query.district === 'string' && /^\d{1,9}$/.test(req.query.district) ? Number(req.query.district) : undefined;
    const district = districtId === undefined ? undefined : rows.find((row) => row.districtId === districtId);
    const venues = period && district ? { districtName: district.districtName, rows: await adminVenueStats(kit.bookings, req.user!, period, district.districtId) } : undefined;
    const bookings = period ? await listAdminBookings(kit.bookings, req.user!, { ...period, districtId: district?.districtId, limit: 50 }) : [];
    kit.send(res, errors.length > 0 ? 422 : 200, adminPage(ctx, { values, errors, rows, bookings, temporalLink: kit.temporalLink, venues }));
  });

  // The API proxies the Temporal UI here to administrators (src/api/routes/temporal-ui.ts); other
  // people's page requests come through to be refused like any admin page (404 when no UI is proxied).
  router.get(['/admin/temporal', '/admin/temporal/{*rest}'], admin, (req, res) => kit.send(res, 404, errorPage(pageContext(req, res), 404)));

  return router;
}
