/**
 * The staff's e-mails as rows of mail_outbox (booking_id NULL): today, telling a person they
 * were appointed an operator, and of which districts. The appointment writes the row in its own
 * transaction (operators.ts), so it is sent even if the worker is down at that moment; the
 * worker's outbox dispatcher renders and sends it (activities/email/staff-email.ts).
 */
export interface StaffEmailRequest {
  kind: 'OPERATOR_APPOINTED';
  /** The journal entry of the appointment (staff_changes.id): one e-mail per appointment. */
  key: string;
  data: { userId: string; districtIds: number[] };
}
