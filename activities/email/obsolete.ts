import type { BookingEmailRequest } from './kinds';

/** The status a booking has while each human task is open. */
const TASK_STATUS = { CALLBACK: 'AWAITING_CALLBACK', ADDONS: 'ADDONS', CONFIRMATION: 'AWAITING_CONFIRMATION' } as const;

/**
 * An e-mail that its booking has overtaken by the time it can be sent (a mail server that held it
 * back, a worker catching up): a reminder or an escalation of a task no longer open would send
 * staff after work already done, and a confirmation's calendar invitation arriving after the
 * cancellation would put the cancelled event back into the resident's calendar.
 */
export function isOvertaken(request: Pick<BookingEmailRequest, 'kind' | 'data'>, status: string): boolean {
  switch (request.kind) {
    case 'TASK_REMINDER':
    case 'TASK_ESCALATION': {
      const task = request.data?.task;
      return task !== undefined && TASK_STATUS[task] !== status;
    }
    case 'CONFIRMED':
      return status === 'CANCELLED';
    default:
      return false;
  }
}
