import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_ERROR_TYPES } from '../src/domain/errors';

/** Named activity option profiles (see STYLE.md). Domain errors are never retried. */

/** Database writes: idempotent, so retried until they succeed (a compensation must not be dropped). */
export const dbActivity: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};

/**
 * E-mail: the ledger makes retries safe. Attempts are capped so a mail server that stays down
 * does not loop forever, but spread over about two hours, so an outage of the database or the
 * mail server of a few minutes loses no message.
 */
export const emailActivity: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '15 minutes', maximumAttempts: 16, nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};

/** The slot hold runs inside the submit update: a local activity answers the resident fastest. */
export const holdLocalActivity: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  // Bounded by time, not by a count of attempts: under a burst the holds queue for the worker's
  // database pool, and each wait past the pool's limit is one failed attempt. The resident's
  // request waits up to the submission deadline (SUBMIT_DEADLINE_MS) anyway.
  scheduleToCloseTimeout: '50 seconds',
  retry: { initialInterval: '50 milliseconds', backoffCoefficient: 2, maximumInterval: '1 second', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};
