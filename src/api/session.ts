import { parse as parseCookies } from 'cookie';
import type { CookieOptions, RequestHandler, Response } from 'express';
import type { AuthService, SessionUser } from '../auth/auth-service';
import { problems } from './problem';

declare module 'express-serve-static-core' {
  interface Request {
    user?: SessionUser;
    sessionToken?: string;
  }
}

export const SESSION_COOKIE = 'opendk_session';

/** Attaches the signed-in user, if any; never refuses by itself. */
export function loadSession(auth: AuthService): RequestHandler {
  return async (req, _res, next) => {
    const token = req.headers.cookie ? parseCookies(req.headers.cookie)[SESSION_COOKIE] : undefined;
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
  res.clearCookie(SESSION_COOKIE, sessionCookieOptions(secure));
}
