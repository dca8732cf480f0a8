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

/** gRPC status codes of a Temporal server that cannot answer now: DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED (its rate limit), UNAVAILABLE. */
const GRPC_UNAVAILABLE = new Set([4, 8, 14]);

/**
 * A call the Temporal server did not answer in time or could not be reached for: the client's
 * ServiceError around a gRPC status, or the gRPC error itself (update-with-start rethrows an
 * operation's failure as the grpc-js error, code, details and metadata).
 */
export function isTemporalUnavailable(error: unknown): boolean {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const grpc = error instanceof ServiceError ? error.cause : error;
  if (typeof grpc !== 'object' || grpc === null || !('metadata' in grpc || error instanceof ServiceError)) return false;
  const status = (grpc as { code?: unknown }).code;
  return typeof status === 'number' && GRPC_UNAVAILABLE.has(status);
}

/**
 * Temporal's errors → domain errors: an update refused by a validator or failed by a handler
 * carries an ApplicationFailure whose `type` is one of DomainErrorType. A closed workflow means
 * the booking is final (INVALID_STATE); an unreachable server is UNAVAILABLE. Any other refusal
 * by the server (a wrong namespace, credentials, an unregistered search attribute) stays as it
 * is: no retry mends it, so it is a logged 500, not a 503 that asks to try again.
 */
export function toDomainError(error: unknown): Error {
  if (error instanceof DomainError) return error;
  const failure = applicationFailureIn(error);
  if (failure && isDomainErrorType(failure.type)) return new DomainError(failure.type, failure.message);
  if (error instanceof WorkflowUpdateFailedError) return new DomainError('INVALID_STATE', error.message);
  if (error instanceof WorkflowNotFoundError) return new DomainError('INVALID_STATE', 'The booking is no longer active');
  if (isTemporalUnavailable(error)) return new DomainError('UNAVAILABLE', 'The booking service is temporarily unavailable');
  return error instanceof Error ? error : new Error(String(error));
}
