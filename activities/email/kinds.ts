import type { AddOnCode } from '../../src/domain/addons';

export type BookingEmailKind =
  | 'SUBMITTED'
  | 'ADDONS_ORDERED'
  | 'TASK_REMINDER'
  | 'TASK_ESCALATION'
  | 'CALLBACK_OUTCOME'
  | 'ADDON_DECISION'
  | 'CONFIRMED'
  | 'REJECTED'
  | 'CANCELLED'
  | 'EXPIRED'
  | 'EVENT_REMINDER';

export type RecipientRole = 'RESIDENT' | 'OPERATOR' | 'ADMIN';

/** Who receives each kind. */
export const RECIPIENTS: Record<BookingEmailKind, RecipientRole[]> = {
  SUBMITTED: ['RESIDENT', 'OPERATOR'],
  ADDONS_ORDERED: ['OPERATOR'],
  TASK_REMINDER: ['OPERATOR'],
  TASK_ESCALATION: ['ADMIN'],
  CALLBACK_OUTCOME: ['RESIDENT'],
  ADDON_DECISION: ['RESIDENT'],
  CONFIRMED: ['RESIDENT'],
  REJECTED: ['RESIDENT'],
  CANCELLED: ['RESIDENT', 'OPERATOR'],
  EXPIRED: ['RESIDENT'],
  EVENT_REMINDER: ['RESIDENT'],
};

/** Decision details the workflow passes along (no personal data). */
export interface BookingEmailData {
  outcome?: 'AGREED' | 'NO_ANSWER' | 'REJECTED';
  attempt?: number;
  maxAttempts?: number;
  note?: string | null;
  code?: AddOnCode;
  codes?: AddOnCode[];
  decision?: 'APPROVED' | 'DECLINED';
  price?: number | null;
  reason?: string | null;
  wasConfirmed?: boolean;
  task?: 'CALLBACK' | 'ADDONS' | 'CONFIRMATION';
  dueAt?: string;
}

export interface BookingEmailRequest {
  bookingId: string;
  kind: BookingEmailKind;
  /** Tells apart e-mails of one kind for one booking (attempt, add-on code, SLA stage). */
  key?: string;
  data?: BookingEmailData;
}
