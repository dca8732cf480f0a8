import { Router, type Request, type Response } from 'express';
import { cancelBooking, getBookingForActor, type ActionKey, LIST_PAGE_SIZE, listResidentBookings, orderAddOns, residentBookingsCursor, submitAddOns, type BookingView } from '../bookings';
import { ADDON_CODES, type AddOnCode } from '../domain/addons';
import { DomainError } from '../domain/errors';
import { toFormErrors } from './booking-form';
import { listPageFor, pageContext, type PageContext } from './context';
import { statusLabel, type MessageKey } from './i18n';
import type { WebKit } from './router';
import { bookRoutes } from './routes-book';
import { accountPage, bookingDetailPage, bookingDonePage, residentActions } from './views/booking';
import { ACTION_KEY_FIELD, formActionKey, formText, tooLongErrors } from './form-text';
import type { FormError, FormValues } from './views/layout';
import { isUuid } from '../domain/uuid';

const DONE_KEYS = ['cancel', 'order', 'finish', 'callback', 'decision', 'confirm', 'reject'] as const;

/** The `?done=` notice after a Post/Redirect/Get. */
export function doneNotice(ctx: PageContext, req: Request): string | undefined {
  const done = req.query.done;
  return typeof done === 'string' && (DONE_KEYS as readonly string[]).includes(done) ? ctx.t(`detail.done.${done}` as MessageKey) : undefined;
}

/** Runs a booking action; the domain's refusals come back as values for the page to show. */
export async function attempt(run: () => Promise<unknown>): Promise<{ ok: true } | { ok: false; error: DomainError }> {
  try {
    await run();
    return { ok: true };
  } catch (error) {
    if (error instanceof DomainError && (error.type === 'VALIDATION' || error.type === 'INVALID_STATE' || error.type === 'UNAVAILABLE')) return { ok: false, error };
    throw error;
  }
}

export function residentRoutes(kit: WebKit): Router {
  const router = Router();
  // Anyone signed in: a resident appointed to the staff keeps their applications (new ones are residents' only: routes-book.ts).
  const resident = kit.requirePage();

  router.use(bookRoutes(kit));

  router.get('/account', resident, async (req, res) => {
    const mine = await listPageFor(req, res, '/account', LIST_PAGE_SIZE, residentBookingsCursor, (range) => listResidentBookings(kit.bookings, req.user!.id, range));
    if (mine) kit.send(res, 200, accountPage(pageContext(req, res), mine));
  });

  // Read as the applicant, whatever the person's role: these pages show only their own applications
  // (staff read others' on /operator), and without the staff's deadline events.
  const bookingOf = (req: Request) => {
    if (!isUuid(req.params.id)) throw new DomainError('NOT_FOUND', 'Booking not found');
    return getBookingForActor(kit.bookings, { id: req.user!.id, role: 'RESIDENT', districtIds: [] }, req.params.id as string);
  };

  async function showDetail(req: Request, res: Response, options: { status?: number; values?: FormValues; errors?: FormError[]; problem?: string; booking?: BookingView } = {}) {
    const ctx = pageContext(req, res);
    const booking = options.booking ?? (await bookingOf(req));
    const venue = await kit.catalog.getVenue(booking.venue.id);
    const offered = (venue?.addOns ?? []).map((addOn) => ({ code: addOn.code as AddOnCode, price: addOn.price }));
    const errors = options.errors ?? [];
    kit.send(
      res,
      options.status ?? 200,
      bookingDetailPage(ctx, {
        booking,
        liveUrl: `/account/bookings/${booking.id}/live`,
        pageUrl: `/account/bookings/${booking.id}`,
        actions: residentActions(ctx, booking, offered, options.values ?? {}, errors),
        errors,
        done: doneNotice(ctx, req),
        problem: options.problem,
      }),
    );
  }

  router.get('/account/bookings/:id', resident, (req, res) => showDetail(req, res));

  router.get('/account/bookings/:id/done', resident, async (req, res) => {
    kit.send(res, 200, bookingDonePage(pageContext(req, res), await bookingOf(req)));
  });

  /** A small JSON read for the page's script: the version tells it when to refresh the facts. */
  router.get('/account/bookings/:id/live', resident, async (req, res) => {
    const booking = await bookingOf(req);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ version: booking.updatedAt, status: booking.status, statusLabel: statusLabel(pageContext(req, res).lang, booking.status) });
  });

  /** Post/Redirect/Get for an action; refusals re-render the page with the values kept. */
  async function act(req: Request, res: Response, done: (typeof DONE_KEYS)[number], fields: FormValues, localErrors: FormError[], run: (key: ActionKey | undefined) => Promise<unknown>) {
    const ctx = pageContext(req, res);
    const key = formActionKey(req.body);
    const values = { ...fields, [ACTION_KEY_FIELD]: key };
    if (localErrors.length > 0) return showDetail(req, res, { status: 422, values, errors: localErrors });
    const result = await attempt(() => run(key));
    if (result.ok) return res.redirect(303, `/account/bookings/${req.params.id}?done=${done}`);
    if (result.error.type === 'VALIDATION') return showDetail(req, res, { status: 422, values, errors: toFormErrors(result.error.fieldErrors, ctx.lang) });
    return showDetail(req, res, { status: result.error.type === 'UNAVAILABLE' ? 503 : 409, values, problem: ctx.t(result.error.type === 'UNAVAILABLE' ? 'book.unavailable' : 'detail.invalidState') });
  }

  router.post('/account/bookings/:id/cancel', resident, async (req, res) => {
    const ctx = pageContext(req, res);
    const reason = formText(req.body?.reason);
    const errors = reason ? tooLongErrors(ctx, [['reason', reason, 1000]]) : [{ field: 'reason', message: ctx.t('op.needReason') }];
    await act(req, res, 'cancel', { reason }, errors, async (key) => cancelBooking(kit.bookings, req.user!, await idOf(req), { reason }, key));
  });

  router.post('/account/bookings/:id/addons', resident, async (req, res) => {
    const ctx = pageContext(req, res);
    const codes = [req.body?.addOns ?? []].flat().filter((code): code is AddOnCode => (ADDON_CODES as readonly string[]).includes(code));
    const errors = codes.length > 0 ? [] : [{ field: 'addOns', message: ctx.t('detail.chooseAddOn') }];
    await act(req, res, 'order', { addOns: codes }, errors, async (key) => orderAddOns(kit.bookings, req.user!, await idOf(req), { items: codes.map((code) => ({ code })) }, key));
  });

  router.post('/account/bookings/:id/addons/submit', resident, async (req, res) => {
    await act(req, res, 'finish', {}, [], async (key) => submitAddOns(kit.bookings, req.user!, await idOf(req), {}, key));
  });

  /**
   * The service checks who may act; a malformed id names nobody's booking. Staff, who may act on
   * others' bookings on /operator, act here on their own applications only.
   */
  async function idOf(req: Request): Promise<string> {
    if (!isUuid(req.params.id)) throw new DomainError('NOT_FOUND', 'Booking not found');
    if (req.user!.role !== 'RESIDENT') await bookingOf(req);
    return req.params.id as string;
  }

  return router;
}
