import { Router } from 'express';
import { z } from 'zod';
import { describeAuthFailure } from '../../auth/auth-failures';
import { AuthError, type AuthService } from '../../auth/auth-service';
import { HttpProblem } from '../problem';
import { clearSessionCookie, requireRole, sessionCookieName, sessionCookieOptions } from '../session';
import { bilingual, emailAddress, jsonBody, parseRequest } from '../validate';

const codeRequest = z.strictObject({ email: emailAddress });
const sessionRequest = z.strictObject({
  email: emailAddress,
  code: z.string().regex(/^\d{6}$/, { message: bilingual('Код состоит из 6 цифр', 'The code is 6 digits') }),
});

export function authRouter(auth: AuthService, options: { secureCookies: boolean }): Router {
  const router = Router();

  router.post('/auth/code', async (req, res) => {
    const body = parseRequest(codeRequest, jsonBody(req), 'body');
    await auth.requestCode(body.email, req.ip ?? 'unknown').catch((error: unknown) => {
      // A refused address is the person's; any other failure is the service's own (its mail server).
      if (error instanceof AuthError && error.mailError) req.log[error.failure === 'MAIL_REJECTED' ? 'warn' : 'error']({ mailError: error.mailError }, 'sign-in code not sent');
      throw error;
    });
    // The same answer whether or not the address has an account: nothing to enumerate.
    res.status(202).json({ sent: true });
  });

  router.post('/auth/session', async (req, res) => {
    const body = parseRequest(sessionRequest, jsonBody(req), 'body');
    const { token, expiresAt, user } = await auth.signIn(body.email, body.code);
    // The caller's earlier session, if any, is replaced, not left valid behind the new cookie.
    if (req.sessionToken) await auth.revokeSession(req.sessionToken);
    res.cookie(sessionCookieName(options.secureCookies), token, sessionCookieOptions(options.secureCookies, expiresAt));
    res.status(200).json({ id: user.id, email: user.email, role: user.role });
  });

  router.delete('/auth/session', async (req, res) => {
    if (req.sessionToken) await auth.revokeSession(req.sessionToken);
    clearSessionCookie(res, options.secureCookies);
    res.status(204).end();
  });

  router.get('/me', requireRole(), (req, res) => {
    const user = req.user!;
    res.json({ id: user.id, email: user.email, role: user.role, ...(user.role === 'OPERATOR' ? { districtIds: user.districtIds } : {}) });
  });

  return router;
}

export function translateAuthError(error: unknown): HttpProblem | undefined {
  if (!(error instanceof AuthError)) return undefined;
  const answer = describeAuthFailure(error);
  // Only a mistake in the request names its field; a limit or an outage is about no field.
  const fieldErrors = answer.status === 400 ? [{ field: `body.${answer.field}`, message: answer.message }] : [];
  const headers: Record<string, string> = answer.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(answer.retryAfterSeconds) };
  return new HttpProblem(answer.status, answer.code, answer.title, answer.message, fieldErrors, headers);
}
