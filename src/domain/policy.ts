import { Duration, hours, seconds, workingDays } from './duration';
import { addDuration, earliest, subtractDuration } from './duration';
import type { WorkCalendar } from './work-calendar';

/**
 * Every duration the booking workflow waits on. Travels in the workflow input, so production
 * uses working days and tests use seconds without a time-skipping server.
 */
export interface BookingPolicy {
  /** Time for the first call-back; operators are reminded at half time, admins alerted at the end. */
  callbackSla: Duration;
  /** After NO_ANSWER the next call-back attempt is due after this delay. */
  callbackRetryDelay: Duration;
  /** NO_ANSWER this many times → EXPIRED. */
  maxCallbackAttempts: number;
  /** From submission; the booking expires if not confirmed by then (see hardDeadline()). */
  hardDeadline: Duration;
  /** The hard deadline is never later than the event start minus this margin. */
  deadlineMargin: Duration;
  /** How long the resident may order add-ons; then the booking moves to AWAITING_CONFIRMATION. */
  addonsWindow: Duration;
  /** Time for the operator's final confirmation (and pending add-on decisions). */
  confirmationSla: Duration;
  /** The resident is reminded this long before the event. */
  residentReminderBefore: Duration;
  /** COMPLETED this long after the event ends. */
  completeAfterEnd: Duration;
  /**
   * How long a started workflow waits for its submission before it looks for a hold to adopt
   * or gives up (milliseconds; absent in inputs of bookings started before it existed: 1 minute).
   */
  submitWaitMs?: number;
  /**
   * How long the slot hold may take, all its attempts together (milliseconds; absent: 50 s). No
   * hold commits after it, so when the hold failed the workflow can tell for certain, once the
   * window is over, whether an attempt it gave up on committed after all.
   */
  holdWindowMs?: number;
}

/** See BookingPolicy.holdWindowMs. */
export const DEFAULT_HOLD_WINDOW_MS = 50_000;

export const PRODUCTION_POLICY: BookingPolicy = {
  callbackSla: workingDays(1),
  callbackRetryDelay: hours(3),
  maxCallbackAttempts: 3,
  hardDeadline: workingDays(5),
  deadlineMargin: hours(24),
  addonsWindow: workingDays(2),
  confirmationSla: workingDays(1),
  residentReminderBefore: hours(24),
  completeAfterEnd: { ms: 0 },
  submitWaitMs: 60_000,
  holdWindowMs: DEFAULT_HOLD_WINDOW_MS,
};

/** A policy in seconds for tests against a real (not time-skipping) server. */
export function testPolicy(overrides: Partial<BookingPolicy> = {}): BookingPolicy {
  return {
    callbackSla: seconds(60),
    callbackRetryDelay: seconds(1),
    maxCallbackAttempts: 3,
    hardDeadline: seconds(600),
    deadlineMargin: { ms: 0 },
    addonsWindow: seconds(60),
    confirmationSla: seconds(60),
    residentReminderBefore: seconds(2),
    completeAfterEnd: { ms: 0 },
    submitWaitMs: 5_000,
    ...overrides,
  };
}

/** The hard deadline: submission + policy.hardDeadline, never later than start − margin (working days by the calendar). */
export function hardDeadline(policy: BookingPolicy, submittedAt: Date, startsAt: Date, calendar?: WorkCalendar): Date {
  return earliest(addDuration(submittedAt, policy.hardDeadline, calendar), subtractDuration(startsAt, policy.deadlineMargin, calendar));
}
