import type { AddOnCode } from './addons';

export const EVENT_TYPES = ['CONCERT', 'REHEARSAL', 'MEETING', 'CELEBRATION', 'CLASS', 'EXHIBITION', 'OTHER'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What a resident submits (the API parses JSON into this shape; the rules check the content). */
export interface BookingRequestBody {
  roomId: number;
  /** ISO-8601 with an offset, e.g. "2026-12-25T18:00:00+03:00". */
  startsAt: string;
  endsAt: string;
  eventTitle: string;
  eventType: EventType;
  attendees: number;
  contactPhone: string;
  /** Whom the operator asks for when they call back (optional). */
  contactName?: string | null;
  comment?: string | null;
  addOns?: { code: AddOnCode; quantity?: number; note?: string | null }[];
}

/** The request after the rules passed: phone normalised, instants parsed, defaults filled in. */
export interface ValidBookingRequest {
  roomId: number;
  startsAt: Date;
  endsAt: Date;
  eventTitle: string;
  eventType: EventType;
  attendees: number;
  contactPhone: string;
  contactName: string | null;
  comment: string | null;
  addOns: { code: AddOnCode; quantity: number; note: string | null; unitPrice: number }[];
}

/**
 * Canonical JSON: keys sorted at every level, undefined dropped. Its SHA-256 tells a replayed
 * request (same Idempotency-Key, same body) from a different one.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}
