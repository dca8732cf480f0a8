import fc from 'fast-check';
import { ADDON_CODES } from '../../src/domain/addons';
import { EVENT_TYPES } from '../../src/domain/booking-request';
import { oddNumberValue, oddStringValue, type Field } from './arbitraries';

/** The valid body of each JSON endpoint, field by field, with odd values of the right type. */

const text = (...values: string[]) => fc.constantFrom(...values).map((value) => JSON.stringify(value));

export const oddDateTime = text(
  '2026-02-30T10:00:00+03:00',
  '2026-01-01T10:00:00',
  '2026-01-01',
  '2026-01-01T25:00:00Z',
  '2026-01-01T10:00:00+24:00',
  '2026-01-01T10:00:00.123456789Z',
  '+275760-09-13T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '2020-01-01T10:00:00+03:00',
  'now',
  'завтра',
);

export const oddAddOns = fc.oneof(
  fc.constantFrom(
    '[]',
    '[{"code":"CATERING"},{"code":"CATERING"}]',
    '[{"code":"MUSIC_RECORDING"}]',
    '[{"code":"CATERING","quantity":0}]',
    '[{"code":"CATERING","quantity":101}]',
    '[{"code":"CATERING","quantity":1000}]',
    '[{"code":"CATERING","quantity":1001}]',
    '[{"code":"CATERING","quantity":1e999}]',
    '[{"code":"CATERING","quantity":1.5}]',
    '[{"code":"catering"}]',
    '[{"code":"__proto__"}]',
    '[{"code":"CATERING","__proto__":{"listPrice":0}}]',
    '[{"code":"CATERING","listPrice":0}]',
    '[{"code":"CATERING","price":1}]',
    '[{"code":"TECH_SUPPORT"},{"code":"CATERING"},{"code":"TURNKEY_DECOR"},{"code":"EVENT_ORGANIZATION"},{"code":"MUSIC_RECORDING"},{"code":"CATERING"}]',
    '[null]',
    '[[]]',
    '{"code":"CATERING"}',
  ),
  fc.tuple(fc.constantFrom(...ADDON_CODES), oddStringValue).map(([code, note]) => `[{"code":"${code}","note":${note}}]`),
);

export const bookingFields = (roomId: number, startsAt: string, endsAt: string): Field[] => [
  { key: 'roomId', valid: fc.constant(String(roomId)), odd: fc.oneof(oddNumberValue, fc.constantFrom('1', '2147483647', '4294967296', '1e15', '9007199254740991')) },
  { key: 'startsAt', valid: fc.constant(JSON.stringify(startsAt)), odd: oddDateTime },
  { key: 'endsAt', valid: fc.constant(JSON.stringify(endsAt)), odd: oddDateTime },
  { key: 'eventTitle', valid: text('Репетиция хора «Подмосковные вечера»', 'Концерт'), odd: oddStringValue },
  { key: 'eventType', valid: fc.constantFrom(...EVENT_TYPES).map((type) => JSON.stringify(type)), odd: text('concert', 'CONCERT ', '__proto__', '') },
  { key: 'attendees', valid: fc.constant('20'), odd: oddNumberValue },
  { key: 'contactPhone', valid: text('+7 916 123-45-67', '8 (495) 000-00-00'), odd: fc.oneof(oddStringValue, text('+7 916 123-45-67\u0000', '+1 212 555 0000', '+7'.repeat(20))) },
  { key: 'contactName', valid: fc.oneof(fc.constant('null'), text('Анна Сергеевна')), odd: fc.oneof(oddStringValue, text(' ', 'Я'.repeat(101))) },
  { key: 'comment', valid: fc.oneof(fc.constant('null'), text('Нужно пианино')), odd: oddStringValue },
  { key: 'addOns', valid: fc.constant('[{"code":"CATERING","quantity":2}]'), odd: oddAddOns },
];

export const reasonFields: Field[] = [{ key: 'reason', valid: text('Передумали', 'Зал на ремонте'), odd: oddStringValue }];

export const noteFields: Field[] = [{ key: 'note', valid: fc.oneof(fc.constant('null'), text('Готово')), odd: oddStringValue }];

