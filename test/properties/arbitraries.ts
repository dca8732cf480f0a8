import fc from 'fast-check';
import type { KeyPart, ListCursor } from '../../src/domain/list-cursor';

/**
 * Generators of hostile HTTP input. Bodies are built as JSON *text*, not objects, so a body can
 * carry what no object literal can: `__proto__` as an own key, the same key twice, numbers
 * JSON.parse turns into Infinity, lone surrogates, and text that is not JSON at all.
 */

// ─── strings ──────────────────────────────────────────────────────────────────────────────────

/** Strings that break naive code: NUL, lone surrogates, bidi controls, SQL/LIKE metacharacters. */
export const nastyString = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '🙂\ud83d',
  '\u202eevil',
  '\ufeffBOM',
  '\r\n\t',
  ' ',
  '',
  '%',
  '_',
  '\\',
  '100%_\\',
  "'; DROP TABLE bookings; --",
  '<script>alert(1)</script>',
  '${jndi:ldap://x/a}',
  '../../etc/passwd',
  '{{7*7}}',
  'null',
  'undefined',
  '__proto__',
  'Ё'.repeat(300),
  '🙂'.repeat(120),
  'e\u0301'.repeat(50),
);

/** Number-looking and NaN-ish text, for query values and string fields. */
export const nanIshString = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '0x10',
  '0b11',
  '1_000',
  ' 42 ',
  '４２',
  '٤٢',
  '-0',
  '+1',
  '1.',
  '.5',
  '1e3',
  '00012',
  '-1',
  '0',
  '2147483648',
  '99999999999999999999999',
  '9007199254740993',
  'true',
  '[]',
  '{}',
);

/** Long text: just under and over the usual 200 / 1000 / 2000 limits, and much more. */
export const longString = fc
  .tuple(fc.constantFrom(199, 200, 201, 999, 1000, 1001, 1999, 2000, 2001, 5000, 20_000), fc.constantFrom('a', 'я', '🙂', ' ', '\u0000'))
  .map(([length, unit]) => unit.repeat(length));

export const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: nanIshString },
  { weight: 1, arbitrary: longString },
);

// ─── JSON text ────────────────────────────────────────────────────────────────────────────────

/** Keys that reach prototypes or shadow built-ins, and near-misses of real field names. */
export const dangerousKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'then', '', ' ', '$where', 'id', 'status', 'role', 'residentId', 'actor');

export const jsonNumberText = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
  fc.constantFrom('0', '-0', '1', '-1', '0.5', '1e999', '-1e999', '1e-999', '2147483647', '2147483648', '-2147483649', '9007199254740991', '9007199254740993', '1e21', '123456789012345678901234567890', '1E2', '0.1e1'),
);

export const jsonStringText = anyString.map((value) => JSON.stringify(value));

export const jsonPrimitiveText = fc.oneof(jsonNumberText, jsonStringText, fc.constantFrom('true', 'false', 'null'));

/** Any JSON value, as text, nested a little, with hostile keys in its objects. */
export const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonPrimitiveText,
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(fc.oneof(dangerousKey, fc.string({ maxLength: 12 })), tie('value')), { maxLength: 4 })
      .map((entries) => objectText(entries)),
  ),
})).value;

export function objectText(entries: [string, string][]): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
}

/** A field of a valid body: its name, a valid value as JSON text, and type-keeping odd values. */
export interface Field {
  key: string;
  valid: fc.Arbitrary<string>;
  /** Values of the right JSON type that the rules should still refuse (or accept without harm). */
  odd?: fc.Arbitrary<string>;
}

export const oddStringValue = fc.oneof(nastyString, longString, nanIshString).map((value) => JSON.stringify(value));
export const oddNumberValue = fc
  .constantFrom('0', '-1', '0.5', '1e999', '-1e999', '2147483647', '2147483648', '9007199254740991', '9007199254740993', '1e21', '-0')
  .map(String);

/**
 * Bodies near a valid one: the valid one itself, a field dropped, a field's value swapped for junk or for an odd value
 * of the right type, an extra or hostile key, a key given twice, the body wrapped or replaced.
 */
