import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_ERROR_TYPES } from '../src/domain/errors';

/** Named activity option profiles (see STYLE.md). Domain errors are never retried. */

/** Database writes: idempotent, so retried until they succeed (a compensation must not be dropped). */
export const dbActivity: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};

/** E-mail: the ledger makes retries safe, but a mail server that stays down must not loop forever. */
export const emailActivity: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};

/** The slot hold runs inside the submit update: a local activity answers the resident fastest. */
export const holdLocalActivity: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '50 milliseconds', backoffCoefficient: 2, maximumInterval: '1 second', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
};
