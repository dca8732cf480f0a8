import { log } from '@temporalio/workflow';
import type { BookingEmailRequest } from '../activities';
import { sendBookingEmail } from './booking.activities';
import type { BookingWorkflowInput } from './booking.messages';
import { initialState, type BookingState } from './booking.state';
import { sinceRevision } from './patches';

/** Everything a phase module needs: the input, the state and the two ways to do I/O. */
export interface BookingContext {
  input: BookingWorkflowInput;
  state: BookingState;
  /** Database steps run one after another, in the order the workflow decided them. */
  serial<T>(step: () => Promise<T>): Promise<T>;
  /**
   * Starts an e-mail without blocking the caller; the workflow waits for all before it ends.
   * From revision 3 it goes once the database steps queued before it are done: the e-mail reads
   * the booking, and must show what the step it announces wrote.
   */
  notify(request: Omit<BookingEmailRequest, 'bookingId'>): void;
  /** A deterministic timeline event key: "<seq>-<type>". */
  eventKey(type: string): string;
  /** Resolves when every queued database step and e-mail has finished. */
  settled(): Promise<void>;
}

export function createContext(input: BookingWorkflowInput): BookingContext {
  const state = initialState();
  let chain: Promise<unknown> = Promise.resolve();
  const mails: Promise<unknown>[] = [];
  return {
    input,
    state,
    serial<T>(step: () => Promise<T>): Promise<T> {
      const next = chain.then(step);
      chain = next.catch(() => undefined);
      return next;
    },
    notify(request) {
      const send = () => sendBookingEmail({ bookingId: input.bookingId, ...request });
      // Before revision 3 scheduled at once: replays of older bookings need their command order.
      const sending = (sinceRevision(input, 3) ? chain.then(send) : send()).catch((error: unknown) => {
        // E-mail attempts are capped (emailActivity); the booking goes on, the failure is visible in history.
        log.warn('Booking e-mail failed after all attempts', { kind: request.kind, error: String(error) });
      });
      mails.push(sending);
    },
    eventKey(type) {
      state.eventSeq += 1;
      return `${String(state.eventSeq).padStart(3, '0')}-${type}`;
    },
    async settled() {
      await chain;
      await Promise.all(mails);
    },
  };
}