export function bodyNear(fields: Field[], validWeight = 1): fc.Arbitrary<string> {
  const validEntries = fc.tuple(...fields.map((field) => field.valid.map((value): [string, string] => [field.key, value])));
  const index = fc.nat({ max: Math.max(0, fields.length - 1) });
  return fc.oneof(
    // Odd values of the right type get past the schema's types: the deepest layers see them.
    {
      weight: 4,
      arbitrary: fc
        .tuple(validEntries, index, fc.oneof(...fields.map((field) => field.odd ?? oddStringValue)))
        .map(([entries, at, odd]) => objectText(entries.map(([key, value], i) => [key, i === at ? odd : value]))),
    },
    { weight: validWeight, arbitrary: validEntries.map((entries) => objectText(entries)) },
    fc.tuple(validEntries, index).map(([entries, drop]) => objectText(entries.filter((_, at) => at !== drop))),
    fc.tuple(validEntries, index, jsonText).map(([entries, at, junk]) => objectText(entries.map(([key, value], i) => [key, i === at ? junk : value]))),
    fc.tuple(validEntries, fc.oneof(dangerousKey, fc.string({ maxLength: 12 })), jsonText).map(([entries, key, junk]) => objectText([...entries, [key, junk]])),
    fc.tuple(validEntries, fc.nat(), jsonText).map(([entries, at, junk]) => objectText([...entries, [entries[at % Math.max(1, entries.length)]?.[0] ?? 'x', junk]])),
    fc.tuple(validEntries, dangerousKey).map(([entries, key]) => objectText([...entries, [key, objectText([['role', '"ADMIN"'], ['districtIds', '[1,2,3]'], ['isAdmin', 'true']])]])),
    validEntries.map((entries) => `[${objectText(entries)}]`),
    validEntries.map((entries) => JSON.stringify(objectText(entries))),
  );
}

/** Text that is not JSON, or is JSON only by accident. */
export const invalidJsonText = fc.oneof(
  fc.constantFrom('', ' ', '{', '}', '[', '{"a":}', "{'a':1}", '{"a":1,}', '[1,2,]', '{"a":1}}', 'NaN', 'undefined', 'Infinity', '{"a":NaN}', '{"a":01}', '\ufeff{}', '{"a":"\\x41"}', '{"a":"\\ud800"}', '{"a":"\u0000"}', 'null', 'true', '1', '"text"', '/* */ {}', '{"a":1} trailing'),
  fc.string({ unit: 'binary', maxLength: 60 }),
  jsonText.map((text) => text.slice(0, Math.max(0, text.length - 1))),
);

/** Over or near the 64 kB limit of the JSON parser. */
export const hugeJsonText = fc
  .tuple(fc.constantFrom(60_000, 65_400, 65_537, 70_000, 200_000), fc.constantFrom('a', 'я'))
  .map(([bytes, unit]) => `{"x":"${unit.repeat(Math.floor(bytes / Buffer.byteLength(unit)))}"}`);

/** Deep nesting the parser must survive. */
export const deepJsonText = fc
  .tuple(fc.integer({ min: 100, max: 30_000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=UTF-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset=junk',
  'application/json; boundary=x; q=junk',
  'APPLICATION/JSON',
  'application/problem+json',
  'application/vnd.api+json',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/xml',
  'application/octet-stream',
  '*/*',
  'json',
  ';;;',
];

export interface GeneratedBody {
  body?: string | Buffer;
  headers: Record<string, string>;
}

/** A body near `fields` (or any junk), with a content type and sometimes a content encoding. */
export function bodyArb(fields: Field[] | undefined, validWeight = 1): fc.Arbitrary<GeneratedBody> {
  const text = fc.oneof(
    ...(fields ? [{ weight: 8, arbitrary: bodyNear(fields, validWeight) }] : []),
    { weight: 3, arbitrary: jsonText },
    { weight: 2, arbitrary: invalidJsonText },
    { weight: 1, arbitrary: hugeJsonText },
    { weight: 1, arbitrary: deepJsonText },
  );
  const contentType = fc.oneof({ weight: 12, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: fc.constant(undefined) });
  const encoding = fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-junk', 'gzip, gzip') });
  return fc.oneof(
    { weight: 12, arbitrary: fc.record({ text, contentType, encoding }).map(({ text: body, contentType: type, encoding: coding }) => ({ body, headers: { ...(type ? { 'Content-Type': type } : {}), ...(coding ? { 'Content-Encoding': coding } : {}) } })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ body: Buffer.from(bytes), headers: { 'Content-Type': 'application/json' } })) },
    { weight: 1, arbitrary: fc.constant({ headers: {} }) },
  );
}

// ─── headers ──────────────────────────────────────────────────────────────────────────────────

/** What Node lets a client put in a header value (visible ASCII, space, tab, Latin-1). */
const headerChar = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(0x09)).map((code) => String.fromCharCode(code));
export const headerValue = (maxLength = 200) => fc.string({ unit: headerChar, maxLength });

