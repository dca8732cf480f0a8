import { isTemporalUnavailable } from '../bookings/errors';
import { problems, type ErrorTranslator } from './problem';

/**
 * A dependency that is down (PostgreSQL, Temporal) is the server's temporary problem, not a
 * bug: every route answers 503 problem+json with Retry-After instead of 500, and the next
 * request after the dependency returns succeeds (the pg pool and the gRPC channel reconnect
 * by themselves).
 */

export const RETRY_AFTER_SECONDS = 5;

/**
 * Prisma's codes for "cannot reach / lost / timed out waiting for" the database; P2028 is a
 * transaction that could not start, or ran out of time, while the pool was busy.
 */
const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
/** Driver adapter error kinds (Prisma 7, @prisma/adapter-pg) that mean the same. */
const ADAPTER_UNAVAILABLE = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
/** SQLSTATEs of a server going away or refusing connections: admin/crash shutdown, starting up, too many clients. */
const SQLSTATE_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']);
/** Node socket errors. */
const SOCKET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
/** node-postgres' own messages for a lost or never-made connection (plain Errors without a code). */
const PG_CONNECTION_MESSAGES = [/timeout exceeded when trying to connect/i, /Connection terminated/i, /Client has encountered a connection error/i, /Connection ended/i, /Query read timeout/i];

interface ErrorShape {
  code?: unknown;
  errorCode?: unknown;
  clientVersion?: unknown;
  syscall?: unknown;
  severity?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } };
}

function isUnavailableHere(error: ErrorShape): boolean {
  if (isTemporalUnavailable(error)) return true;
  if ('clientVersion' in error) {
    // PrismaClientKnownRequestError has `code`, PrismaClientInitializationError `errorCode`.
    for (const code of [error.code, error.errorCode]) if (typeof code === 'string' && PRISMA_UNAVAILABLE.has(code)) return true;
    const adapter = error.meta?.driverAdapterError?.cause;
    if (typeof adapter?.kind === 'string' && ADAPTER_UNAVAILABLE.has(adapter.kind)) return true;
    if (typeof adapter?.originalCode === 'string' && isUnavailableSqlState(adapter.originalCode)) return true;
  }
  // A driver adapter error thrown as is (kind on the error's cause).
  if ((error as { name?: unknown }).name === 'DriverAdapterError') {
    const kind = (error.cause as { kind?: unknown } | undefined)?.kind;
    const originalCode = (error.cause as { originalCode?: unknown } | undefined)?.originalCode;
    if (typeof kind === 'string' && ADAPTER_UNAVAILABLE.has(kind)) return true;
    if (typeof originalCode === 'string' && isUnavailableSqlState(originalCode)) return true;
  }
  if (typeof error.code === 'string') {
    if (typeof error.syscall === 'string' && SOCKET_UNAVAILABLE.has(error.code)) return true;
    if (typeof error.severity === 'string' && isUnavailableSqlState(error.code)) return true;
  }
  const message = typeof error.message === 'string' ? error.message : '';
  if (!('clientVersion' in error) && PG_CONNECTION_MESSAGES.some((pattern) => pattern.test(message))) return true;
  // Prisma wraps driver errors it does not know into messages; the pg pool's timeout is one.
  if ('clientVersion' in error && PG_CONNECTION_MESSAGES.some((pattern) => pattern.test(message))) return true;
  return false;
}

function isUnavailableSqlState(code: string): boolean {
  return code.startsWith('08') || SQLSTATE_UNAVAILABLE.has(code);
}

/** True when the error (or one it wraps) says PostgreSQL or Temporal cannot be reached right now. */
export function isDependencyUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 6; depth += 1) {
    if (isUnavailableHere(current as ErrorShape)) return true;
    current = (current as ErrorShape).cause;
  }
  return false;
}

/** The API's translator for outages: 503 service-unavailable with Retry-After. */
export const translateUnavailable: ErrorTranslator = (error) => (isDependencyUnavailable(error) ? problems.unavailable(RETRY_AFTER_SECONDS) : undefined);
