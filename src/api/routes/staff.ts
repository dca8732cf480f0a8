import { Router } from 'express';
import { z } from 'zod';
import { adminStats, confirmBooking, decideAddOn, listOperatorTasks, recordCallback, rejectBooking, type BookingServiceDeps } from '../../bookings';
import { ADDON_CODES } from '../../domain/addons';
import { moscowInstant } from '../../domain/moscow-time';
import { MAX_PRICE_KOPECKS } from '../../domain/price';
import { problems } from '../problem';
import { requireRole } from '../session';
import { bilingual, calendarDate, jsonBody, parseRequest, text } from '../validate';
import { bookingIdOf } from './bookings';

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

const statsQuery = z
  .strictObject({ from: calendarDate(), to: calendarDate() })
  .refine((range) => range.from < range.to, { path: ['to'], message: bilingual('Конец периода должен быть позже начала', 'The end must be after the start') });

/** Operators (their districts only) and administrators. */
export function operatorRouter(bookings: BookingServiceDeps): Router {
  const router = Router();
  router.use('/operator', requireRole('OPERATOR', 'ADMIN'));

  router.get('/operator/tasks', async (req, res) => {
    res.json({ items: await listOperatorTasks(bookings, req.user!) });
  });

  router.post('/operator/bookings/:id/callback', async (req, res) => {
    const id = bookingIdOf(req.params);
    res.json(await recordCallback(bookings, req.user!, id, parseRequest(callbackBody, jsonBody(req), 'body')));
  });

  router.post('/operator/bookings/:id/addons/:code/decision', async (req, res) => {
    const id = bookingIdOf(req.params);
    const code = addOnParam.safeParse(req.params.code);
    if (!code.success) throw problems.notFound();
    res.json(await decideAddOn(bookings, req.user!, id, { code: code.data, ...parseRequest(decisionBody, jsonBody(req), 'body') }));
  });

  router.post('/operator/bookings/:id/confirm', async (req, res) => {
    const id = bookingIdOf(req.params);
    res.json(await confirmBooking(bookings, req.user!, id, parseRequest(noteBody, jsonBody(req), 'body')));
  });

  router.post('/operator/bookings/:id/reject', async (req, res) => {
    const id = bookingIdOf(req.params);
    res.json(await rejectBooking(bookings, req.user!, id, parseRequest(reasonBody, jsonBody(req), 'body')));
  });

  return router;
}

export function adminRouter(bookings: BookingServiceDeps): Router {
  const router = Router();
  router.use('/admin', requireRole('ADMIN'));

  /** Bookings submitted from `from` (inclusive) to `to` (exclusive), Moscow calendar days. */
  router.get('/admin/stats', async (req, res) => {
    const range = parseRequest(statsQuery, req.query, 'query');
    const from = moscowInstant(range.from, 0);
    const to = moscowInstant(range.to, 0);
    res.json({ from: range.from, to: range.to, districts: await adminStats(bookings, req.user!, { from, to }) });
  });

  return router;
}
