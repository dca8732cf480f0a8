import type { Request } from 'express';
import { z } from 'zod';
import { isEmailAddress } from '../domain/email';
import { problems, type ErrorTranslator, type FieldError } from './problem';
import { STORABLE_TEXT } from '../domain/text';
import { isCalendarDate } from '../domain/moscow-time';
import { UnknownListPosition, type ListCursor } from '../domain/list-cursor';

/**
 * Request parsing with zod. Messages come in both languages from zod's own locales, so a
 * field error reads naturally whichever language the client prefers.
 */

const russianLocale = z.locales.ru().localeError as z.core.$ZodErrorMap;
const englishLocale = z.locales.en().localeError as z.core.$ZodErrorMap;

/** zod's Russian locale names most types in English ("ожидалось string, получено undefined"). */
const TYPE_NAMES_RU: Record<string, string> = {
  string: 'строка',
  number: 'число',
  int: 'целое число',
  bigint: 'целое число',
  boolean: 'true или false',
  object: 'объект',
  array: 'список',
  date: 'дата',
  null: 'null',
  undefined: 'ничего',
  nan: 'не число',
};

function typeNameRu(type: string): string {
  return TYPE_NAMES_RU[type] ?? type;
}

function receivedTypeOf(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'number' && Number.isNaN(input)) return 'nan';
  return typeof input;
}

const russian: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'invalid_type') return russianLocale(issue);
  if (issue.input === undefined) return 'Обязательное поле';
  return `Неверный тип: ожидается «${typeNameRu(issue.expected)}», передано «${typeNameRu(receivedTypeOf(issue.input))}»`;
};

const english: z.core.$ZodErrorMap = (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : englishLocale(issue));

type Location = 'body' | 'query' | 'params' | `headers.${string}`;

export function parseRequest<Schema extends z.ZodType>(schema: Schema, value: unknown, location: Location): z.infer<Schema> {
  const inRussian = schema.safeParse(value, { error: russian });
  if (inRussian.success) return inRussian.data;
  const inEnglish = schema.safeParse(value, { error: english });
  const englishIssues = inEnglish.success ? [] : inEnglish.error.issues;
  throw problems.validation(
    inRussian.error.issues.map((issue, index): FieldError => {
      const [ru, en] = issue.message.split(LANGUAGE_SEPARATOR);
      return {
        field: fieldPath(location, issue),
        message: en !== undefined ? { ru, en } : { ru, en: englishIssues[index]?.message ?? ru },
      };
    }),
  );
}

/**
 * A schema's own message in both languages. zod carries one string per issue, so the two
 * are joined with a separator no message contains and split again in `parseRequest`.
 */
const LANGUAGE_SEPARATOR = '\u241F';
export const bilingual = (ru: string, en: string) => `${ru}${LANGUAGE_SEPARATOR}${en}`;

function fieldPath(location: Location, issue: z.core.$ZodIssue): string {
  const keys = issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? [...issue.path, issue.keys[0]] : issue.path;
  return [location, ...keys.map(String)].join('.');
}

/**
 * The JSON body of a request, `{}` when there is none. A body in another media type is refused
 * (415): express.json() leaves it unparsed, and reading it as "no body" would carry out the
 * action without what the client sent (a confirmation without its note, say).
 */
export function jsonBody(req: Request): unknown {
  const declaredLength = Number(req.headers['content-length'] ?? 0);
  const hasBody = req.headers['transfer-encoding'] !== undefined || declaredLength > 0;
  if (hasBody && !req.is('application/json')) throw problems.unsupportedMediaType();
  return req.body ?? {};
}

/** Free text that PostgreSQL can store (src/domain/text.ts). */
export const text = () =>
  z.string().regex(STORABLE_TEXT, {
    message: bilingual('Текст содержит недопустимые символы (нулевой символ или неполный символ Юникода)', 'The text has characters that are not allowed (a NUL or an incomplete Unicode character)'),
  });

/** An address people sign in with (and staff are appointed by): src/domain/email.ts. */
export const emailAddress = z.string().refine(isEmailAddress, { message: bilingual('Укажите адрес электронной почты, например ivanov@mail.ru', 'Enter an e-mail address, e.g. ivanov@mail.ru') });

export { DB_INT_MAX } from '../db/limits';

/** A date as YYYY-MM-DD that exists, years 1900–9999 (isCalendarDate). */
export const calendarDate = () =>
  z.string().refine(isCalendarDate, { message: bilingual('Укажите существующую дату в формате ГГГГ-ММ-ДД (1900–9999 год)', 'Give a real date as YYYY-MM-DD (years 1900–9999)') });

/** Query strings arrive as strings (or arrays when repeated); these coerce and bound them. */
export const queryInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const POSITION_REFUSED = {
  ru: 'Ссылка на продолжение списка повреждена или относится к другому списку; откройте список с начала',
  en: 'The position to continue the list from is damaged or belongs to another list; load the list from its start',
};

/** A position that decoded but names nothing in its list: the same 400 as a damaged one. */
export const translateUnknownPosition: ErrorTranslator = (error) =>
  error instanceof UnknownListPosition ? problems.validation([{ field: 'query.after', message: POSITION_REFUSED }]) : undefined;

/**
 * A page of a list, at most `limit` items (1–500; the service's default 100): `offset` items
 * skipped, or those right `after` the position a page gave as its `next` (which stays put while
 * the list changes); not both.
 */
export const pageQuery = <Key extends readonly unknown[]>(cursor: ListCursor<Key>) =>
  z
    .strictObject({
      offset: queryInt(0, 1_000_000).optional(),
      limit: queryInt(1, 500).optional(),
      after: z.string().transform((token, ctx) => {
        const key = cursor.decode(token);
        if (key === undefined) {
          ctx.addIssue({ code: 'custom', message: bilingual(POSITION_REFUSED.ru, POSITION_REFUSED.en) });
          return z.NEVER;
        }
        return key;
      }).optional(),
    })
    .refine((query) => query.offset === undefined || query.after === undefined, {
      path: ['after'],
      message: bilingual('Укажите либо offset, либо after, но не оба сразу', 'Give either offset or after, not both'),
    });
