/**
 * Reading PostgreSQL's SQLSTATE out of an error, whichever layer threw it. Prisma 7 with the pg
 * driver adapter does not map every database error to a dedicated Prisma code: an exclusion
 * violation arrives as PrismaClientKnownRequestError P2039 with the SQLSTATE under
 * `meta.driverAdapterError.cause.originalCode`. A plain `pg` error carries it as `code`.
 */

export const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  exclusionViolation: '23P01',
} as const;

interface AdapterErrorCause {
  originalCode?: string;
  originalMessage?: string;
  constraint?: string;
}

function adapterCause(error: unknown): AdapterErrorCause | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: AdapterErrorCause } } } | null)?.meta;
  return meta?.driverAdapterError?.cause;
}

/** The SQLSTATE of a database error from Prisma or pg, or undefined for anything else. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  // A Prisma error's own `code` is Prisma's ("P2039"), not a SQLSTATE.
  if ('clientVersion' in error) return adapterCause(error)?.originalCode;
  // pg's DatabaseError has a severity; a Node system error's code ("EPIPE") is not a SQLSTATE.
  if (!('severity' in error)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The violated constraint's name, when the error says. */
export function violatedConstraint(error: unknown): string | undefined {
  const pgConstraint = (error as { constraint?: unknown } | null)?.constraint;
  if (typeof pgConstraint === 'string') return pgConstraint;
  const message = adapterCause(error)?.originalMessage ?? '';
  return /constraint "([^"]+)"/.exec(message)?.[1];
}

/** True when `error` is the slot-hold exclusion constraint refusing an overlapping hold. */
export function isSlotTakenError(error: unknown): boolean {
  return sqlState(error) === SQLSTATE.exclusionViolation && violatedConstraint(error) === 'slot_holds_no_overlap';
}
