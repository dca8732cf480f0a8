import type { ErrorRequestHandler, Request, RequestHandler } from 'express';

/**
 * RFC 9457 problem details. Every error the API sends is one of these, in Russian by
 * default and in English when the client prefers it (Accept-Language).
 */

export interface Localized {
  ru: string;
  en: string;
}

export interface FieldError {
  /** Dotted path into the request, e.g. `body.addOns.0.code` or `query.page`. */
  field: string;
  message: Localized;
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    /** Stable machine-readable code; also the last segment of the problem `type`. */
    readonly code: string,
    readonly title: Localized,
    readonly detail?: Localized,
    readonly fieldErrors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(title.en);
    this.name = 'HttpProblem';
  }
}

export type Language = keyof Localized;

export function preferredLanguage(req: Request): Language {
  return req.acceptsLanguages('ru', 'en') === 'en' ? 'en' : 'ru';
}

export const problems = {
  notFound: () =>
    new HttpProblem(404, 'not-found', { ru: 'Не найдено', en: 'Not found' }, {
      ru: 'Запрошенный ресурс не существует или недоступен.',
      en: 'The requested resource does not exist or is not available to you.',
    }),
  unauthenticated: () =>
    new HttpProblem(401, 'unauthenticated', { ru: 'Требуется вход', en: 'Sign-in required' }, {
      ru: 'Войдите по коду из письма, чтобы продолжить.',
      en: 'Sign in with the e-mailed code to continue.',
    }),
  forbidden: () =>
    new HttpProblem(403, 'forbidden', { ru: 'Доступ запрещён', en: 'Forbidden' }, {
      ru: 'У вашей учётной записи нет прав на это действие.',
      en: 'Your account may not do this.',
    }),
  validation: (fieldErrors: FieldError[]) =>
    new HttpProblem(
      400,
      'validation-failed',
      { ru: 'Ошибка в запросе', en: 'Invalid request' },
      { ru: 'Исправьте отмеченные поля и повторите попытку.', en: 'Correct the marked fields and try again.' },
      fieldErrors,
    ),
  crossSite: () =>
    new HttpProblem(403, 'cross-site-request', { ru: 'Запрос с чужого сайта', en: 'Cross-site request' }, {
      ru: 'Изменять данные можно только со страниц самого сервиса.',
      en: 'Data can only be changed from the service’s own pages.',
    }),
  unsupportedMediaType: () =>
    new HttpProblem(415, 'unsupported-media-type', { ru: 'Неподдерживаемый тип содержимого', en: 'Unsupported media type' }, {
      ru: 'Отправьте тело запроса в формате JSON с заголовком Content-Type: application/json.',
      en: 'Send the request body as JSON, with Content-Type: application/json.',
    }),
  unavailable: (retryAfterSeconds: number) =>
    new HttpProblem(
      503,
      'service-unavailable',
      { ru: 'Сервис временно недоступен', en: 'Service temporarily unavailable' },
      { ru: 'Повторите попытку через несколько секунд.', en: 'Try again in a few seconds.' },
      [],
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  internal: () =>
    new HttpProblem(500, 'internal-error', { ru: 'Внутренняя ошибка', en: 'Internal error' }, {
      ru: 'Что-то пошло не так. Мы уже знаем об этом; повторите попытку позже.',
      en: 'Something went wrong on our side; please try again later.',
    }),
};

export function renderProblem(problem: HttpProblem, req: Request) {
  const language = preferredLanguage(req);
  return {
    type: `/problems/${problem.code}`,
    code: problem.code,
    status: problem.status,
    title: problem.title[language],
    ...(problem.detail ? { detail: problem.detail[language] } : {}),
    instance: req.originalUrl,
    ...(problem.fieldErrors.length > 0
      ? { errors: problem.fieldErrors.map((error) => ({ field: error.field, message: error.message[language] })) }
      : {}),
  };
}

/** Translates thrown errors into HTTP problems; registered by `createApp`. */
export type ErrorTranslator = (error: unknown) => HttpProblem | undefined;

export function problemMiddleware(translators: ErrorTranslator[], onUnexpected: (error: unknown, req: Request) => void): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const problem = toProblem(error, translators);
    if (!problem) onUnexpected(error, req);
    const chosen = problem ?? problems.internal();
    res.status(chosen.status).set(chosen.headers).type('application/problem+json').send(JSON.stringify(renderProblem(chosen, req)));
  };
}

function toProblem(error: unknown, translators: ErrorTranslator[]): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  const httpLayerProblem = fromHttpLayer(error);
  if (httpLayerProblem) return httpLayerProblem;
  for (const translate of translators) {
    const problem = translate(error);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Errors of the HTTP layer carry a 4xx `status` (http-errors): express.json() adds a `type`; a
 * body whose Content-Encoding does not match it (a zlib error) and a path whose percent-escapes
 * do not decode (the router's URIError) come without one. All of them are the client's fault.
 */
function fromHttpLayer(error: unknown): HttpProblem | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status } = error as { type?: unknown; status?: unknown };
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status >= 500) return undefined;
  if (type === 'entity.too.large') {
    return new HttpProblem(413, 'payload-too-large', { ru: 'Слишком большой запрос', en: 'Request too large' });
  }
  if (type === 'entity.parse.failed') {
    return new HttpProblem(400, 'malformed-json', { ru: 'Некорректный JSON', en: 'Malformed JSON' }, {
      ru: 'Тело запроса не является корректным JSON.',
      en: 'The request body is not valid JSON.',
    });
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new HttpProblem(415, 'unsupported-encoding', { ru: 'Неподдерживаемая кодировка', en: 'Unsupported encoding' });
  }
  if (error instanceof URIError) {
    return new HttpProblem(400, 'malformed-url', { ru: 'Некорректный адрес', en: 'Malformed URL' }, {
      ru: 'В адресе запроса есть недопустимые %-последовательности.',
      en: 'The request URL has invalid percent-escapes.',
    });
  }
  if (type === undefined && status === 400) {
    return new HttpProblem(400, 'malformed-body', { ru: 'Некорректное тело запроса', en: 'Malformed request body' }, {
      ru: 'Тело запроса не удалось прочитать: проверьте заголовок Content-Encoding.',
      en: 'The request body could not be read: check the Content-Encoding header.',
    });
  }
  return new HttpProblem(status, 'bad-request', { ru: 'Некорректный запрос', en: 'Bad request' });
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(problems.notFound());
