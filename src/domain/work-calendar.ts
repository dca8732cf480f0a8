import { isoWeekdayOf, moscowInstant, toMoscow } from './moscow-time';

/**
 * Which days operators work: Russia's production calendar (производственный календарь). A
 * booking's deadlines counted in working days skip public holidays and the days off the
 * government moves onto weekdays, and count a Saturday it makes a working day.
 *
 * A booking carries the stretch of the calendar it needs in its workflow input, so its deadlines
 * stay what they were on replay and when a later decree is added here.
 */
export interface WorkCalendar {
  /** The first and last Moscow dates (YYYY-MM-DD) the lists cover. Outside them Monday to Friday are worked. */
  from: string;
  to: string;
  /** Monday-to-Friday dates that are days off: public holidays and days off moved onto weekdays. */
  daysOff: string[];
  /** Saturdays and Sundays that are working days, a day off having been moved from them. */
  workedWeekends: string[];
  /**
   * The operators' working hours, in minutes after Moscow midnight. A count of working days
   * that starts outside them starts at the next opening instead. Absent: a count keeps the
   * time of day it starts at, whatever it is.
   */
  officeHours?: { opens: number; closes: number };
}

/** The working hours of the districts' operators: 09:00–18:00 Moscow time. */
export const OFFICE_HOURS = { opens: 9 * 60, closes: 18 * 60 };

interface CalendarYear {
  daysOff: string[];
  workedWeekends: string[];
}

/**
 * The years the government has decreed (Постановление Правительства РФ «О переносе выходных
 * дней»), usually in the autumn before. Add each new decree here: until then a year follows the
 * Labour Code alone (statutoryYear), which lacks the moves of the January holidays.
 */
const DECREED_YEARS: Record<number, CalendarYear> = {
  // No. 1466 of 24 September 2025: 3 January → 9 January, 4 January → 31 December.
  2026: {
    daysOff: ['2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-02-23', '2026-03-09', '2026-05-01', '2026-05-11', '2026-06-12', '2026-11-04', '2026-12-31'],
    workedWeekends: [],
  },
};

/** The public holidays of the Labour Code (Article 112), as MM-DD. */
const PUBLIC_HOLIDAYS = ['01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08', '02-23', '03-08', '05-01', '05-09', '06-12', '11-04'];
/**
 * The New Year holidays and Christmas (1–8 January): when one falls on a weekend, the Code's rule
 * gives no day off after it; the government's decree moves that day off, if at all.
 */
const MOVED_BY_DECREE_ONLY = new Set(['01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08']);

const isWeekend = (date: string) => isoWeekdayOf(date) >= 6;

function nextDate(date: string): string {
  return toMoscow(moscowInstant(date, 36 * 60)).date;
}

/**
 * A year by the Labour Code alone: its public holidays, and for each that falls on a weekend
 * (but 1–8 January) a day off on the next working day after it (Article 112, part 2).
 */
export function statutoryYear(year: number): CalendarYear {
  const holidays = PUBLIC_HOLIDAYS.map((monthDay) => `${String(year).padStart(4, '0')}-${monthDay}`);
  const daysOff = new Set(holidays.filter((date) => !isWeekend(date)));
  for (const holiday of holidays) {
    if (!isWeekend(holiday) || MOVED_BY_DECREE_ONLY.has(holiday.slice(5))) continue;
    let moved = nextDate(holiday);
    while (isWeekend(moved) || daysOff.has(moved) || holidays.includes(moved)) moved = nextDate(moved);
    daysOff.add(moved);
  }
  return { daysOff: [...daysOff].sort(), workedWeekends: [] };
}

/** The Moscow calendar years from `from` to `until`, both included. */
function moscowYears(from: Date, until: Date): number[] {
  const years: number[] = [];
  for (let year = Number(toMoscow(from).date.slice(0, 4)); year <= Number(toMoscow(until).date.slice(0, 4)); year += 1) years.push(year);
  return years;
}

