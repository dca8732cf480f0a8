import { RECIPIENTS, type BookingEmailData, type BookingEmailKind } from './kinds';
import { renderBookingEmail, type BookingForEmail } from './templates';

const booking: BookingForEmail = {
  id: '6f1c2a52-9d7e-4c1b-8a4f-2b3c4d5e6f70',
  code: 'DK-2026-000123',
  eventTitle: 'Концерт хора',
  startsAt: new Date('2026-12-10T15:00:00Z'),
  endsAt: new Date('2026-12-10T17:00:00Z'),
  roomName: 'Большой зал',
  venueName: 'ДК «Юность»',
  venueAddress: 'г. Дубна, ул. Мира, д. 1',
  districtName: 'Дубна',
  residentName: 'Анна Петрова',
  roomPrice: 200_000,
  addOns: [],
  status: 'AWAITING_CALLBACK',
  dueAt: null,
};

describe('the expiry e-mail', () => {
  it('when nobody answered the operator\'s calls, then it says so rather than "not confirmed in time"', () => {
    const { text } = renderBookingEmail('EXPIRED', 'RESIDENT', booking, { reason: 'NO_ANSWER' }, 'https://dk.example/account/bookings/x');
    expect(text).toContain('Оператор несколько раз не смог до вас дозвониться');
    expect(text).not.toContain('не была подтверждена вовремя');
  });

  it('when the deadline passed, then it says the application was not confirmed in time', () => {
    const { text } = renderBookingEmail('EXPIRED', 'RESIDENT', booking, { reason: 'DEADLINE' }, 'https://dk.example/account/bookings/x');
    expect(text).toContain('Заявка не была подтверждена вовремя');
  });
});

describe('the call-back e-mail', () => {
  it('when the details are agreed, then it says until when extra services can be ordered, in Moscow time', () => {
    const agreed = { ...booking, status: 'ADDONS', dueAt: new Date('2026-12-03T15:00:00Z') };
    const { text } = renderBookingEmail('CALLBACK_OUTCOME', 'RESIDENT', agreed, { outcome: 'AGREED' }, 'https://dk.example/account/bookings/x');
    expect(text).toContain('заказать дополнительные услуги в личном кабинете до 3 декабря 2026, 18:00 (мск).');
    expect(text).toContain('order extra services in your account until 3 December 2026, 18:00 (Moscow time).');
    // And what to do when none are wanted, and that the stage ends by itself.
    expect(text).toContain('нажмите «Передать на подтверждение» в личном кабинете; после 3 декабря 2026, 18:00 (мск) заявка перейдёт на подтверждение сама.');
    expect(text).toContain('press “Send for confirmation” in your account; after 3 December 2026, 18:00 (Moscow time) the application goes on to confirmation by itself.');
  });

  it('when an approved service has a price, then each half writes it the way its readers do', () => {
    const { text } = renderBookingEmail('ADDON_DECISION', 'RESIDENT', booking, { code: 'CATERING', decision: 'APPROVED', price: 1_250_050 }, 'https://dk.example/account/bookings/x');
    expect(text).toContain('стоимость 12\u00a0500,50\u00a0₽.');
    expect(text).toContain('is approved, at 12,500.50\u00a0₽.');
  });
});

describe('English', () => {
  const data: BookingEmailData = { outcome: 'AGREED', codes: ['CATERING'], code: 'CATERING', decision: 'APPROVED', price: 150_000, task: 'CALLBACK', dueAt: '2026-12-01T09:00:00Z' };
  const cases = (Object.keys(RECIPIENTS) as BookingEmailKind[]).flatMap((kind) => RECIPIENTS[kind].map((role) => [kind, role] as const));

  it.each(cases)('when a %s e-mail goes to the %s, then it says the same in English below the Russian, with the link', (kind, role) => {
    const link = 'https://dk.example/account/bookings/x';
    const { text, html } = renderBookingEmail(kind, role, booking, data, link);
    const [russian, english] = text.split('\n— English —\n');
    expect(russian).toContain(`Подробности: ${link}`);
    expect(english).toContain(`Details: ${link}`);
    expect(english).toContain(`Application: ${booking.code}`);
    // What happened is told in English (names of places and events stay as written).
    const told = english.slice(0, english.indexOf('Application:'));
    expect(told.trim().length).toBeGreaterThan(0);
    expect(told).not.toMatch(/[а-яё]/i);
    expect(html).toContain('<div lang="en"');
  });

  it.each(cases)('when a %s e-mail goes to the %s, then its subject is Russian, then English after " / "', (kind, role) => {
    const { subject } = renderBookingEmail(kind, role, booking, data, 'https://dk.example/account/bookings/x');
    const [russian, english, ...rest] = subject.split(' / ');
    expect(rest).toEqual([]);
    expect(russian).toMatch(/[а-яё]/i);
    expect(english.trim().length).toBeGreaterThan(0);
    expect(english).not.toMatch(/[а-яё]/i);
  });
});
