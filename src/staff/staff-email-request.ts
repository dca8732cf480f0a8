/**
 * The staff's e-mails as rows of mail_outbox (booking_id NULL): telling a person they were
 * appointed an operator and of which districts, that their districts changed, or that they are
 * an operator no more. Each change writes its row in its own transaction (operators.ts), so it
 * is sent even if the worker is down at that moment; the worker's outbox dispatcher renders and
 * sends it (activities/email/staff-email.ts).
 */
export type StaffEmailKind = 'OPERATOR_APPOINTED' | 'OPERATOR_DISTRICTS_CHANGED' | 'OPERATOR_DISMISSED';

export interface StaffEmailRequest {
  kind: StaffEmailKind;
  /** The journal entry of the change (staff_changes.id): one e-mail per change. */
  key: string;
  /** The person, and their districts after the change (none after a dismissal). */
  data: { userId: string; districtIds: number[] };
}

/**
 * The e-mail each kind of journal entry (staff_changes.kind) writes to the outbox: the changes
 * write it, and the sender reads it back to tell whether a person has heard of their appointment.
 */
export const STAFF_EMAIL_OF_CHANGE = {
  APPOINTED: 'OPERATOR_APPOINTED',
  CHANGED: 'OPERATOR_DISTRICTS_CHANGED',
  DISMISSED: 'OPERATOR_DISMISSED',
} as const satisfies Record<'APPOINTED' | 'CHANGED' | 'DISMISSED', StaffEmailKind>;
