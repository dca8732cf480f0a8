import { compensationOrder, type AddOnLine } from './addons';
import { canonicalJson } from './booking-request';
import { addDuration, subtractDuration, type Duration } from './duration';
import { isCalendarDate, moscowInstant, toMoscow } from './moscow-time';
import { addWorkingDays } from './work-calendar';
import { normalizeRussianPhone } from './phone';
import { hardDeadline, PRODUCTION_POLICY, testPolicy } from './policy';
import { formatRubles, quotePrice } from './price';
import { slaStages, slaStateAt } from './sla';
import { allowedTransitions, canTransition, isFinalStatus, releasesHold } from './status';

describe('booking states', () => {
  test('when a booking is waiting for a call-back, then it may go to ADDONS, REJECTED, EXPIRED or CANCELLED only', () => {
    expect(allowedTransitions('AWAITING_CALLBACK')).toEqual(['ADDONS', 'REJECTED', 'EXPIRED', 'CANCELLED']);
    expect(canTransition('AWAITING_CALLBACK', 'CONFIRMED')).toBe(false);
  });
  test('when a booking is CONFIRMED, then only COMPLETED and CANCELLED follow', () => {
    expect(allowedTransitions('CONFIRMED')).toEqual(['COMPLETED', 'CANCELLED']);
  });
  test('when a state is final, then nothing follows and the hold is released unless COMPLETED', () => {
    for (const status of ['COMPLETED', 'REJECTED', 'CANCELLED', 'EXPIRED'] as const) {
      expect(isFinalStatus(status)).toBe(true);
      expect(allowedTransitions(status)).toEqual([]);
      expect(releasesHold(status)).toBe(status !== 'COMPLETED');
    }
  });
});

describe('phones', () => {
  test.each([
    ['+7 (916) 123-45-67', '+79161234567'],
    ['8 916 123 45 67', '+79161234567'],
    ['79161234567', '+79161234567'],
    ['9161234567', '+79161234567'],
    ['+7 495 123-45-67', '+74951234567'],
  ])('when the phone is "%s", then it becomes %s', (input, expected) => {
    expect(normalizeRussianPhone(input)).toBe(expected);
  });
  test.each(['+1 202 555 0100', '12345', '+7 916 123', 'телефон', '+7 116 123-45-67'])('when the phone is "%s", then it is refused', (input) => {
    expect(normalizeRussianPhone(input)).toBeNull();
  });
});

describe('prices', () => {
  test('when a room costs 1 500 ₽/h for 2.5 h with two add-ons, then the total is in kopecks', () => {
    const quote = quotePrice({
      startsAt: new Date('2026-03-10T15:00:00Z'),
      endsAt: new Date('2026-03-10T17:30:00Z'),
      pricePerHour: 150_000,
      addOns: [
        { code: 'CATERING', quantity: 3, unitPrice: 100_000 },
        { code: 'TECH_SUPPORT', quantity: 1, unitPrice: 50_000 },
      ],
    });
    expect(quote).toMatchObject({ hours: 2.5, roomPrice: 375_000, addOnsTotal: 350_000, total: 725_000 });
    expect(formatRubles(725_000)).toBe('7\u00a0250,00\u00a0₽');
  });
});

