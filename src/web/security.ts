import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import type { Request, RequestHandler } from 'express';
import { siteCookieName } from '../api/session';

/**
 * Headers for every page: a strict CSP (no inline script or style anywhere: the CSS and JS are
 * static files from our own origin), no framing, no MIME sniffing, no full URLs to other sites.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export function securityHeaders(options: { https: boolean }): RequestHandler {
  return (_req, res, next) => {
    if (options.https) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    next();
  };
}

export const CSRF_FIELD = '_csrf';

/**
 * CSRF protection without server-side storage.
 *
 * Every browser gets a random httpOnly cookie `opendk_csrf` (`__Host-opendk_csrf` over HTTPS). The token put in each form is
 * HMAC-SHA256 over that cookie, keyed by the session token when signed in (so the form token is
 * a synchronizer token bound to the session: it changes at sign-in and sign-out and cannot be
 * computed without the httpOnly session cookie), or keyed by a server secret before sign-in (a
 * signed double-submit cookie). A POST whose `_csrf` field does not match is refused with 403.
 */
export function createCsrf(options: { secret?: string; secureCookies: boolean }) {
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const cookieName = siteCookieName('opendk_csrf', options.secureCookies);

  function browserId(req: Request): string | undefined {
    const value = req.headers.cookie ? parseCookies(req.headers.cookie)[cookieName] : undefined;
    return value && /^[\w-]{32,64}$/.test(value) ? value : undefined;
  }

  function tokenFor(req: Request, id: string): string {
    return createHmac('sha256', req.sessionToken ?? secret).update(`opendk-csrf:${id}`).digest('base64url');
  }

  /** Issues the cookie when missing and exposes the form token as res.locals.csrfToken. */
  const issue: RequestHandler = (req, res, next) => {
    let id = browserId(req);
    if (!id) {
      id = randomBytes(24).toString('base64url');
      res.cookie(cookieName, id, { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/' });
      // The cookie arrives with the next request; this one may already render forms.
      req.headers.cookie = `${req.headers.cookie ? `${req.headers.cookie}; ` : ''}${cookieName}=${id}`;
    }
    res.locals.csrfToken = tokenFor(req, id);
    next();
  };

  function isValid(req: Request): boolean {
    const id = browserId(req);
    const sent = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD] ?? req.get('X-CSRF-Token');
    if (!id || typeof sent !== 'string') return false;
    const expected = Buffer.from(tokenFor(req, id));
    const given = Buffer.from(sent);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  return { issue, isValid };
}
