import { ADDON_NAME_EN } from '../../src/domain/addons';
import { formatDateTime, formatRange } from '../../src/web/format';
import { taskLabel } from '../../src/web/i18n';
import { formatRubles } from '../../src/domain/price';
import type { BookingEmailData, BookingEmailKind, RecipientRole } from './kinds';
import { addOnsWindowEnd, type BookingForEmail } from './templates';

/**
 * The English part of each booking e-mail, below the Russian one: the same facts, for readers
 * who chose English on the site (the service does not know whom, so every e-mail carries both).
 * Names of venues, rooms and events stay as written.
 */

const OUTCOME_EN = { AGREED: 'details agreed', NO_ANSWER: 'no answer', REJECTED: 'application rejected' } as const;

const moscow = (instant: Date | string | undefined) => (instant ? `${formatDateTime('en', instant)} (Moscow time)` : '—');

function lead(kind: BookingEmailKind, role: RecipientRole, booking: BookingForEmail, data: BookingEmailData, approvedTotal: number): string[] {
  switch (kind) {
    case 'SUBMITTED':
      return role === 'RESIDENT'
        ? ['Your application has been received and the time is held for you.', 'An operator will call you to clarify the details.']
        : ['A new application has arrived. Call the applicant and record the outcome of the call.'];
    case 'ADDONS_ORDERED':
      return [`The applicant ordered: ${(data.codes ?? []).map((code) => ADDON_NAME_EN[code]).join(', ')}.`, 'Decide on each service.'];
    case 'TASK_REMINDER':
      return [`The task “${taskLabel('en', data.task ?? 'CALLBACK')}” is due by ${moscow(data.dueAt)}.`];
    case 'TASK_ESCALATION':
      return [`The task “${taskLabel('en', data.task ?? 'CALLBACK')}” was not done in time (due ${moscow(data.dueAt)}).`];
    case 'CALLBACK_OUTCOME': {
      const lines = [`Outcome of the operator's call: ${OUTCOME_EN[data.outcome ?? 'AGREED']}.`];
      if (data.outcome === 'AGREED') {
        const until = addOnsWindowEnd(booking);
        lines.push(`You can now order extra services in your account${until ? ` until ${moscow(until)}` : ''}.`);
        lines.push(`If you need none, press “Send for confirmation” in your account${until ? `; after ${moscow(until)} the application goes on to confirmation by itself` : ''}.`);
      }
      if (data.outcome === 'NO_ANSWER') lines.push(`The operator could not reach you (attempt ${data.attempt ?? 1} of ${data.maxAttempts ?? 3}). We will call again; please keep the phone number from your application at hand.`);
      if (data.note) lines.push(`The operator's comment: ${data.note}`);
      return lines;
    }
    case 'ADDON_DECISION': {
      const name = data.code ? ADDON_NAME_EN[data.code] : 'service';
      const lines = [data.decision === 'APPROVED' ? `“${name}” is approved, at ${formatRubles(data.price ?? 0, 'en')}.` : `“${name}” cannot be provided.`];
      if (data.note) lines.push(`Comment: ${data.note}`);
      return lines;
    }
    case 'CONFIRMED':
      return ['Your booking is confirmed. A calendar invitation is attached.', `Total: ${formatRubles(approvedTotal, 'en')}.`];
    case 'REJECTED':
      return ['Unfortunately the application was rejected and the time released.', ...(data.reason ? [`Reason: ${data.reason}`] : [])];
    case 'CANCELLED':
      return ['The application is cancelled and the time released.', ...(data.reason ? [`Reason: ${data.reason}`] : [])];
    case 'EXPIRED':
      return [
        data.reason === 'NO_ANSWER' ? 'The operator could not reach you after several calls, so the application was closed and the time released.' : 'The application was not confirmed in time and the time was released.',
        'You are welcome to apply again.',
      ];
    case 'EVENT_REMINDER':
      return ['This is a reminder of your event.'];
  }
}

/** The English half of the subject, after the Russian one (the booking's number is in that half already). */
export function englishSubject(kind: BookingEmailKind, role: RecipientRole, data: BookingEmailData): string {
  switch (kind) {
    case 'SUBMITTED':
      return role === 'RESIDENT' ? 'Application received' : 'New application: a call is needed';
    case 'ADDONS_ORDERED':
      return 'Extra services ordered';
    case 'TASK_REMINDER':
      return 'Reminder: an application awaits action';
    case 'TASK_ESCALATION':
      return 'Escalation: a deadline was missed';
    case 'CALLBACK_OUTCOME':
      return `Call outcome: ${OUTCOME_EN[data.outcome ?? 'AGREED']}`;
    case 'ADDON_DECISION':
      return `Decision on “${data.code ? ADDON_NAME_EN[data.code] : 'service'}”`;
    case 'CONFIRMED':
      return 'Booking confirmed';
    case 'REJECTED':
      return 'Application rejected';
    case 'CANCELLED':
      return 'Application cancelled';
    case 'EXPIRED':
      return 'Application expired';
    case 'EVENT_REMINDER':
      return 'Event reminder';
  }
}

/** The English paragraphs: what happened, the booking's facts, the link. */
export function englishParagraphs(kind: BookingEmailKind, role: RecipientRole, booking: BookingForEmail, data: BookingEmailData, link: string, approvedTotal: number): string[] {
  const facts = [
    `Application: ${booking.code}`,
    `Event: ${booking.eventTitle}`,
    `Where: ${booking.venueName}, ${booking.roomName} — ${booking.venueAddress} (district: ${booking.districtName})`,
    `When: ${formatRange('en', booking.startsAt, booking.endsAt)} (Moscow time)`,
  ];
  return [...lead(kind, role, booking, data, approvedTotal), facts.join('\n'), `Details: ${link}`];
}
