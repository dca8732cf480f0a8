/**
 * Local time in Europe/Moscow. Moscow has kept UTC+3 all year since 26 October 2014, so a fixed
 * offset is exact for every date the service can book and needs no time-zone database (which
 * also keeps this module deterministic inside workflows).
 */
export const MOSCOW_OFFSET_MINUTES = 180;
const MINUTE = 60_000;

export interface MoscowLocal {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes after local midnight. */
  minuteOfDay: number;
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
}

export function toMoscow(instant: Date): MoscowLocal {
  const shifted = new Date(instant.getTime() + MOSCOW_OFFSET_MINUTES * MINUTE);
  const weekday = ((shifted.getUTCDay() + 6) % 7) + 1;
  return {
    weekday,
    minuteOfDay: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
    date: shifted.toISOString().slice(0, 10),
  };
}

/** "25.12.2026 18:30" in Moscow time. */
export function formatMoscow(instant: Date): string {
  const shifted = new Date(instant.getTime() + MOSCOW_OFFSET_MINUTES * MINUTE);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(shifted.getUTCDate())}.${pad(shifted.getUTCMonth() + 1)}.${shifted.getUTCFullYear()} ${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}`;
}

/** "25.12.2026" in Moscow time. */
export function formatMoscowDate(instant: Date): string {
  return formatMoscow(instant).slice(0, 10);
}

/** "18:30" in Moscow time. */
export function formatMoscowTime(instant: Date): string {
  return formatMoscow(instant).slice(11);
}

export const VENUE_TIME_ZONE = 'Europe/Moscow';

/**
 * A calendar date the service reasons about: YYYY-MM-DD that exists (no 2026-02-30), in the
 * years 1900–9999. Earlier instants are nothing a House of Culture was booked for, and the
 * database's driver cannot take the years before 1 that Moscow's offset would reach from 0001.
 */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  return year >= 1900 && at.getUTCFullYear() === year && at.getUTCMonth() === month - 1 && at.getUTCDate() === day;
}

/** The instant at which Moscow clocks show `date` (YYYY-MM-DD) plus `minutes` after midnight. */
export function moscowInstant(date: string, minutes: number): Date {
  const [year, month, day] = date.split('-').map(Number);
  // Not Date.UTC(year, …): it reads the years 0–99 as 1900–1999.
  const midnight = new Date(0);
  midnight.setUTCFullYear(year, month - 1, day);
  return new Date(midnight.getTime() + minutes * MINUTE - MOSCOW_OFFSET_MINUTES * MINUTE);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a Moscow calendar date. */
export function isoWeekdayOf(date: string): number {
  return toMoscow(moscowInstant(date, 12 * 60)).weekday;
}

/** ISO-8601 with the Moscow offset, e.g. `2026-12-01T10:00:00+03:00`: what people expect to read. */
export function toMoscowIso(instant: Date): string {
  const shifted = new Date(instant.getTime() + MOSCOW_OFFSET_MINUTES * MINUTE);
  return `${shifted.toISOString().slice(0, 19)}+03:00`;
}
