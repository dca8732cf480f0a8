import type { BookingServiceDeps } from '../bookings';
import { loadRoomForBooking } from '../bookings/catalog';
import { ADDON_CODES, type AddOnCode } from '../domain/addons';
import type { BookingRequestBody, EventType } from '../domain/booking-request';
import type { FieldError } from '../domain/errors';
import { isCalendarDate } from '../domain/moscow-time';
import { quotePrice } from '../domain/price';
import { DEFAULT_SLOT_RULES, validateBookingRequest } from '../domain/slot-rules';
import type { Lang, Translate } from './i18n';
import type { FormError, FormValues } from './views/layout';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const text = (value: unknown) => (typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '').slice(0, 4000);
const list = (value: unknown) => [value ?? []].flat().filter((item): item is string => typeof item === 'string');

/** The booking form's fields as typed, kept to re-render the form. */
export function bookingFormValues(body: Record<string, unknown>): FormValues {
  return {
    room: text(body.room),
    date: text(body.date),
    start: text(body.start),
    end: text(body.end),
    eventTitle: text(body.eventTitle),
    eventType: text(body.eventType),
    attendees: text(body.attendees).trim(),
    phone: text(body.phone),
    contactName: text(body.contactName),
    comment: text(body.comment),
    addOns: list(body.addOns).filter((code) => (ADDON_CODES as readonly string[]).includes(code)),
  };
}

/** Form values → the API's request body, or the form-level errors (shape, not rules). */
export function toBookingRequest(values: FormValues, t: Translate): { request?: BookingRequestBody; errors: FormError[] } {
  const errors: FormError[] = [];
  const value = (name: string) => String(values[name] ?? '');
  if (!/^\d{1,9}$/.test(value('room'))) errors.push({ field: 'room', message: t('book.badNumber') });
  if (!isCalendarDate(value('date'))) errors.push({ field: 'date', message: t('book.badDate') });
  if (!TIME.test(value('start'))) errors.push({ field: 'start', message: t('book.badTime') });
  if (!TIME.test(value('end'))) errors.push({ field: 'end', message: t('book.badTime') });
  if (!/^\d{1,6}$/.test(value('attendees'))) errors.push({ field: 'attendees', message: t('book.badNumber') });
  if (errors.length > 0) return { errors };
  const comment = value('comment').trim();
  const contactName = value('contactName').trim();
  return {
    errors,
    request: {
      roomId: Number(value('room')),
      startsAt: `${value('date')}T${value('start')}:00+03:00`,
      endsAt: `${value('date')}T${value('end')}:00+03:00`,
      eventTitle: value('eventTitle'),
      eventType: value('eventType') as EventType,
      attendees: Number(value('attendees')),
      contactPhone: value('phone'),
      // Left out when blank: the request (and the hash its key is kept for) stays what it was
      // before the field existed, so a check page opened then can still be sent.
      ...(contactName ? { contactName } : {}),
      comment: comment || null,
      addOns: [values.addOns ?? []].flat().map((code) => ({ code: code as AddOnCode })),
    },
  };
}

const FIELD_OF: Record<string, string> = { roomId: 'room', startsAt: 'start', endsAt: 'end', contactPhone: 'phone' };

/** A service field error as a form error (`addOns[1].code` → `addOns`). */
export function toFormErrors(errors: FieldError[], lang: Lang, fieldOf: Record<string, string> = FIELD_OF): FormError[] {
  return errors.map((error) => {
    const root = error.field.replace(/^body\./, '').split(/[.[]/)[0];
    return { field: fieldOf[error.field] ?? fieldOf[root] ?? root, message: fieldErrorMessage(error, lang) };
  });
}

/** A field error's message in the page's language. */
export const fieldErrorMessage = (error: Pick<FieldError, 'messageRu' | 'messageEn'>, lang: Lang) => (lang === 'en' ? error.messageEn : error.messageRu);

/** The same rules the service applies, run before the check-your-answers step. */
export async function checkBookingRequest(deps: BookingServiceDeps, request: BookingRequestBody) {
  const catalog = await loadRoomForBooking(deps.prisma, request.roomId);
  if (!catalog) return { ok: false as const, errors: [{ field: 'roomId', code: 'UNKNOWN_ROOM', messageRu: 'Такого зала нет', messageEn: 'No such room' }] };
  const checked = validateBookingRequest(request, catalog.forRules, deps.now?.() ?? new Date(), deps.slotRules ?? DEFAULT_SLOT_RULES);
  if (!checked.ok) return checked;
  const quote = quotePrice({ startsAt: checked.value.startsAt, endsAt: checked.value.endsAt, pricePerHour: catalog.room.pricePerHour, addOns: checked.value.addOns });
  return { ok: true as const, value: checked.value, roomPrice: quote.roomPrice, venueId: catalog.venue.id };
}
