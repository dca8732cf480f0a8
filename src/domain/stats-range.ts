import { moscowInstant } from './moscow-time';

/**
 * Statistics are asked for by Moscow calendar days, both ends included (what a person means by
 * "from 1 to 31 January"). A range is bounded: each figure scans the bookings submitted in it
 * and their events, and a range of centuries would hold the database for the query's whole
 * timeout.
 */
export const MAX_STATS_RANGE_DAYS = 1_096;

export type StatsRangeFault = 'END_BEFORE_START' | 'TOO_LONG';

export const STATS_RANGE_MESSAGES: Record<StatsRangeFault, { ru: string; en: string }> = {
  END_BEFORE_START: { ru: 'Конец периода не может быть раньше начала', en: 'The end cannot be before the start' },
  TOO_LONG: { ru: 'Период — не больше трёх лет', en: 'The period can be three years at most' },
};

/** The instants [from's midnight, the day after `to`'s midnight) of two valid calendar dates, or what is wrong with them. */
export function statsRange(from: string, to: string): { from: Date; to: Date } | { fault: StatsRangeFault } {
  const start = moscowInstant(from, 0);
  const end = moscowInstant(to, 24 * 60);
  if (end <= start) return { fault: 'END_BEFORE_START' };
  if (end.getTime() - start.getTime() > MAX_STATS_RANGE_DAYS * 86_400_000) return { fault: 'TOO_LONG' };
  return { from: start, to: end };
}
