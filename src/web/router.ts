import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import path from 'node:path';
import { AuthError, type AuthService, type SessionUser } from '../auth/auth-service';
import type { BookingServiceDeps } from '../bookings';
import { workflowIdFor } from '../bookings';
import { DomainError } from '../domain/errors';
import { isStorableText } from '../domain/text';
import type { CatalogService } from '../venues/catalog-service';
import { isCrossSiteWrite } from '../api/cross-site';
import { clearSessionCookie, loadSession, sessionCookieName, sessionCookieOptions, sessionTokenOf } from '../api/session';
import { isDependencyUnavailable, RETRY_AFTER_SECONDS } from '../api/unavailable';
import { LANG_COOKIE, pageContext, pagePath, safeLocalPath } from './context';
import { publicRoutes } from './routes-public';
import { residentRoutes } from './routes-resident';
import { adminStaffRoutes } from './routes-admin-staff';
import { staffRoutes } from './routes-staff';
import { createCsrf, securityHeaders } from './security';
import { errorPage } from './views/public';

export interface WebDeps {
  auth: AuthService;
  catalog: CatalogService;
  bookings: BookingServiceDeps;
  secureCookies: boolean;
  /** PUBLIC_URL's host (see src/api/cross-site.ts). */
  publicHost?: string;
  /** Where links to a booking's workflow point: `<url>/namespaces/<namespace>/workflows/<id>`. */
  temporalUi: { url: string; namespace: string };
  /** Key for CSRF tokens before sign-in; share it between instances behind one load balancer. */
  csrfSecret?: string;
  onError?: (error: unknown, req: Request) => void;
}

export const STATIC_DIR = path.join(__dirname, 'static');

/** Forms that people send before signing in; every other form needs a session. */
const SIGNED_OUT_FORMS = new Set(['/signin', '/signin/code']);

/** Shared by the route files: the deps, and how to send pages and redirects. */
export interface WebKit extends WebDeps {
  send(res: Response, status: number, markup: string): void;
  /** Pages for these roles; anyone else signs in first (no session) or gets 403. */
  requirePage(...roles: SessionUser['role'][]): RequestHandler;
  temporalLink(bookingId: string): string;
  setSession(res: Response, token: string, expiresAt: Date): void;
  clearSession(res: Response): void;
}

/** The server-rendered portal at `/`; the JSON API stays under /api. */
export function webRouter(deps: WebDeps): Router {
  const router = Router();
  const csrf = createCsrf({ secret: deps.csrfSecret, secureCookies: deps.secureCookies });

  const kit: WebKit = {
    ...deps,
    send(res, status, markup) {
      res.status(status).type('html').setHeader('Cache-Control', 'no-store');
      res.send(markup);
    },
    requirePage(...roles) {
      return (req, res, next) => {
        if (!req.user) return askToSignIn(req, res);
        if (roles.length > 0 && !roles.includes(req.user.role)) return kit.send(res, 403, errorPage(pageContext(req, res), 403));
        next();
      };
    },
    temporalLink: (bookingId) => `${deps.temporalUi.url.replace(/\/$/, '')}/namespaces/${encodeURIComponent(deps.temporalUi.namespace)}/workflows/${encodeURIComponent(workflowIdFor(bookingId))}`,
    setSession: (res, token, expiresAt) => res.cookie(sessionCookieName(deps.secureCookies), token, sessionCookieOptions(deps.secureCookies, expiresAt)),
    clearSession: (res) => clearSessionCookie(res, deps.secureCookies),
  };

  /** To sign-in, then back to the page (for a form: the page it was on, which a GET shows). */
  function askToSignIn(req: Request, res: Response) {
    const expired = req.method !== 'GET' && req.method !== 'HEAD' ? '&expired=1' : '';
    res.redirect(303, `/signin?next=${encodeURIComponent(pagePath(req))}${expired}`);
  }

  /**
   * "Sign out" without a session: there is nothing to end. A dead session cookie is cleared; a
   * request without one may come from another site (SameSite=Lax keeps the cookie off its POST),
   * so it clears nothing and cannot sign anyone out.
   */
  function signedOut(req: Request, res: Response) {
    if (sessionTokenOf(req, deps.secureCookies)) kit.clearSession(res);
    res.redirect(303, '/?signedout=1');
  }

  router.use(securityHeaders({ https: deps.secureCookies }));
  router.use('/static', express.static(STATIC_DIR, { maxAge: '1h', index: false, fallthrough: true }));
  router.use(loadSession(deps.auth, deps.secureCookies));
  router.use(language(deps.secureCookies));
  router.use(csrf.issue);
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }));
  router.use((req, res, next) => {
    // Before the token: a sibling host can plant a CSRF cookie and send its matching token.
    if (isCrossSiteWrite(req, deps.publicHost)) return kit.send(res, 403, errorPage(pageContext(req, res), 'csrf'));
    if (req.method === 'GET' || req.method === 'HEAD' || csrf.isValid(req)) return next();
    // A form from a tab whose session has gone (signed out elsewhere, expired): its token was
    // keyed by that session, so it cannot match. Nothing can be done without a session anyway,
    // so this is a sign-in, not an attack to refuse; with a session a wrong token is refused.
    if (!req.user && !SIGNED_OUT_FORMS.has(req.path)) return req.path === '/signout' ? signedOut(req, res) : askToSignIn(req, res);
    kit.send(res, 403, errorPage(pageContext(req, res), 'csrf'));
  });
  router.use((req, res, next) => {
    if (isStorableInput(req.query) && isStorableInput(req.body)) return next();
    kit.send(res, 400, errorPage(pageContext(req, res), 'unstorable'));
  });

  router.get('/lang/:lang', (req, res) => {
    const lang = req.params.lang === 'en' ? 'en' : 'ru';
    res.cookie(LANG_COOKIE, lang, { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies, path: '/', maxAge: 365 * 86_400_000 });
    res.redirect(303, safeLocalPath(req.query.back));
  });

  router.use(publicRoutes(kit));
  router.use(residentRoutes(kit));
  router.use(staffRoutes(kit));
  router.use(adminStaffRoutes(kit));

  router.use((req, res) => kit.send(res, 404, errorPage(pageContext(req, res), 404)));
  router.use(webErrors(kit));
  return router;
}