/** An administrator's appointment of an operator to `districtIds` (existing districts). */
export const appointmentFields = (districtIds: number[]): Field[] => [
  {
    key: 'email',
    valid: text('fuzz.operator@example.test', 'FUZZ.Second@Example.Test'),
    odd: fc.oneof(oddStringValue, text('a@b', '@example.test', 'fuzz@example.test\u0000', `${'a'.repeat(250)}@example.test`, 'оператор@пример.рф')),
  },
  { key: 'fullName', valid: fc.oneof(fc.constant('null'), text('Анна Петрова')), odd: oddStringValue },
  {
    key: 'districtIds',
    valid: fc.constantFrom(JSON.stringify(districtIds), JSON.stringify(districtIds.slice(0, 1))),
    odd: fc.constantFrom('[]', '[0]', '[-1]', '[2147483647]', '[2147483648]', '[1.5]', '["1"]', '[null]', 'null', '{}', `[${districtIds[0]},${districtIds[0]}]`, JSON.stringify(Array.from({ length: 1001 }, () => districtIds[0]))),
  },
];

export const orderFields: Field[] = [{ key: 'addOns', valid: fc.constant('[{"code":"TECH_SUPPORT","quantity":1}]'), odd: oddAddOns }];

export const callbackFields: Field[] = [
  { key: 'outcome', valid: text('AGREED', 'NO_ANSWER', 'REJECTED'), odd: text('agreed', 'AGREED ', 'MAYBE', '__proto__', '') },
  { key: 'attempt', valid: fc.constantFrom('1', '2'), odd: fc.constantFrom('0', '-1', '1.5', '"1"', '1001', '2147483648', '1e999', 'null', '[]') },
  { key: 'note', valid: fc.oneof(fc.constant('null'), text('Созвонились')), odd: oddStringValue },
  {
    key: 'changes',
    valid: fc.constantFrom('{}', '{"attendees":10}', '{"eventTitle":"Новое название"}', '{"comment":null}'),
    odd: fc.oneof(
      fc.constantFrom('{"attendees":0}', '{"attendees":100000}', '{"attendees":2147483648}', '{"attendees":1e999}', '{"eventTitle":""}', '{"eventTitle":"   "}', '{"status":"CONFIRMED"}', '{"residentId":"00000000-0000-0000-0000-000000000000"}', 'null', '[]'),
      oddStringValue.map((value) => `{"eventTitle":${value}}`),
      oddStringValue.map((value) => `{"comment":${value}}`),
    ),
  },
];

export const decisionFields: Field[] = [
  { key: 'decision', valid: text('APPROVED', 'DECLINED'), odd: text('approved', 'MAYBE', '') },
  { key: 'price', valid: fc.constantFrom('0', '250000', '100000000'), odd: fc.oneof(oddNumberValue, fc.constantFrom('100000001', '-1', '2147483648')) },
  { key: 'note', valid: fc.oneof(fc.constant('null'), text('Согласовано')), odd: oddStringValue },
];

const oddEmail = fc.oneof(oddStringValue, text('a@b', 'a@b.c', ' user@example.test', 'USER@EXAMPLE.TEST', 'user@example.test\u0000', 'user@@example.test', `${'a'.repeat(250)}@example.test`, 'пользователь@пример.рф'));

/** `known`: an address with a live sign-in code, so wrong codes reach the try counter. */
export const emailFields = (known?: string): Field[] => [
  {
    key: 'email',
    valid: fc.oneof(
      fc.emailAddress().filter((email) => email.length <= 254).map((email) => JSON.stringify(email)),
      fc.stringMatching(/^[a-z][a-z0-9.]{0,20}@example\.test$/).map((email) => JSON.stringify(email)),
      ...(known ? [fc.constant(JSON.stringify(known)), fc.constant(JSON.stringify(` ${known.toUpperCase()}`))] : []),
    ),
    odd: oddEmail,
  },
];

export const sessionFields = (known?: string): Field[] => [
  ...emailFields(known),
  { key: 'code', valid: fc.stringMatching(/^\d{6}$/).map((code) => JSON.stringify(code)), odd: fc.oneof(oddStringValue, text('12345', '1234567', '١٢٣٤٥٦', '12 456', '000000\n'), fc.constantFrom('123456', '1e5')) },
];
