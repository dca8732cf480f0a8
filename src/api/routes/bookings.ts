import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  cancelBooking,
  getBookingForActor,
  listResidentBookings,
  orderAddOns,
  residentBookingsCursor,
  submitAddOns,
  submitBooking,
  type BookingServiceDeps,
} from '../../bookings';
import { ADDON_CODES } from '../../domain/addons';
import { EVENT_TYPES } from '../../domain/booking-request';
import { problems } from '../problem';
import { requireRole } from '../session';
import { bilingual, DB_INT_MAX, jsonBody, pageQuery, parseRequest, text } from '../validate';

const addOnLine = z.strictObject({
  code: z.enum(ADDON_CODES),
  quantity: z.number().int().min(1).max(1000).optional(),
  note: text().max(1000).nullish(),
});

export const bookingBody = z.strictObject({
  roomId: z.number().int().positive().max(DB_INT_MAX),
  startsAt: z.iso.datetime({ offset: true, message: bilingual('Укажите дату и время в формате ISO-8601 со смещением, например 2026-12-25T18:00:00+03:00', 'Give an ISO-8601 date-time with an offset, e.g. 2026-12-25T18:00:00+03:00') }),
  endsAt: z.iso.datetime({ offset: true, message: bilingual('Укажите дату и время в формате ISO-8601 со смещением, например 2026-12-25T21:00:00+03:00', 'Give an ISO-8601 date-time with an offset, e.g. 2026-12-25T21:00:00+03:00') }),
  eventTitle: text().trim().min(1).max(200),
  eventType: z.enum(EVENT_TYPES),
  attendees: z.number().int().positive(),
  contactPhone: text().max(40),
  contactName: text().max(100).nullish(),
  comment: text().max(2000).nullish(),
  addOns: z.array(addOnLine).max(5).optional(),
});

const idempotencyKey = z.string().min(1).max(200);

/** An action's optional Idempotency-Key: the same request sent again gets the first one's outcome. */
export const actionKey = (req: Request) => parseRequest(idempotencyKey.optional(), req.get('Idempotency-Key'), 'headers.Idempotency-Key');

const bookingId = z.uuid();
const reasonBody = z.strictObject({ reason: text().trim().min(1).max(1000) });
const orderBody = z.strictObject({ addOns: z.array(addOnLine).min(1).max(5) });
const noteBody = z.strictObject({ note: text().max(1000).nullish() });

/** A malformed id cannot name anyone's booking: the same 404 as a missing one. */
export function bookingIdOf(params: { id?: string }): string {
  const parsed = bookingId.safeParse(params.id);
  if (!parsed.success) throw problems.notFound();
  return parsed.data;
}

export function residentBookingsRouter(bookings: BookingServiceDeps): Router {
  const router = Router();

  router.post('/bookings', requireRole('RESIDENT'), async (req, res) => {
    const key = parseRequest(idempotencyKey, req.get('Idempotency-Key'), 'headers.Idempotency-Key');
    const body = parseRequest(bookingBody, jsonBody(req), 'body');
    const view = await submitBooking(bookings, { residentId: req.user!.id, idempotencyKey: key, body });
    res.status(201).location(`/api/bookings/${view.id}`).json(view);
  });

  router.get('/bookings', requireRole(), async (req, res) => {
    res.json(await listResidentBookings(bookings, req.user!.id, parseRequest(pageQuery(residentBookingsCursor), req.query, 'query')));
  });

  router.get('/bookings/:id', requireRole(), async (req, res) => {
    res.json(await getBookingForActor(bookings, req.user!, bookingIdOf(req.params)));
  });

  router.post('/bookings/:id/cancel', requireRole(), async (req, res) => {
    const id = bookingIdOf(req.params);
    const body = parseRequest(reasonBody, jsonBody(req), 'body');
    res.json(await cancelBooking(bookings, req.user!, id, body, actionKey(req)));
  });

  // Any signed-in person: the workflow lets only the applicant order (a resident since appointed keeps theirs).
  router.post('/bookings/:id/addons', requireRole(), async (req, res) => {
    const id = bookingIdOf(req.params);
    const body = parseRequest(orderBody, jsonBody(req), 'body');
    res.json(await orderAddOns(bookings, req.user!, id, { items: body.addOns }, actionKey(req)));
  });

  router.post('/bookings/:id/addons/submit', requireRole(), async (req, res) => {
    const id = bookingIdOf(req.params);
    const body = parseRequest(noteBody, jsonBody(req), 'body');
    res.json(await submitAddOns(bookings, req.user!, id, body, actionKey(req)));
  });

  return router;
}