/** ?lang=en|ru wins (and is remembered), then the cookie, then Russian. */
function language(secure: boolean): RequestHandler {
  return (req, res, next) => {
    const asked = req.query.lang;
    if (asked === 'en' || asked === 'ru') {
      res.locals.lang = asked;
      res.cookie(LANG_COOKIE, asked, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 365 * 86_400_000 });
    } else {
      const cookie = /(?:^|;\s*)opendk_lang=(en|ru)\b/.exec(req.headers.cookie ?? '');
      res.locals.lang = cookie?.[1] ?? 'ru';
    }
    next();
  };
}

function webErrors(kit: WebKit): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const ctx = pageContext(req, res);
    if (error instanceof DomainError && error.type === 'NOT_FOUND') return kit.send(res, 404, errorPage(ctx, 404));
    if (error instanceof DomainError && error.type === 'FORBIDDEN') return kit.send(res, 403, errorPage(ctx, 403));
    const status = (error as { status?: number; statusCode?: number })?.status ?? (error as { statusCode?: number })?.statusCode;
    if (status === 404) return kit.send(res, 404, errorPage(ctx, 404));
    // Anything else the body parser refuses (400, 413, 415 for an unknown charset or encoding).
    if (status !== undefined && status >= 400 && status < 500) return kit.send(res, status, errorPage(ctx, 400));
    if (error instanceof AuthError) return kit.send(res, 403, errorPage(ctx, 403));
    // PostgreSQL or Temporal down: the API's 503 with Retry-After, as a page.
    if (isDependencyUnavailable(error) || (error instanceof DomainError && error.type === 'UNAVAILABLE')) {
      res.set('Retry-After', String(RETRY_AFTER_SECONDS));
      return kit.send(res, 503, errorPage(ctx, 503));
    }
    kit.onError?.(error, req);
    if (!kit.onError) req.log?.error({ err: error }, 'web page failed');
    kit.send(res, 500, errorPage(ctx, 500));
  };
}

/**
 * No NUL or unpaired surrogate in any field or query value: PostgreSQL cannot store them, and
 * no person types them. Refused up front, so no route has to remember (the API does the same
 * per field with `text()`).
 */
function isStorableInput(values: unknown): boolean {
  if (values === null || typeof values !== 'object') return true;
  return Object.values(values).every((value) => [value].flat().every((item) => typeof item !== 'string' || isStorableText(item)));
}