export const acceptLanguage = fc.oneof(
  fc.constantFrom('en', 'ru', 'EN', 'en-US,en;q=0.9', 'ru-RU,ru;q=0.9,en;q=0.8', '*', 'en;q=0', 'ru;q=abc,en', 'en;q=-1', 'en;q=1.0000001', ';;;,,', 'zh-Hant-TW;q=0.8, *;q=0.1', 'x'.repeat(500)),
  headerValue(200),
);

export const acceptHeader = fc.oneof(fc.constantFrom('application/json', 'application/xml', 'text/html', '*/*', 'application/problem+json', 'image/png;q=1,*/*;q=0', ''), headerValue(100));

/** Cookie headers around a real session (or none): junk before and after, shadowing session cookies. */
export function cookieHeader(realCookie: string | undefined): fc.Arbitrary<string | undefined> {
  const junkCookie = fc.oneof(
    fc.constantFrom('opendk_session=', 'opendk_session=""', 'opendk_session=%E0%A4%A', 'opendk_session=' + 'a'.repeat(2000), 'opendk_session=null', '__proto__=1', 'constructor=x', '=', ';', 'a', 'a=b=c', '  ; ;; ', 'opendk_session=%00'),
    headerValue(100).map((value) => `opendk_session=${value.replace(/;/g, '')}`),
    headerValue(200),
  );
  const real = realCookie ? [realCookie] : [];
  return fc.oneof(
    { weight: 10, arbitrary: fc.constant(realCookie) },
    { weight: 2, arbitrary: fc.tuple(junkCookie, junkCookie).map(([before, after]) => [before, ...real, after].join('; ')) },
    { weight: 1, arbitrary: fc.tuple(fc.array(junkCookie, { maxLength: 3 }), fc.boolean()).map(([junk, realFirst]) => (realFirst ? [...real, ...junk] : [...junk, ...real]).join('; ')) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

export const idempotencyKey = fc.oneof(
  { weight: 3, arbitrary: fc.uuid() },
  { weight: 3, arbitrary: fc.constantFrom('', ' ', '\t', 'a', 'a'.repeat(200), 'a'.repeat(201), 'a'.repeat(1000), Buffer.from('ключ', 'utf8').toString('latin1'), 'clé', '%00', 'null', '../../etc') },
  { weight: 3, arbitrary: headerValue(250) },
);

/** An action's Idempotency-Key: optional, so absent as often as generated. */
export const actionKeyHeaders = { 'Idempotency-Key': fc.oneof(fc.constant(undefined), idempotencyKey) };

/** Request headers besides the body's: language, accept, cookies, request id and other noise. */
export function headersArb(realCookie: string | undefined, extra: Record<string, fc.Arbitrary<string | string[] | undefined>> = {}): fc.Arbitrary<Record<string, string | string[]>> {
  const fields: Record<string, fc.Arbitrary<string | string[] | undefined>> = {
    'Accept-Language': acceptLanguage,
    Accept: acceptHeader,
    Cookie: cookieHeader(realCookie),
    'X-Request-Id': fc.oneof(fc.uuid(), headerValue(100)),
    'X-Forwarded-For': fc.constantFrom('1.2.3.4', 'junk', '::1, 10.0.0.1', '999.999.999.999'),
    'X-HTTP-Method-Override': fc.constantFrom('DELETE', 'PUT', 'GET'),
    // Another site's Origin stops a write before its body is read (403 cross-site-request): kept
    // rare, or that gate would answer most generated writes and their bodies would go untested.
    Origin: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('https://evil.example', 'null', 'http://localhost:3000') }),
    ...extra,
  };
  return fc
    .record(fields, { requiredKeys: ['Cookie'] })
    .map((headers) => Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)));
}

// ─── ids and query strings ────────────────────────────────────────────────────────────────────

/** Random segment text, percent-encoded so it is one path segment. */
const encodedSegment = anyString.filter((value) => value.length > 0 && value.length < 300).map((value) => encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '?')));

/** Ids that are not a booking, venue or room of the caller: random, uuids, huge, negative, traversal, malformed escapes. */
export const junkId = fc.oneof(
  fc.uuid(),
  fc.uuid({ version: [1, 4, 7, 8] }),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '{00000000-0000-0000-0000-000000000000}', '0000000000000000000000000000000'),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.constantFrom('0', '-1', '1', '2147483647', '2147483648', '9007199254740993', '1e3', '0x10', '1.5', 'NaN', 'Infinity', '%20', '%00', '%', '%%', '%E0%A4%A', '%C0%AF', '%FF', '%uD800', '..', '.', '...', '%2e%2e', '%2e%2e%2f%2e%2e%2fadmin%2fstats', '..%2F..%2Fadmin', '%252e%252e', 'a%2Fb', '%5C..%5C', 'undefined', 'null', '__proto__', 'constructor', '~', '!', '$', "'", '%C3%A1%C3%A9', '%C3%BF', '%D1%8F'),
  encodedSegment,
);

