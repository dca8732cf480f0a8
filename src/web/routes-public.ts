import { parse as parseCookies } from 'cookie';
import { Router, type Response } from 'express';
import { describeAuthFailure } from '../auth/auth-failures';
import { AuthError } from '../auth/auth-service';
import { isAddOnCode } from '../domain/addons';
import { isEmailAddress, normalizeEmail } from '../domain/email';
import { isCalendarDate, toMoscow } from '../domain/moscow-time';
import { pageContext, safeLocalPath, type PageContext } from './context';
import type { WebKit } from './router';
import type { FormError } from './views/layout';
import { catalogPage, codePage, errorPage, signInPage, venuePage } from './views/public';

const PAGE_SIZE = 20;
const str = (value: unknown) => (typeof value === 'string' ? value.trim().slice(0, 200) : '');
/** An address as typed, checked by the API's rule; not cut to `str`'s length, as a shortened address would be someone else's. */
const emailField = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** Today plus `days`, as a Moscow calendar date. */
export const moscowDateIn = (days: number) => toMoscow(new Date(Date.now() + days * 86_400_000)).date;

/** A sign-in failure as the form shows it: the API's words, and 422 for the person's own mistake. */
function refusal(res: Response, ctx: PageContext, error: AuthError): { status: number; message: string } {
  const answer = describeAuthFailure(error);
  if (answer.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(answer.retryAfterSeconds));
  return { status: answer.status === 400 ? 422 : answer.status, message: answer.message[ctx.lang] };
}

/** The address a sign-in code was sent to, for the code step; as long as a code lives, and a little more. */
const SIGNIN_EMAIL_COOKIE = 'opendk_signin_email';
const SIGNIN_EMAIL_TTL_MS = 15 * 60_000;

