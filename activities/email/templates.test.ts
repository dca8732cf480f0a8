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
