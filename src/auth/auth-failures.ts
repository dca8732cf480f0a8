import type { AuthError } from './auth-service';

interface Texts {
  ru: string;
  en: string;
}

/**
 * How a sign-in failure reads, written once for the API (problem+json) and the portal (the
 * form's field error), so the two say the same thing.
 */
export interface AuthFailureAnswer {
  /** The API's status. The portal answers a form's own mistakes (400 here) with 422, as its other forms do. */
  status: 400 | 429 | 503;
  /** The problem's code, stable for programs. */
  code: string;
  title: Texts;
  /** What the person is told, next to the field it concerns. */
  message: Texts;
  field: 'email' | 'code';
  retryAfterSeconds?: number;
}

const INPUT_REFUSED: Texts = { ru: 'Ошибка в запросе', en: 'Invalid request' };

export function describeAuthFailure(error: AuthError): AuthFailureAnswer {
  const retryAfterSeconds = error.retryAfterSeconds;
  switch (error.failure) {
    case 'RATE_LIMITED': {
      const wait = waitText(retryAfterSeconds ?? 60);
      return {
        status: 429,
        code: 'too-many-requests',
        title: { ru: 'Слишком много запросов', en: 'Too many requests' },
        message: { ru: `Код уже отправлен несколько раз. Повторите через ${wait.ru}.`, en: `A code was sent several times already. Try again in ${wait.en}.` },
        field: 'email',
        retryAfterSeconds: retryAfterSeconds ?? 60,
      };
    }
    case 'GUESSES_LIMITED': {
      const wait = waitText(retryAfterSeconds ?? 60);
      return {
        status: 429,
        code: 'too-many-wrong-codes',
        title: { ru: 'Слишком много неверных кодов', en: 'Too many wrong codes' },
        message: {
          ru: `Для этого адреса введено слишком много неверных кодов, вход приостановлен. Попробуйте через ${wait.ru}.`,
          en: `Too many wrong codes were entered for this address; signing in is paused. Try again in ${wait.en}.`,
        },
        field: 'code',
        retryAfterSeconds: retryAfterSeconds ?? 60,
      };
    }
    case 'MAIL_REJECTED':
      return {
        status: 400,
        code: 'validation-failed',
        title: INPUT_REFUSED,
        message: { ru: 'Почтовый сервер не принимает письма на этот адрес. Проверьте адрес.', en: 'The mail server does not accept mail for this address. Check the address.' },
        field: 'email',
      };
    case 'MAIL_UNAVAILABLE':
      return {
        status: 503,
        code: 'mail-unavailable',
        title: { ru: 'Письмо не отправлено', en: 'The e-mail was not sent' },
        message: { ru: 'Не удалось отправить код: почтовый сервер недоступен. Попробуйте ещё раз через минуту.', en: 'The code could not be sent: the mail server is unavailable. Try again in a minute.' },
        field: 'email',
        retryAfterSeconds: retryAfterSeconds ?? 30,
      };
    case 'CODE_EXHAUSTED':
      return {
        status: 400,
        code: 'code-exhausted',
        title: { ru: 'Попытки исчерпаны', en: 'No attempts left' },
        message: { ru: 'Код введён неверно слишком много раз. Запросите новый код.', en: 'The code was entered wrongly too many times. Ask for a new code.' },
        field: 'code',
      };
    case 'CODE_INVALID': {
      const left = error.attemptsLeft;
      return {
        status: 400,
        code: 'validation-failed',
        title: INPUT_REFUSED,
        message:
          left === undefined
            ? { ru: 'Код неверный или устарел. Запросите новый код.', en: 'The code is wrong or expired. Ask for a new code.' }
            : { ru: `Неверный код. Осталось попыток: ${left}. Проверьте цифры или запросите новый код.`, en: `Wrong code. Attempts left: ${left}. Check the digits or ask for a new code.` },
        field: 'code',
      };
    }
  }
}

/** "3 ч 20 мин" / "3 h 20 min": a day's wait is not read in seconds. */
function waitText(seconds: number): Texts {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = (h: string, m: string) => [hours ? `${hours} ${h}` : '', rest ? `${rest} ${m}` : ''].filter(Boolean).join(' ');
  return { ru: parts('ч', 'мин'), en: parts('h', 'min') };
}
