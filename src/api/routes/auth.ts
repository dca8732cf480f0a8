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
    case 'GUESSES_LIMITED':
      return new HttpProblem(
        429,
        'too-many-wrong-codes',
        { ru: 'Слишком много неверных кодов', en: 'Too many wrong codes' },
        {
          ru: `Для этого адреса введено слишком много неверных кодов, вход временно приостановлен. Попробуйте через ${waitText(error.retryAfterSeconds, 'ru')}.`,
          en: `Too many wrong codes were entered for this address; signing in is paused. Try again in ${waitText(error.retryAfterSeconds, 'en')}.`,
        },
        [],
        { 'Retry-After': String(error.retryAfterSeconds ?? 60) },
      );
    case 'MAIL_REJECTED':
      return problems.validation([
        { field: 'body.email', message: { ru: 'Почтовый сервер не принимает письма на этот адрес. Проверьте адрес.', en: 'The mail server does not accept mail for this address. Check the address.' } },
      ]);
    case 'MAIL_UNAVAILABLE':
      return new HttpProblem(
        503,
        'mail-unavailable',
        { ru: 'Письмо не отправлено', en: 'The e-mail was not sent' },
        { ru: 'Не удалось отправить код: почтовый сервер недоступен. Попробуйте ещё раз через минуту.', en: 'The code could not be sent: the mail server is unavailable. Try again in a minute.' },
        [],
        { 'Retry-After': String(error.retryAfterSeconds ?? 30) },
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

/** "3 ч 20 мин" / "3 h 20 min": a day's wait is not read in seconds. */
function waitText(seconds: number | undefined, lang: 'ru' | 'en'): string {
  const minutes = Math.max(1, Math.ceil((seconds ?? 60) / 60));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const [h, m] = lang === 'ru' ? ['ч', 'мин'] : ['h', 'min'];
  return [hours ? `${hours} ${h}` : '', rest ? `${rest} ${m}` : ''].filter(Boolean).join(' ');
}
