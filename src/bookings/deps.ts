import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../db/client';
import type { BookingPolicy } from '../domain/policy';
import type { SlotRules } from '../domain/slot-rules';

/** What the booking service needs; the API builds it once. */
export interface BookingServiceDeps {
  prisma: PrismaClient;
  temporal: Client;
  taskQueue: string;
  /** Durations for new bookings (default PRODUCTION_POLICY; tests pass seconds). */
  policy?: BookingPolicy;
  /** Slot rules for submissions (default DEFAULT_SLOT_RULES). */
  slotRules?: SlotRules;
  now?: () => Date;
}
