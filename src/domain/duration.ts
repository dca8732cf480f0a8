import { addWorkingDays, type WorkCalendar } from './work-calendar';

/** A span of time: exact milliseconds (tests, margins) or working days in Moscow (production SLAs). */
export type Duration = { ms: number } | { workingDays: number };

export const ms = (value: number): Duration => ({ ms: value });
export const seconds = (value: number): Duration => ({ ms: value * 1000 });
export const hours = (value: number): Duration => ({ ms: value * 3_600_000 });
export const workingDays = (value: number): Duration => ({ workingDays: value });

/** `from` plus the duration; working days by the calendar when given, else Monday to Friday. */
export function addDuration(from: Date, duration: Duration, calendar?: WorkCalendar): Date {
  if ('ms' in duration) return new Date(from.getTime() + duration.ms);
  return addWorkingDays(from, duration.workingDays, calendar);
}

export function subtractDuration(from: Date, duration: Duration, calendar?: WorkCalendar): Date {
  if ('ms' in duration) return new Date(from.getTime() - duration.ms);
  return addWorkingDays(from, -duration.workingDays, calendar);
}

/** The midpoint between two instants (SLA reminders fire at half time). */
export function halfway(start: Date, end: Date): Date {
  return new Date(start.getTime() + Math.floor((end.getTime() - start.getTime()) / 2));
}

export function earliest(...dates: Date[]): Date {
  return new Date(Math.min(...dates.map((date) => date.getTime())));
}
