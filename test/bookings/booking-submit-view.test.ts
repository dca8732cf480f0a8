import { submitBooking } from '../../src/bookings';
import { loadBookingView } from '../../src/bookings/view';
import { moscowInstant, toMoscow } from '../../src/domain/moscow-time';
import { startBookingHarness, type BookingHarness } from './harness';
import { bookingBody, newKey } from './requests';

/**
 * submitBooking answers a new booking from what it knows (the request, the catalog, the hold's
 * result) instead of reading the rows back: that answer must be exactly what a read gives.
 */
let h: BookingHarness;
/** Tomorrow at noon, Moscow time: the slot stays inside the room's day whenever the suite runs. */
const untilTomorrowNoonMs = () => moscowInstant(toMoscow(new Date(Date.now() + 86_400_000)).date, 12 * 60).getTime() - Date.now();
beforeAll(async () => {
  h = await startBookingHarness('submit-view');
}, 120_000);
afterAll(() => h?.close());

test('when a booking with services is submitted, then the answer equals the booking read back from the database', async () => {
  const roomId = await h.fixtures.newRoom();
  const body = bookingBody(roomId, untilTomorrowNoonMs(), 7_200_000, {
    eventTitle: '  Концерт  ',
    contactName: '  Анна  ',
    comment: '',
    addOns: [
      { code: 'CATERING', quantity: 3, note: 'Чай' },
      { code: 'TECH_SUPPORT' },
    ],
  });
  const answered = await submitBooking(h.deps(), { residentId: h.fixtures.resident.id, idempotencyKey: newKey(), body });
  // As its resident reads it: the submission answers the resident.
  const stored = await loadBookingView(h.prisma, answered.id, h.fixtures.resident);
  expect(answered).toEqual(stored);
  expect(answered.addOns.map((line) => line.code)).toEqual(['CATERING', 'TECH_SUPPORT']);
  expect(answered.contactName).toBe('Анна');
});

test('when the same request is replayed, then the replay (read from the database) equals the first answer', async () => {
  const roomId = await h.fixtures.newRoom();
  const key = newKey();
  const body = bookingBody(roomId, untilTomorrowNoonMs());
  const first = await submitBooking(h.deps(), { residentId: h.fixtures.resident.id, idempotencyKey: key, body });
  const replay = await submitBooking(h.deps(), { residentId: h.fixtures.resident.id, idempotencyKey: key, body });
  expect(replay).toEqual(first);
});
