import { randomUUID } from 'node:crypto';
import type { BookingRequestBody } from '../../src/domain/booking-request';

/** A valid request for `roomId` starting `startInMs` from now (whole seconds), lasting `durationMs`. */
export function bookingBody(roomId: number, startInMs: number, durationMs = 3_600_000, extra: Partial<BookingRequestBody> = {}): BookingRequestBody {
  const start = Math.ceil((Date.now() + startInMs) / 1000) * 1000;
  return {
    roomId,
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + durationMs).toISOString(),
    eventTitle: 'Репетиция хора «Подмосковные вечера»',
    eventType: 'REHEARSAL',
    attendees: 20,
    contactPhone: '8 (916) 123-45-67',
    comment: 'Нужно пианино',
    ...extra,
  };
}

export const newKey = () => randomUUID();
