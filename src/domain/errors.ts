/**
 * Error types shared by workflows (ApplicationFailure.type), activities and the API (which maps
 * them to HTTP in src/api/domain-problems.ts).
 */
export const DOMAIN_ERROR_TYPES = [
  'VALIDATION',
  'SLOT_TAKEN',
  'INVALID_STATE',
  'NOT_FOUND',
  'FORBIDDEN',
  'IDEMPOTENCY_MISMATCH',
  'UNAVAILABLE',
] as const;
export type DomainErrorType = (typeof DOMAIN_ERROR_TYPES)[number];

/** Error types an activity must never retry. */
export const NON_RETRYABLE_ERROR_TYPES: DomainErrorType[] = DOMAIN_ERROR_TYPES.filter((type) => type !== 'UNAVAILABLE');

export interface FieldError {
  /** Path of the offending field in the request body, e.g. "startsAt" or "addOns[1].code". */
  field: string;
  code: string;
  messageRu: string;
  messageEn: string;
}

export function isDomainErrorType(value: unknown): value is DomainErrorType {
  return typeof value === 'string' && (DOMAIN_ERROR_TYPES as readonly string[]).includes(value);
}

/** Thrown by the service layer; the API's error middleware maps `type` to a status code. */
export class DomainError extends Error {
  constructor(
    readonly type: DomainErrorType,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
