import { parse as parseCookies } from 'cookie';
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import type { AuthService, SessionUser } from '../auth/auth-service';
import { problems } from './problem';

declare module 'express-serve-static-core' {
  interface Request {
    user?: SessionUser;
    sessionToken?: string;
  }
}

/**
 * The site's cookies are named with the __Host- prefix over HTTPS: a browser then accepts them
 * only from this very host, for Path=/ and without a Domain, so another host of the same domain
 * (a sibling site) cannot plant its own session or CSRF cookie here, which would sign a visitor
 * into the planter's account. Plain HTTP (development) cannot use the prefix.
 */
export const siteCookieName = (name: string, secure: boolean) => `${secure ? '__Host-' : ''}${name}`;

export const sessionCookieName = (secure: boolean) => siteCookieName('opendk_session', secure);

/** The session token the request's cookie carries, under this deployment's name only. */
export function sessionTokenOf(req: Request, secure: boolean): string | undefined {
  return req.headers.cookie ? parseCookies(req.headers.cookie)[sessionCookieName(secure)] : undefined;
}

/** Attaches the signed-in user, if any; never refuses by itself. */
export function loadSession(auth: AuthService, secure: boolean): RequestHandler {
  return async (req, _res, next) => {
    const token = sessionTokenOf(req, secure);
    if (token) {
      const user = await auth.resolveSession(token);
      if (user) {
        req.user = user;
        req.sessionToken = token;
      }
    }
    next();
  };
}

type Role = SessionUser['role'];

/** 401 without a session; 403 when the role may not use the route. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(problems.unauthenticated());
    if (roles.length > 0 && !roles.includes(req.user.role)) return next(problems.forbidden());
    next();
  };
}

export function sessionCookieOptions(secure: boolean, expires?: Date): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path: '/', ...(expires ? { expires } : {}) };
}

export function clearSessionCookie(res: Response, secure: boolean) {
  res.clearCookie(sessionCookieName(secure), sessionCookieOptions(secure));
}