describe('working days in Moscow', () => {
  test('when a day is added on Friday afternoon, then the result is Monday at the same local time', () => {
    const friday = new Date('2026-03-06T15:00:00+03:00');
    expect(addWorkingDays(friday, 1).toISOString()).toBe(new Date('2026-03-09T15:00:00+03:00').toISOString());
    expect(toMoscow(addWorkingDays(friday, 1)).weekday).toBe(1);
  });
  test('when a day is added at 23:30 on a Friday in Moscow, then the weekend is judged by the Moscow date and Monday 23:30 follows', () => {
    const fridayNight = new Date('2026-03-06T23:30:00+03:00');
    expect(addWorkingDays(fridayNight, 1).toISOString()).toBe(new Date('2026-03-09T23:30:00+03:00').toISOString());
  });
  test('when working days are subtracted, then weekends are skipped backwards', () => {
    const monday = new Date('2026-03-09T10:00:00+03:00');
    expect(subtractDuration(monday, { workingDays: 1 }).toISOString()).toBe(new Date('2026-03-06T10:00:00+03:00').toISOString());
    expect(addDuration(monday, { ms: 1000 }).getTime()).toBe(monday.getTime() + 1000);
  });
  test('when a Moscow date and minutes are turned into an instant, then every year means itself, 0–99 included, and minutes may run into the next day', () => {
    expect(moscowInstant('2026-12-25', 18 * 60 + 30).toISOString()).toBe('2026-12-25T15:30:00.000Z');
    expect(moscowInstant('2026-12-31', 24 * 60).toISOString()).toBe('2026-12-31T21:00:00.000Z');
    expect(moscowInstant('0050-06-01', 12 * 60).toISOString()).toBe('0050-06-01T09:00:00.000Z');
    expect(moscowInstant('0001-01-01', 0).toISOString()).toBe('0000-12-31T21:00:00.000Z');
  });
  test('when a date is checked, then only real days of the years 1900–9999 written as YYYY-MM-DD pass', () => {
    for (const date of ['1900-01-01', '2028-02-29', '2026-12-31', '9999-12-31']) expect(isCalendarDate(date)).toBe(true);
    for (const date of ['1899-12-31', '0000-01-01', '0050-06-01', '2026-02-29', '2026-13-01', '2026-00-10', '2026-1-1', '20260101', '2026-01-01T00:00:00Z', '']) {
      expect(isCalendarDate(date)).toBe(false);
    }
  });
});

describe('policy and SLA', () => {
  test('when the event is soon, then the hard deadline is the start minus the margin, not submission plus five working days', () => {
    const submitted = new Date('2026-03-02T10:00:00+03:00');
    const startsAt = new Date('2026-03-04T10:00:00+03:00');
    expect(hardDeadline(PRODUCTION_POLICY, submitted, startsAt).toISOString()).toBe(new Date('2026-03-03T10:00:00+03:00').toISOString());
    const later = new Date('2026-04-01T10:00:00+03:00');
    expect(hardDeadline(PRODUCTION_POLICY, submitted, later).toISOString()).toBe(new Date('2026-03-09T10:00:00+03:00').toISOString());
  });
  test('when a test policy is made, then every duration the production policy has is exact milliseconds, short enough to wait out against a real server', () => {
    const policy = testPolicy();
    const durations = Object.entries(PRODUCTION_POLICY).filter(([, value]) => typeof value === 'object');
    expect(durations.length).toBeGreaterThan(0);
    for (const [name] of durations) {
      const duration = policy[name as keyof typeof policy] as Duration;
      // Working days would make a test's waits depend on the day of the week it runs.
      expect({ name, duration }).toEqual({ name, duration: { ms: expect.any(Number) } });
      expect({ name, ms: 'ms' in duration && duration.ms <= 10 * 60_000 }).toEqual({ name, ms: true });
    }
  });
  test('when half the SLA passed, then the task is REMINDED; at the SLA ESCALATED; after twice the SLA OVERDUE', () => {
    const start = new Date(0);
    const due = new Date(10_000);
    expect(slaStages(start, due).map((stage) => [stage.at.getTime(), stage.state])).toEqual([
      [5_000, 'REMINDED'],
      [10_000, 'ESCALATED'],
      [20_000, 'OVERDUE'],
    ]);
    expect(slaStateAt(start, due, new Date(4_999))).toBe('ON_TIME');
    expect(slaStateAt(start, due, new Date(12_000))).toBe('ESCALATED');
  });
});

describe('add-on compensation and idempotency hash input', () => {
  test('when a booking is cancelled, then approved add-ons are cancelled newest first and others untouched', () => {
    const lines: AddOnLine[] = [
      { code: 'TECH_SUPPORT', quantity: 1, listPrice: 1, status: 'APPROVED', seq: 1 },
      { code: 'CATERING', quantity: 1, listPrice: 1, status: 'DECLINED', seq: 2 },
      { code: 'TURNKEY_DECOR', quantity: 1, listPrice: 1, status: 'APPROVED', seq: 3 },
      { code: 'MUSIC_RECORDING', quantity: 1, listPrice: 1, status: 'REQUESTED', seq: 4 },
    ];
    expect(compensationOrder(lines).map((line) => line.code)).toEqual(['TURNKEY_DECOR', 'TECH_SUPPORT']);
  });
  test('when two bodies differ only in key order, then their canonical JSON is the same', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: undefined, z: null }] })).toBe(canonicalJson({ a: [{ z: null, y: 2 }], b: 1 }));
  });
});