export function publicRoutes(kit: WebKit): Router {
  const router = Router();
  const signInEmailCookie = { httpOnly: true, sameSite: 'lax', secure: kit.secureCookies, path: '/signin' } as const;

  router.get('/', async (req, res) => {
    const ctx = pageContext(req, res);
    const errors: FormError[] = [];
    const values = { district: str(req.query.district), q: str(req.query.q), capacity: str(req.query.capacity), date: str(req.query.date), addOn: str(req.query.addOn) };
    const districtId = /^\d{1,6}$/.test(values.district) ? Number(values.district) : undefined;
    const capacity = /^\d{1,5}$/.test(values.capacity) && Number(values.capacity) > 0 ? Number(values.capacity) : undefined;
    if (values.capacity && capacity === undefined) errors.push({ field: 'capacity', message: ctx.t('book.badNumber') });
    const date = isCalendarDate(values.date) ? values.date : undefined;
    if (values.date && !date) errors.push({ field: 'date', message: ctx.t('book.badDate') });
    const page = Math.min(10_000, Math.max(1, Number.parseInt(str(req.query.page), 10) || 1));
    const [districts, result] = await Promise.all([
      kit.catalog.listDistricts(),
      kit.catalog.searchVenues({
        districtId,
        text: values.q || undefined,
        minCapacity: capacity,
        addOn: isAddOnCode(values.addOn) ? values.addOn : undefined,
        openOn: date,
        page,
        pageSize: PAGE_SIZE,
      }),
    ]);
    const query = new URLSearchParams(Object.entries(values).filter(([, value]) => value !== ''));
    // Where the sign-out lands: it says it went through (to someone no longer signed in only).
    const signedOut = req.query.signedout === '1' && !req.user;
    kit.send(res, 200, catalogPage(ctx, { districts, result, values, errors, query, signedOut }));
  });

  router.get('/venues/:id', async (req, res) => {
    const ctx = pageContext(req, res);
    const id = /^\d{1,9}$/.test(req.params.id) ? Number(req.params.id) : NaN;
    const venue = Number.isInteger(id) ? await kit.catalog.getVenue(id) : undefined;
    if (!venue) return kit.send(res, 404, errorPage(ctx, 404));
    const asked = str(req.query.date);
    const errors: FormError[] = asked && !isCalendarDate(asked) ? [{ field: 'date', message: ctx.t('book.badDate') }] : [];
    const date = isCalendarDate(asked) ? asked : moscowDateIn(2);
    // Asked together, the rooms' days are read in one statement (the catalog batches them).
    const days = await Promise.all(venue.rooms.map((room) => kit.catalog.roomAvailability(room.id, date)));
    const availability = new Map(venue.rooms.flatMap((room, index) => (days[index] ? [[room.id, days[index]] as const] : [])));
    kit.send(res, 200, venuePage(ctx, { venue, date, availability, errors }));
  });

  router.get('/signin', (req, res) => {
    const ctx = pageContext(req, res);
    const message = req.query.expired === '1' ? ctx.t('signin.expired') : undefined;
    kit.send(res, 200, signInPage(ctx, { values: {}, errors: [], next: safeLocalPath(req.query.next), message }));
  });

  router.post('/signin', async (req, res) => {
    const ctx = pageContext(req, res);
    const email = emailField(req.body?.email);
    const next = safeLocalPath(req.body?.next);
    if (!isEmailAddress(email)) return kit.send(res, 422, signInPage(ctx, { values: { email }, errors: [{ field: 'email', message: ctx.t('signin.badEmail') }], next }));
    try {
      await kit.auth.requestCode(email, req.ip ?? 'unknown');
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      const { status, message } = refusal(res, ctx, error);
      return kit.send(res, status, signInPage(ctx, { values: { email }, errors: [{ field: 'email', message }], next }));
    }
    // The address waits for the code step in a cookie of the sign-in pages, not in the URL, which
    // browsers keep in their history and proxies in their access logs.
    res.cookie(SIGNIN_EMAIL_COOKIE, normalizeEmail(email), { ...signInEmailCookie, maxAge: SIGNIN_EMAIL_TTL_MS });
    res.redirect(303, `/signin/code?next=${encodeURIComponent(next)}`);
  });

  router.get('/signin/code', (req, res) => {
    const ctx = pageContext(req, res);
    const email = req.headers.cookie ? (parseCookies(req.headers.cookie)[SIGNIN_EMAIL_COOKIE] ?? '') : '';
    if (!isEmailAddress(email)) return res.redirect(303, `/signin?next=${encodeURIComponent(safeLocalPath(req.query.next))}`);
    kit.send(res, 200, codePage(ctx, { email, values: {}, errors: [], next: safeLocalPath(req.query.next) }));
  });

  router.post('/signin/code', async (req, res) => {
    const ctx = pageContext(req, res);
    const email = emailField(req.body?.email);
    const code = str(req.body?.code).replace(/\s/g, '');
    const next = safeLocalPath(req.body?.next);
    const again = (message: string, status = 422) => kit.send(res, status, codePage(ctx, { email, values: { code }, errors: [{ field: 'code', message }], next }));
    if (!isEmailAddress(email)) return res.redirect(303, '/signin');
    if (!/^\d{6}$/.test(code)) return again(ctx.t('signin.badCode'));
    try {
      const session = await kit.auth.signIn(email, code);
      // The browser's earlier session, if any, is replaced, not left valid behind the new cookie.
      if (req.sessionToken) await kit.auth.revokeSession(req.sessionToken);
      kit.setSession(res, session.token, session.expiresAt);
      res.clearCookie(SIGNIN_EMAIL_COOKIE, signInEmailCookie);
      const home = session.user.role === 'ADMIN' ? '/admin' : session.user.role === 'OPERATOR' ? '/operator' : '/account';
      res.redirect(303, next === '/' ? home : next);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      const { status, message } = refusal(res, ctx, error);
      return again(message, status);
    }
  });

  router.post('/signout', async (req, res) => {
    if (req.sessionToken) await kit.auth.revokeSession(req.sessionToken);
    kit.clearSession(res);
    res.redirect(303, '/?signedout=1');
  });

  return router;
}
