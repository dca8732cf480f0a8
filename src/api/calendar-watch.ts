import { DEFAULT_SLOT_RULES } from '../domain/slot-rules';
import { undecreedYears } from '../domain/work-calendar';
import type { Logger } from '../logger';

const DAY = 86_400_000;

/**
 * Warns now and then daily while the bookings the API takes can reach a year whose production
 * calendar decree is not listed (src/domain/work-calendar.ts): their deadlines then follow the
 * Labour Code alone. Daily, since the booking horizon moves into a new year while the API runs.
 */
export function watchWorkCalendar(logger: Logger): { stop(): void } {
  const check = () => {
    const years = undecreedYears(new Date(), new Date(Date.now() + DEFAULT_SLOT_RULES.horizonMs));
    if (years.length > 0) logger.warn({ years }, 'production calendar: no decree listed for these years (src/domain/work-calendar.ts), so their days off follow the Labour Code alone; add the decree once published');
  };
  check();
  const timer = setInterval(check, DAY).unref();
  return { stop: () => clearInterval(timer) };
}
