import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../db/client';
import type { BookingPolicy } from '../domain/policy';
import type { SlotRules } from '../domain/slot-rules';
import type { WorkCalendar } from '../domain/work-calendar';

/** What the booking service needs; the API builds it once. */
export interface BookingServiceDeps {
  prisma: PrismaClient;
  temporal: Client;
  taskQueue: string;
  /** Durations for new bookings (default PRODUCTION_POLICY; tests pass seconds). */
  policy?: BookingPolicy;
  /** The production calendar new bookings count working days by (default russianWorkCalendar). */
  workCalendar?: (from: Date, until: Date) => WorkCalendar;
  /** Slot rules for submissions (default DEFAULT_SLOT_RULES). */
  slotRules?: SlotRules;
  now?: () => Date;
}
