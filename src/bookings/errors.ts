import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DomainError, isDomainErrorType } from '../domain/errors';

function applicationFailureIn(error: unknown): ApplicationFailure | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    if (current instanceof ApplicationFailure) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Temporal's errors → domain errors: an update refused by a validator or failed by a handler
 * carries an ApplicationFailure whose `type` is one of DomainErrorType. A closed workflow means
 * the booking is final (INVALID_STATE); an unreachable server is UNAVAILABLE.
 */
export function toDomainError(error: unknown): Error {
  if (error instanceof DomainError) return error;
  const failure = applicationFailureIn(error);
  if (failure && isDomainErrorType(failure.type)) return new DomainError(failure.type, failure.message);
  if (error instanceof WorkflowUpdateFailedError) return new DomainError('INVALID_STATE', error.message);
  if (error instanceof WorkflowNotFoundError) return new DomainError('INVALID_STATE', 'The booking is no longer active');
  if (error instanceof ServiceError || error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return new DomainError('UNAVAILABLE', 'The booking service is temporarily unavailable');
  return error instanceof Error ? error : new Error(String(error));
}
