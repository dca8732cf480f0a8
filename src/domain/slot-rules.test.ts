import { validateBookingRequest, DEFAULT_SLOT_RULES, type RoomForRules } from './slot-rules';
import type { BookingRequestBody } from './booking-request';

const room: RoomForRules = {
  id: 7,
  capacity: 40,
  opensAtMinute: 9 * 60,
  closesAtMinute: 22 * 60,
  openWeekdays: [1, 2, 3, 4, 5, 6],
  venueAddOns: [
    { code: 'TECH_SUPPORT', price: 500_000 },
    { code: 'CATERING', price: 1_500_000 },
  ],
};
// Monday 2 March 2026, 12:00 Moscow.
const now = new Date('2026-03-02T12:00:00+03:00');

function body(extra: Partial<BookingRequestBody> = {}): BookingRequestBody {
  return {
    roomId: 7,
    startsAt: '2026-03-10T18:00:00+03:00', // Tuesday
    endsAt: '2026-03-10T20:30:00+03:00',
    eventTitle: 'Концерт студии',
    eventType: 'CONCERT',
    attendees: 30,
    contactPhone: '+7 (916) 123-45-67',
    ...extra,
  };
}

function fieldsOf(result: ReturnType<typeof validateBookingRequest>): string[] {
  return result.ok ? [] : result.errors.map((error) => `${error.field}:${error.code}`);
}