/** The years from `from` to `until` that follow the Labour Code alone, their decree not listed here. */
export function undecreedYears(from: Date, until: Date): number[] {
  return moscowYears(from, until).filter((year) => !DECREED_YEARS[year]);
}

/** Russia's calendar for the Moscow dates of `from` to `until`, both included. */
export function russianWorkCalendar(from: Date, until: Date): WorkCalendar {
  const first = toMoscow(from).date;
  const last = toMoscow(until).date;
  const within = (date: string) => date >= first && date <= last;
  const years = moscowYears(from, until).map((year) => DECREED_YEARS[year] ?? statutoryYear(year));
  return {
    from: first,
    to: last,
    daysOff: years.flatMap((year) => year.daysOff.filter(within)),
    workedWeekends: years.flatMap((year) => year.workedWeekends.filter(within)),
    officeHours: OFFICE_HOURS,
  };
}

/** Whether operators work on the Moscow date of `instant`: Monday to Friday unless the calendar says otherwise. */
export function isWorkingDay(instant: Date, calendar?: WorkCalendar): boolean {
  const { date, weekday } = toMoscow(instant);
  if (calendar && date >= calendar.from && date <= calendar.to) {
    if (calendar.daysOff.includes(date)) return false;
    if (calendar.workedWeekends.includes(date)) return true;
  }
  return weekday <= 5;
}

const DAY = 86_400_000;

/**
 * Where a count of working days from `instant` starts: the instant itself within working hours
 * on a working day, else the next opening. Without office hours, the instant.
 */
function countStart(instant: Date, calendar?: WorkCalendar): Date {
  const hours = calendar?.officeHours;
  if (!hours) return instant;
  const { date, minuteOfDay } = toMoscow(instant);
  if (isWorkingDay(instant, calendar) && minuteOfDay < hours.closes) return minuteOfDay < hours.opens ? moscowInstant(date, hours.opens) : instant;
  let opening = moscowInstant(date, hours.opens);
  do opening = new Date(opening.getTime() + DAY);
  while (!isWorkingDay(opening, calendar));
  return opening;
}

/**
 * Adds (or, with a negative count, subtracts) whole working days in Moscow, keeping the local
 * time of day: Friday 15:00 + 1 → Monday 15:00; with the calendar of 2026, 30 December 10:00 + 1
 * → 11 January 2027 10:00. With office hours a count starts at the next opening when it starts
 * outside them: Saturday 10:00 + 1 → Tuesday 09:00, Monday 20:00 + 1 → Wednesday 09:00.
 */
export function addWorkingDays(from: Date, days: number, calendar?: WorkCalendar): Date {
  const step = days >= 0 ? 1 : -1;
  let remaining = Math.abs(days);
  let cursor = (days > 0 ? countStart(from, calendar) : from).getTime();
  while (remaining > 0) {
    cursor += step * DAY;
    if (isWorkingDay(new Date(cursor), calendar)) remaining -= 1;
  }
  return new Date(cursor);
}

/**
 * The instant halfway through the office hours between `start` and `due` by the calendar: where
 * an operator's reminder belongs, rather than at night or on a holiday. Undefined when the
 * calendar has no office hours or none fall between the two.
 */
export function officeTimeMidpoint(start: Date, due: Date, calendar?: WorkCalendar): Date | undefined {
  const hours = calendar?.officeHours;
  if (!hours || due.getTime() <= start.getTime()) return undefined;
  const spans: [number, number][] = [];
  const lastDate = toMoscow(due).date;
  for (let date = toMoscow(start).date; date <= lastDate; date = nextDate(date)) {
    const opens = moscowInstant(date, hours.opens).getTime();
    const from = Math.max(opens, start.getTime());
    const to = Math.min(moscowInstant(date, hours.closes).getTime(), due.getTime());
    if (to > from && isWorkingDay(new Date(opens), calendar)) spans.push([from, to]);
  }
  let left = Math.floor(spans.reduce((total, [from, to]) => total + to - from, 0) / 2);
  for (const [from, to] of spans) {
    if (left < to - from) return new Date(from + left);
    left -= to - from;
  }
  return undefined;
}
