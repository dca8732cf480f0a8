import { Router } from 'express';
import { z } from 'zod';
import { adminStats, confirmBooking, decideAddOn, listOperatorTasks, operatorTasksCursor, recordCallback, rejectBooking, type BookingServiceDeps } from '../../bookings';
import { ADDON_CODES } from '../../domain/addons';
import { MAX_PRICE_KOPECKS } from '../../domain/price';
import { STATS_RANGE_MESSAGES, statsRange } from '../../domain/stats-range';
import { problems } from '../problem';
import { requireRole } from '../session';
import { bilingual, calendarDate, jsonBody, pageQuery, parseRequest, text } from '../validate';
import { actionKey, bookingIdOf } from './bookings';

const callbackBody = z
  .strictObject({
    outcome: z.enum(['AGREED', 'NO_ANSWER', 'REJECTED']),
    // Required: without it a repeated NO_ANSWER could not be told from the next call.
    attempt: z.number().int().min(1).max(1000),
    note: text().max(2000).nullish(),
    changes: z
      .strictObject({
        attendees: z.number().int().positive().optional(),
        eventTitle: text().trim().min(1).max(200).optional(),
        comment: text().max(2000).nullish(),
      })
      .optional(),
  })
  .refine((body) => body.outcome === 'AGREED' || body.changes === undefined, {
    path: ['changes'],
    message: bilingual('Изменения принимаются только с исходом AGREED', 'Changes are accepted only with AGREED'),
  });

const decisionBody = z
  .strictObject({
    decision: z.enum(['APPROVED', 'DECLINED']),
    price: z.number().int().min(0).max(MAX_PRICE_KOPECKS).optional(),
    note: text().max(1000).nullish(),
  })
  .refine((body) => body.decision === 'DECLINED' || body.price !== undefined, {
    path: ['price'],
    message: bilingual('Для одобренной услуги укажите цену в копейках', 'An approved service needs a price in kopecks'),
  });

const addOnParam = z.enum(ADDON_CODES);
const noteBody = z.strictObject({ note: text().max(1000).nullish() });
const reasonBody = z.strictObject({ reason: text().trim().min(1).max(1000) });

const statsQuery = z.strictObject({ from: calendarDate(), to: calendarDate() }).transform((days, ctx) => {
  const range = statsRange(days.from, days.to);
  if ('fault' in range) {
    const { ru, en } = STATS_RANGE_MESSAGES[range.fault];
    ctx.addIssue({ code: 'custom', path: ['to'], message: bilingual(ru, en) });
    return z.NEVER;
  }
  return { ...days, range };
});

/** Operators (their districts only) and administrators. */
export function operatorRouter(bookings: BookingServiceDeps): Router {
  const router = Router();
  router.use('/operator', requireRole('OPERATOR', 'ADMIN'));

  router.get('/operator/tasks', async (req, res) => {
    res.json(await listOperatorTasks(bookings, req.user!, parseRequest(pageQuery(operatorTasksCursor), req.query, 'query')));
  });

  router.post('/operator/bookings/:id/callback', async (req, res) => {
    const id = bookingIdOf(req.params);
    res.json(await recordCallback(bookings, req.user!, id, parseRequest(callbackBody, jsonBody(req), 'body'), actionKey(req)));
  });

  router.post('/operator/bookings/:id/addons/:code/decision', async (req, res) => {
    const id = bookingIdOf(req.params);
    const code = addOnParam.safeParse(req.params.code);
    if (!code.success) throw problems.notFound();
    res.json(await decideAddOn(bookings, req.user!, id, { code: code.data, ...parseRequest(decisionBody, jsonBody(req), 'body') }, actionKey(req)));
  });

  router.post('/operator/bookings/:id/confirm', async (req, res) => {
    const id = bookingIdOf(req.params);
    res.json(await confirmBooking(bookings, req.user!, id, parseRequest(noteBody, jsonBody(req), 'body'), actionKey(req)));
  });

  router.post('/operator/bookings/:id/reject', async (req, res) => {
    const id = bookingIdOf(req.params);
    res.json(await rejectBooking(bookings, req.user!, id, parseRequest(reasonBody, jsonBody(req), 'body'), actionKey(req)));
  });

  return router;
}

export function adminRouter(bookings: BookingServiceDeps): Router {
  const router = Router();
  router.use('/admin', requireRole('ADMIN'));

  /** Bookings submitted from `from` to `to`, Moscow calendar days, both included (as on the portal's page). */
  router.get('/admin/stats', async (req, res) => {
    const query = parseRequest(statsQuery, req.query, 'query');
    res.json({ from: query.from, to: query.to, districts: await adminStats(bookings, req.user!, query.range) });
  });

  return router;
}
