import { Router } from 'express';
import { z } from 'zod';
import { AuthError, type AuthService } from '../../auth/auth-service';
import { HttpProblem, problems } from '../problem';
import { clearSessionCookie, requireRole, SESSION_COOKIE, sessionCookieOptions } from '../session';
import { bilingual, jsonBody, parseRequest } from '../validate';

const email = z.email({ message: bilingual('Укажите адрес электронной почты, например ivanov@mail.ru', 'Enter an e-mail address, e.g. ivanov@mail.ru') }).max(254);
const codeRequest = z.strictObject({ email });
const sessionRequest = z.strictObject({
  email,
  code: z.string().regex(/^\d{6}$/, { message: bilingual('Код состоит из 6 цифр', 'The code is 6 digits') }),
});

export function authRouter(auth: AuthService, options: { secureCookies: boolean }): Router {
  const router = Router();

  router.post('/auth/code', async (req, res) => {
    const body = parseRequest(codeRequest, jsonBody(req), 'body');
    await auth.requestCode(body.email, req.ip ?? 'unknown');
    // The same answer whether or not the address has an account: nothing to enumerate.
    res.status(202).json({ sent: true });
  });

  router.post('/auth/session', async (req, res) => {
    const body = parseRequest(sessionRequest, jsonBody(req), 'body');
    const { token, expiresAt, user } = await auth.signIn(body.email, body.code);
    res.cookie(SESSION_COOKIE, token, sessionCookieOptions(options.secureCookies, expiresAt));
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
  switch (error.failure) {
    case 'RATE_LIMITED':
      return new HttpProblem(
        429,
        'too-many-requests',
        { ru: 'Слишком много запросов', en: 'Too many requests' },
        { ru: 'Код уже отправлялся несколько раз. Подождите и попробуйте снова.', en: 'A code was sent several times already. Wait and try again.' },
        [],
        { 'Retry-After': String(error.retryAfterSeconds ?? 60) },
      );
    case 'CODE_EXHAUSTED':
      return new HttpProblem(
        400,
        'code-exhausted',
        { ru: 'Попытки исчерпаны', en: 'No attempts left' },
        { ru: 'Код введён неверно слишком много раз. Запросите новый код.', en: 'The code was entered wrongly too many times. Request a new one.' },
        [{ field: 'body.code', message: { ru: 'Запросите новый код', en: 'Request a new code' } }],
      );
    case 'CODE_INVALID': {
      const left = error.attemptsLeft;
      return problems.validation([
        {
          field: 'body.code',
          message:
            left === undefined
              ? { ru: 'Код неверный или устарел. Запросите новый код.', en: 'The code is wrong or expired. Request a new one.' }
              : { ru: `Неверный код. Осталось попыток: ${left}.`, en: `Wrong code. Attempts left: ${left}.` },
        },
      ]);
    }
  }
}
