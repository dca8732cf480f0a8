import { ADDON_NAME_RU, isAddOnCode, type AddOnCode } from './addons';
import { EVENT_TYPES, type BookingRequestBody, type ValidBookingRequest } from './booking-request';
import type { FieldError } from './errors';
import { MOSCOW_OFFSET_MINUTES, toMoscow } from './moscow-time';
import { normalizeRussianPhone } from './phone';
import { HOURS_GENITIVE, PEOPLE_GENITIVE, russianPlural } from './plural';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface SlotRules {
  /** The operator needs time to call back: no start sooner than this from now. */
  minLeadMs: number;
  /** No start later than this from now. */
  horizonMs: number;
  minDurationMs: number;
  maxDurationMs: number;
  /** Start and duration are whole steps (in Moscow local time). */
  stepMs: number;
}

export const DEFAULT_SLOT_RULES: SlotRules = {
  minLeadMs: 2 * DAY,
  horizonMs: 180 * DAY,
  minDurationMs: HOUR,
  maxDurationMs: 12 * HOUR,
  stepMs: 30 * MINUTE,
};

/** What the rules need to know about the room and its venue. */
export interface RoomForRules {
  id: number;
  capacity: number;
  opensAtMinute: number;
  closesAtMinute: number;
  openWeekdays: number[];
  /** Add-ons the venue offers, with list prices in kopecks. */
  venueAddOns: { code: AddOnCode; price: number }[];
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function fieldError(field: string, code: string, messageRu: string, messageEn: string): FieldError {
  return { field, code, messageRu, messageEn };
}

/** No number, or fewer than one person: say the range the room allows. */
export function attendeesRangeError(field: string, capacity: number): FieldError {
  return fieldError(field, 'INVALID_ATTENDEES', `Укажите число участников от 1 до ${capacity}`, `Give the number of attendees, from 1 to ${capacity}`);
}

/** More attendees than the room holds: "не более 21 человека", "at most 1 person". */
export function overCapacityError(field: string, capacity: number): FieldError {
  return fieldError(field, 'OVER_CAPACITY', `Зал вмещает не более ${capacity} ${russianPlural(capacity, PEOPLE_GENITIVE)}`, `The room holds at most ${capacity} ${capacity === 1 ? 'person' : 'people'}`);
}

function parseInstant(value: unknown, field: string, errors: FieldError[]): Date | null {
  if (typeof value !== 'string' || !ISO_WITH_OFFSET.test(value) || Number.isNaN(Date.parse(value))) {
    errors.push(fieldError(field, 'INVALID_DATETIME', 'Укажите дату и время в формате ISO-8601 с часовым поясом', 'Use an ISO-8601 date-time with an offset'));
    return null;
  }
  return new Date(value);
}

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (minute: number) => `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;

function checkSlot(start: Date, end: Date, room: RoomForRules, now: Date, rules: SlotRules, errors: FieldError[]): void {
  const duration = end.getTime() - start.getTime();
  if (duration <= 0) {
    errors.push(fieldError('endsAt', 'END_NOT_AFTER_START', 'Окончание должно быть позже начала', 'The end must be after the start'));
    return;
  }
  if (start.getTime() < now.getTime()) {
    errors.push(fieldError('startsAt', 'IN_PAST', 'Нельзя забронировать время в прошлом', 'The start is in the past'));
  } else if (start.getTime() < now.getTime() + rules.minLeadMs) {
    const hours = Math.ceil(rules.minLeadMs / HOUR);
    errors.push(fieldError('startsAt', 'TOO_SOON', `Бронировать нужно не позднее чем за ${hours} ч до начала: оператору нужно время, чтобы связаться с вами`, `Book at least ${hours} h ahead: an operator needs time to call you`));
  } else if (start.getTime() > now.getTime() + rules.horizonMs) {
    const days = Math.floor(rules.horizonMs / DAY);
    errors.push(fieldError('startsAt', 'BEYOND_HORIZON', `Бронировать можно не более чем на ${days} дней вперёд`, `Bookings open at most ${days} days ahead`));
  }
  if (duration < rules.minDurationMs || duration > rules.maxDurationMs) {
    const min = rules.minDurationMs / MINUTE;
    const max = rules.maxDurationMs / MINUTE;
    // People count such bookings in hours; minutes only where the limits are not whole hours.
    const [ru, en] = min % 60 === 0 && max % 60 === 0
      ? [`от ${min / 60} до ${max / 60} ${russianPlural(max / 60, HOURS_GENITIVE)}`, `from ${min / 60} to ${max / 60} hour${max === 60 ? '' : 's'}`]
      : [`от ${min} до ${max} минут`, `from ${min} to ${max} minutes`];
    errors.push(fieldError('endsAt', 'DURATION_OUT_OF_RANGE', `Бронировать можно ${ru}`, `A booking lasts ${en}`));
  }
  const localStart = toMoscow(start);
  const stepMinutes = rules.stepMs / MINUTE;
  if (duration % rules.stepMs !== 0 || (localStart.minuteOfDay * MINUTE + (start.getTime() % MINUTE)) % rules.stepMs !== 0) {
    errors.push(fieldError('endsAt', 'NOT_WHOLE_STEPS', `Начало и длительность должны быть кратны ${stepMinutes} минутам`, `Start and duration must be whole ${stepMinutes}-minute steps`));
  }
  if (!room.openWeekdays.includes(localStart.weekday)) {
    errors.push(fieldError('startsAt', 'CLOSED_WEEKDAY', 'В этот день недели зал не работает', 'The room is closed on that weekday'));
  } else if (!withinOpeningHours(start.getTime(), start.getTime() + duration, room)) {
    errors.push(fieldError('startsAt', 'OUTSIDE_OPENING_HOURS', `Зал работает с ${clock(room.opensAtMinute)} до ${clock(room.closesAtMinute)} (время московское)`, `The room is open ${clock(room.opensAtMinute)}–${clock(room.closesAtMinute)} Moscow time`));
  }
}

/**
 * Every local day the booking touches must have the room open for the part on that day, so a
 * room open around the clock can be booked across midnight and any other cannot.
 */
function withinOpeningHours(start: number, end: number, room: RoomForRules): boolean {
  for (let cursor = start; cursor < end; ) {
    const msOfDay = (((cursor + MOSCOW_OFFSET_MINUTES * MINUTE) % DAY) + DAY) % DAY;
    const segmentEnd = Math.min(end, cursor - msOfDay + DAY);
    const open = room.openWeekdays.includes(toMoscow(new Date(cursor)).weekday);
    if (!open || msOfDay < room.opensAtMinute * MINUTE || msOfDay + (segmentEnd - cursor) > room.closesAtMinute * MINUTE) return false;
    cursor = segmentEnd;
  }
  return true;
}

function checkAddOns(body: BookingRequestBody, room: RoomForRules, errors: FieldError[]): ValidBookingRequest['addOns'] {
  const lines: ValidBookingRequest['addOns'] = [];
  const seen = new Set<string>();
  (body.addOns ?? []).forEach((item, index) => {
    const base = `addOns[${index}]`;
    const offered = room.venueAddOns.find((addOn) => addOn.code === item.code);
    if (!isAddOnCode(item.code)) {
      errors.push(fieldError(`${base}.code`, 'UNKNOWN_ADDON', 'Неизвестная услуга', 'Unknown service'));
      return;
    }
    if (seen.has(item.code)) {
      errors.push(fieldError(`${base}.code`, 'DUPLICATE_ADDON', 'Услуга указана дважды', 'The service is listed twice'));
      return;
    }
    seen.add(item.code);
    if (!offered) {
      errors.push(fieldError(`${base}.code`, 'ADDON_NOT_OFFERED', `Услугу «${ADDON_NAME_RU[item.code]}» этот ДК не предоставляет`, 'This venue does not offer that service'));
      return;
    }
    const quantity = item.quantity ?? 1;
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 100) {
      errors.push(fieldError(`${base}.quantity`, 'INVALID_QUANTITY', 'Количество — целое число от 1 до 100', 'Quantity must be a whole number from 1 to 100'));
      return;
    }
    lines.push({ code: item.code, quantity, note: item.note?.trim() || null, unitPrice: offered.price });
  });
  return lines;
}

/** Checks an add-on order placed after submission (same rules as at submission). */
export function validateAddOnOrder(items: NonNullable<BookingRequestBody['addOns']>, room: RoomForRules): { errors: FieldError[]; lines: ValidBookingRequest['addOns'] } {
  const errors: FieldError[] = [];
  if (items.length === 0) errors.push(fieldError('addOns', 'EMPTY', 'Выберите хотя бы одну услугу', 'Choose at least one service'));
  const lines = checkAddOns({ addOns: items } as BookingRequestBody, room, errors);
  return { errors, lines };
}

/** All rules for a submission; per-field errors, or the normalised request. */
export function validateBookingRequest(
  body: BookingRequestBody,
  room: RoomForRules,
  now: Date,
  rules: SlotRules = DEFAULT_SLOT_RULES,
): { ok: true; value: ValidBookingRequest } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const start = parseInstant(body.startsAt, 'startsAt', errors);
  const end = parseInstant(body.endsAt, 'endsAt', errors);
  if (start && end) checkSlot(start, end, room, now, rules, errors);

  const title = typeof body.eventTitle === 'string' ? body.eventTitle.trim() : '';
  if (title.length < 3 || title.length > 200) {
    errors.push(fieldError('eventTitle', 'INVALID_TITLE', 'Название мероприятия — от 3 до 200 символов', 'The event title must be 3–200 characters'));
  }
  if (!(EVENT_TYPES as readonly string[]).includes(body.eventType)) {
    errors.push(fieldError('eventType', 'INVALID_EVENT_TYPE', 'Выберите тип мероприятия', 'Choose an event type'));
  }
  if (!Number.isInteger(body.attendees) || body.attendees < 1) {
    errors.push(attendeesRangeError('attendees', room.capacity));
  } else if (body.attendees > room.capacity) {
    errors.push(overCapacityError('attendees', room.capacity));
  }
  const phone = typeof body.contactPhone === 'string' ? normalizeRussianPhone(body.contactPhone) : null;
  if (!phone) {
    errors.push(fieldError('contactPhone', 'INVALID_PHONE', 'Укажите российский номер телефона, например +7 916 123-45-67', 'Give a Russian phone number, e.g. +7 916 123-45-67'));
  }
  const contactName = typeof body.contactName === 'string' ? body.contactName.trim() : '';
  if (contactName.length > 100) {
    errors.push(fieldError('contactName', 'TOO_LONG', 'Имя контактного лица — не более 100 символов', 'The contact person’s name must be at most 100 characters'));
  }
  const comment = typeof body.comment === 'string' ? body.comment.trim() : '';
  if (comment.length > 2000) {
    errors.push(fieldError('comment', 'TOO_LONG', 'Комментарий — не более 2000 символов', 'The comment must be at most 2000 characters'));
  }
  const addOns = checkAddOns(body, room, errors);

  if (errors.length > 0 || !start || !end || !phone) return { ok: false, errors };
  return {
    ok: true,
    value: { roomId: room.id, startsAt: start, endsAt: end, eventTitle: title, eventType: body.eventType, attendees: body.attendees, contactPhone: phone, contactName: contactName || null, comment: comment || null, addOns },
  };
}