export function idArb(realIds: () => string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.nat().map((at) => realIds()[at % realIds().length]) },
    { weight: 1, arbitrary: fc.nat().map((at) => realIds()[at % realIds().length].toUpperCase()) },
    { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.constantFrom('%20', '%00', 'x', '.json', '%2F', ';', ',1', '%0A')).map(([at, suffix]) => realIds()[at % realIds().length] + suffix) },
    { weight: 4, arbitrary: junkId },
  );
}

export interface QueryParam {
  key: string;
  value: fc.Arbitrary<string>;
}

/** An offset or a limit: mostly in range, sometimes at or past the edges, sometimes not a number. */
export const pageNumber = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 600 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('-1', '0', '500', '501', '1000000', '1000001', '1e3', '0x10', '1.5', '%201', '', '9'.repeat(30)) },
);

/** A value for one part of a list position: mostly of its kind, at the edges of its range, or of another kind. */
function positionPart(part: KeyPart): fc.Arbitrary<unknown> {
  const instant = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2035-01-01') }) },
    { weight: 1, arbitrary: fc.constantFrom(Date.parse('0001-01-01'), Date.parse('0001-01-01') - 1, Date.parse('9999-12-31T23:59:59.999Z'), 8.64e15, -8.64e15, 1.5, Number.MAX_SAFE_INTEGER) },
  );
  const ofItsKind = part === 'uuid' ? fc.uuid() : part === 'instant?' ? fc.option(instant) : instant;
  return fc.oneof({ weight: 6, arbitrary: ofItsKind }, { weight: 1, arbitrary: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null), fc.boolean()) });
}

/**
 * `after`, a list's position, as the service makes them (src/domain/list-cursor.ts: base64url of
 * JSON [list, ...key]) with generated keys, another list's, or not one at all.
 */
export function listPositionArb({ list, parts }: ListCursor<readonly unknown[]>): fc.Arbitrary<string> {
  const token = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(...parts.map(positionPart)).map((key) => token([list, ...key])) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('bookings', 'tasks', 'staff-journal', ''), fc.array(positionPart('instant?'), { maxLength: 4 })).map(([other, key]) => token([other, ...key])) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => token(value as unknown[])) },
    { weight: 1, arbitrary: fc.string({ maxLength: 250 }).map(encodeURIComponent) },
  );
}

/** A query string near the valid one: repeated keys (arrays), bracket keys, unknown keys, junk and malformed escapes. */
export function queryArb(params: QueryParam[]): fc.Arbitrary<string> {
  const knownKey = params.length > 0 ? fc.constantFrom(...params.map((param) => param.key)) : fc.constant('q');
  const value = fc.oneof(...params.map((param) => param.value), anyString.map((text) => encodeURIComponent(text.slice(0, 200).replace(/[\ud800-\udfff]/g, '?'))), fc.constantFrom('', '%', '%E0%A4%A', '%00', '+', '%2B', 'a&b', '1;2', '[]', '{}'));
  const pair = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(knownKey, value).map(([key, v]) => `${key}=${v}`) },
    { weight: 1, arbitrary: fc.tuple(knownKey, value).map(([key, v]) => `${key}[]=${v}`) },
    { weight: 1, arbitrary: fc.tuple(knownKey, value).map(([key, v]) => `${key}[a]=${v}`) },
    { weight: 1, arbitrary: fc.tuple(dangerousKey, value).map(([key, v]) => `${encodeURIComponent(key)}=${v}`) },
    { weight: 1, arbitrary: knownKey },
    { weight: 1, arbitrary: fc.constantFrom('', '=', '&', '=x', '%=1', '__proto__[x]=1', 'constructor[prototype][x]=1') },
  );
  const valid = fc.tuple(...params.map((param) => param.value.map((v) => `${param.key}=${v}`)));
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((pairs) => pairs.join('&')) },
    { weight: 3, arbitrary: fc.tuple(valid, fc.array(pair, { minLength: 1, maxLength: 4 })).map(([pairs, junk]) => [...pairs, ...junk].join('&')) },
    { weight: 2, arbitrary: fc.array(pair, { maxLength: 5 }).map((pairs) => pairs.join('&')) },
  );
}

/**
 * Left out on purpose: a request line and headers over Node's 16 kB limit (Node answers 431 before
 * the app runs) and raw bytes above 0x7F in the path (Node's parser answers 400 and closes). Both
 * are the HTTP server's own replies, not the API's, so the generators stay inside those limits.
 */