describe('validateBookingRequest', () => {
  test('when the request fits every rule, then it is accepted with the phone normalised and add-on prices attached', () => {
    const result = validateBookingRequest(body({ addOns: [{ code: 'CATERING', quantity: 2, note: ' чай ' }] }), room, now);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.contactPhone).toBe('+79161234567');
    expect(result.value.startsAt.toISOString()).toBe('2026-03-10T15:00:00.000Z');
    expect(result.value.addOns).toEqual([{ code: 'CATERING', quantity: 2, note: 'чай', unitPrice: 1_500_000 }]);
  });

  test.each([
    ['the start is in the past', { startsAt: '2026-03-01T10:00:00+03:00', endsAt: '2026-03-01T12:00:00+03:00' }, 'startsAt:IN_PAST'],
    ['the start is sooner than the minimum lead time', { startsAt: '2026-03-03T10:00:00+03:00', endsAt: '2026-03-03T12:00:00+03:00' }, 'startsAt:TOO_SOON'],
    ['the start is beyond the horizon', { startsAt: '2026-10-01T10:00:00+03:00', endsAt: '2026-10-01T12:00:00+03:00' }, 'startsAt:BEYOND_HORIZON'],
    ['the end is not after the start', { endsAt: '2026-03-10T18:00:00+03:00' }, 'endsAt:END_NOT_AFTER_START'],
    ['it is shorter than an hour', { endsAt: '2026-03-10T18:30:00+03:00' }, 'endsAt:DURATION_OUT_OF_RANGE'],
    ['it is longer than 12 hours', { startsAt: '2026-03-10T09:00:00+03:00', endsAt: '2026-03-10T21:30:00+03:00' }, 'endsAt:DURATION_OUT_OF_RANGE'],
    ['it is not whole 30-minute steps', { endsAt: '2026-03-10T19:45:00+03:00' }, 'endsAt:NOT_WHOLE_STEPS'],
    ['it starts off the 30-minute grid', { startsAt: '2026-03-10T18:10:00+03:00', endsAt: '2026-03-10T19:10:00+03:00' }, 'endsAt:NOT_WHOLE_STEPS'],
    ['it falls on a closed weekday', { startsAt: '2026-03-08T12:00:00+03:00', endsAt: '2026-03-08T14:00:00+03:00' }, 'startsAt:CLOSED_WEEKDAY'],
    ['it starts before opening', { startsAt: '2026-03-10T08:00:00+03:00', endsAt: '2026-03-10T10:00:00+03:00' }, 'startsAt:OUTSIDE_OPENING_HOURS'],
    ['it ends after closing', { startsAt: '2026-03-10T21:00:00+03:00', endsAt: '2026-03-10T22:30:00+03:00' }, 'startsAt:OUTSIDE_OPENING_HOURS'],
    ['the time has no offset', { startsAt: '2026-03-10T18:00:00' }, 'startsAt:INVALID_DATETIME'],
    ['there are more attendees than seats', { attendees: 41 }, 'attendees:OVER_CAPACITY'],
    ['the phone is not Russian', { contactPhone: '+1 202 555 0100' }, 'contactPhone:INVALID_PHONE'],
    ['the title is empty', { eventTitle: '  ' }, 'eventTitle:INVALID_TITLE'],
    ['an add-on is not offered by the venue', { addOns: [{ code: 'TURNKEY_DECOR' as const }] }, 'addOns[0].code:ADDON_NOT_OFFERED'],
    ['an add-on is listed twice', { addOns: [{ code: 'CATERING' as const }, { code: 'CATERING' as const }] }, 'addOns[1].code:DUPLICATE_ADDON'],
  ])('when %s, then the field error names it', (_name, extra, expected) => {
    const result = validateBookingRequest(body(extra as Partial<BookingRequestBody>), room, now);
    expect(fieldsOf(result)).toContain(expected);
  });

  test('when a name to ask for is given, then it is kept trimmed; blank is none; over 100 characters is refused in both languages', () => {
    const named = validateBookingRequest(body({ contactName: '  Анна Сергеевна ' }), room, now);
    expect(named.ok && named.value.contactName).toBe('Анна Сергеевна');
    const blank = validateBookingRequest(body({ contactName: '   ' }), room, now);
    expect(blank.ok && blank.value.contactName).toBeNull();
    const tooLong = validateBookingRequest(body({ contactName: 'Я'.repeat(101) }), room, now);
    expect(fieldsOf(tooLong)).toEqual(['contactName:TOO_LONG']);
    expect(!tooLong.ok && tooLong.errors[0]).toMatchObject({ messageRu: 'Имя контактного лица — не более 100 символов', messageEn: 'The contact person’s name must be at most 100 characters' });
  });

  test('when the room holds 21 and 22 come, then the error says so in good Russian', () => {
    const result = validateBookingRequest(body({ attendees: 22 }), { ...room, capacity: 21 }, now);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(({ messageRu, messageEn }) => [messageRu, messageEn])).toEqual([['Зал вмещает не более 21 человека', 'The room holds at most 21 people']]);
  });

  test('when the duration is out of range or nobody comes, then the error says the range as people count it', () => {
    const tooLong = validateBookingRequest(body({ startsAt: '2026-03-10T09:00:00+03:00', endsAt: '2026-03-10T21:30:00+03:00' }), room, now);
    const nobody = validateBookingRequest(body({ attendees: 0 }), room, now);
    const messages = [tooLong, nobody].flatMap((result) => (result.ok ? [] : result.errors.map(({ messageRu, messageEn }) => [messageRu, messageEn])));
    expect(messages).toEqual([
      ['Бронировать можно от 1 до 12 часов', 'A booking lasts from 1 to 12 hours'],
      ['Укажите число участников от 1 до 40', 'Give the number of attendees, from 1 to 40'],
    ]);
  });

  test('when several fields are wrong, then each gets its own error in Russian and English', () => {
    const result = validateBookingRequest(body({ attendees: 0, contactPhone: '123', eventTitle: '' }), room, now);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.field).sort()).toEqual(['attendees', 'contactPhone', 'eventTitle']);
    for (const error of result.errors) {
      expect(error.messageRu).toMatch(/[а-яА-Я]/);
      expect(error.messageEn).toMatch(/[a-zA-Z]/);
    }
  });

  test('when a room closes at midnight, then a slot ending at 24:00 is accepted', () => {
    const lateRoom = { ...room, closesAtMinute: 1440 };
    const result = validateBookingRequest(body({ startsAt: '2026-03-10T22:00:00+03:00', endsAt: '2026-03-11T00:00:00+03:00' }), lateRoom, now, DEFAULT_SLOT_RULES);
    expect(fieldsOf(result)).toEqual([]);
  });

  test('when a room is open around the clock, then a slot across midnight is accepted; one that runs into a closed morning is not', () => {
    const roundTheClock = { ...room, opensAtMinute: 0, closesAtMinute: 1440, openWeekdays: [1, 2, 3, 4, 5, 6, 7] };
    const acrossMidnight = body({ startsAt: '2026-03-10T23:00:00+03:00', endsAt: '2026-03-11T01:00:00+03:00' });
    expect(fieldsOf(validateBookingRequest(acrossMidnight, roundTheClock, now, DEFAULT_SLOT_RULES))).toEqual([]);
    const lateOnly = { ...roundTheClock, opensAtMinute: 600 };
    expect(fieldsOf(validateBookingRequest(acrossMidnight, lateOnly, now, DEFAULT_SLOT_RULES))).toEqual(['startsAt:OUTSIDE_OPENING_HOURS']);
    const closedTuesdayNight = { ...roundTheClock, openWeekdays: [2] };
    expect(fieldsOf(validateBookingRequest(acrossMidnight, closedTuesdayNight, now, DEFAULT_SLOT_RULES))).toEqual(['startsAt:OUTSIDE_OPENING_HOURS']);
  });
});
