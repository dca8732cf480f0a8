import { Router, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import { requestHashOf, submitBooking } from '../bookings';
import { loadRoomForBooking } from '../bookings/catalog';
import type { AddOnCode } from '../domain/addons';
import type { BookingRequestBody } from '../domain/booking-request';
import { DomainError } from '../domain/errors';
import { isCalendarDate } from '../domain/moscow-time';
import { bookingFormValues, checkBookingRequest, toBookingRequest, toFormErrors } from './booking-form';
import { pageContext, type PageContext } from './context';
import { formatTime } from './format';
import type { WebKit } from './router';
import { moscowDateIn } from './routes-public';
import { bookingFormPage, bookingReviewPage, type BookingKey, type BookingRoomInfo } from './views/booking';
import type { FormError, FormValues } from './views/layout';
import { errorPage } from './views/public';
import { isUuid } from '../domain/uuid';

const HASH = /^[0-9a-f]{64}$/;

/**
 * The idempotency key a form brought back, with the digest of the details it was minted for.
 * "Change" on the check page carries it through the first step, so the same details checked
 * again keep the same key: the service answers a key it has seen with that booking, so sending
 * again after a lost answer can never make a second one. Other details get a new key.
 */
function carriedKey(body: Record<string, unknown> | undefined): BookingKey | undefined {
  const key = body?.key;
  const keyFor = body?.keyFor;
  return isUuid(key) && typeof keyFor === 'string' && HASH.test(keyFor) ? { key, keyFor } : undefined;
}

/** The booking form (step 1), the check-your-answers page (step 2) and the submission. */
export function bookRoutes(kit: WebKit): Router {
  const router = Router();
  const resident = kit.requirePage('RESIDENT');

  async function roomInfo(roomId: number): Promise<BookingRoomInfo | undefined> {
    const loaded = await loadRoomForBooking(kit.bookings.prisma, roomId);
    if (!loaded) return undefined;
    const venue = await kit.catalog.getVenue(loaded.venue.id);
    if (!venue) return undefined;
    return {
      roomId,
      roomName: loaded.room.name,
      capacity: loaded.room.capacity,
      venueId: venue.id,
      venueName: venue.name,
      address: venue.address,
      pricePerHour: loaded.room.pricePerHour,
      rooms: venue.rooms.map((room) => ({ id: room.id, name: room.name, capacity: room.capacity })),
      addOns: venue.addOns.map((addOn) => ({ code: addOn.code as AddOnCode, price: addOn.price })),
    };
  }

  async function busyHint(ctx: PageContext, roomId: number, date: unknown): Promise<string | undefined> {
    // A pattern alone lets 30 February through, which the reads roll over to 2 March.
    if (typeof date !== 'string' || !isCalendarDate(date)) return undefined;
    const availability = await kit.catalog.roomAvailability(roomId, date);
    if (!availability || availability.busy.length === 0) return undefined;
    return ctx.t('book.busyHint', { ranges: availability.busy.map((range) => `${formatTime(range.start)}–${formatTime(range.end)}`).join(', ') });
  }

  async function showForm(req: Request, res: Response, status: number, values: FormValues, errors: FormError[], carried?: BookingKey) {
    const ctx = pageContext(req, res);
    const room = await roomInfo(Number(values.room));
    if (!room) return kit.send(res, 404, errorPage(ctx, 404));
    kit.send(res, status, bookingFormPage(ctx, { room, values, errors, busyHint: await busyHint(ctx, room.roomId, values.date), carried }));
  }

  /**
   * The check-your-answers page for `key`. `checkBusy` is off when the key may already hold the
   * slot (sent before, answer lost): its own hold is not "another application"; the submission
   * itself tells a replay from a taken slot.
   */
  async function showReview(req: Request, res: Response, values: FormValues, request: BookingRequestBody, key: BookingKey, options: { status?: number; checkBusy: boolean; problem?: string }) {
    const ctx = pageContext(req, res);
    const checked = await checkBookingRequest(kit.bookings, request);
    if (!checked.ok) return showForm(req, res, 422, values, toFormErrors(checked.errors, ctx.lang), key);
    if (options.checkBusy) {
      const availability = await kit.catalog.roomAvailability(request.roomId, String(values.date));
      const start = checked.value.startsAt.getTime();
      const end = checked.value.endsAt.getTime();
      if (availability?.busy.some((range) => Date.parse(range.start) < end && Date.parse(range.end) > start)) {
        return showForm(req, res, 409, values, [{ field: 'start', message: ctx.t('book.slotTaken') }], key);
      }
    }
    const room = await roomInfo(request.roomId);
    if (!room) return kit.send(res, 404, errorPage(ctx, 404));
    kit.send(res, options.status ?? 200, bookingReviewPage(ctx, { room, values, startsAt: checked.value.startsAt, endsAt: checked.value.endsAt, roomPrice: checked.roomPrice, key, problem: options.problem }));
  }

  router.get('/book', resident, async (req, res) => {
    const ctx = pageContext(req, res);
    const room = typeof req.query.room === 'string' && /^\d{1,9}$/.test(req.query.room) ? req.query.room : '';
    const asked = typeof req.query.date === 'string' ? req.query.date : '';
    const errors: FormError[] = asked && !isCalendarDate(asked) ? [{ field: 'date', message: ctx.t('book.badDate') }] : [];
    const date = isCalendarDate(asked) ? asked : moscowDateIn(2);
    await showForm(req, res, 200, { room, date, start: '', end: '', eventType: 'MEETING', addOns: [] }, errors);
  });

  router.post('/book', resident, async (req, res) => {
    const ctx = pageContext(req, res);
    const values = bookingFormValues(req.body ?? {});
    const action = req.body?.action;
    const carried = carriedKey(req.body);
    if (action === 'edit') return showForm(req, res, 200, values, [], carried);
    const shaped = toBookingRequest(values, ctx.t);
    if (!shaped.request) return showForm(req, res, 422, values, shaped.errors, carried);
    const keyFor = requestHashOf(shaped.request);

    if (action === 'submit') {
      const key = isUuid(req.body?.key) ? req.body.key : randomUUID();
      try {
        const view = await submitBooking(kit.bookings, { residentId: req.user!.id, idempotencyKey: key, body: shaped.request });
        return res.redirect(303, `/account/bookings/${view.id}/done`);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error.type === 'SLOT_TAKEN') return showForm(req, res, 409, values, [{ field: 'start', message: ctx.t('book.slotTaken') }]);
        if (error.type === 'VALIDATION') return showForm(req, res, 422, values, toFormErrors(error.fieldErrors, ctx.lang));
        // The booking may have been made and only its answer lost: the same page, the same key.
        if (error.type === 'UNAVAILABLE') return showReview(req, res, values, shaped.request, { key, keyFor }, { status: 503, checkBusy: false, problem: ctx.t('book.unavailableRetry') });
        // This review page's key already sent other details: check them again (a new review, a new key).
        if (error.type === 'IDEMPOTENCY_MISMATCH') return showForm(req, res, 422, values, [{ field: 'eventTitle', message: ctx.t('book.changedAfterSubmit') }]);
        throw error;
      }
    }

    // The check-your-answers step: the service's own rules first, and whether the time is free.
    const kept = carried?.keyFor === keyFor ? carried : undefined;
    await showReview(req, res, values, shaped.request, kept ?? { key: randomUUID(), keyFor }, { checkBusy: !kept });
  });

  return router;
}
