import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/booking-request';

/**
 * The booking id is a UUID derived from the resident and the Idempotency-Key (name-based,
 * SHA-256, RFC 9562 version 8 layout), so a retried request addresses the same workflow.
 */
export function bookingIdFor(residentId: string, idempotencyKey: string): string {
  const hex = createHash('sha256').update(`open-dk/booking\n${residentId}\n${idempotencyKey}`).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export const workflowIdFor = (bookingId: string) => `booking-${bookingId}`;

/** Application number, e.g. "ДК-7F3A-9C12-B4E0" (48 bits of the id: collisions are negligible). */
export function bookingCodeFor(bookingId: string): string {
  const hex = bookingId.replace(/-/g, '').slice(0, 12).toUpperCase();
  return `ДК-${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}`;
}

/** SHA-256 of the canonical request body. */
export function requestHashOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}
