import { patched } from '@temporalio/workflow';
import type { BookingWorkflowInput } from './booking.messages';

/**
 * Behaviours added with patched() after histories were first recorded: a booking started before
 * a patch keeps its old path on replay.
 */

/** Commits that set or end a human task also upsert TaskDueAt and SlaState (before: the status only). */
export const TASK_SEARCH_ATTRIBUTES_PATCH = 'task-search-attributes';

/**
 * The submission's e-mail goes to mail_outbox with the hold instead of an e-mail activity: the
 * resident's answer waits for less, and the Temporal server runs one task fewer per booking.
 */
export const SUBMISSION_MAIL_OUTBOX_PATCH = 'submission-mail-outbox';

/** A hold committed by a submission the workflow never recorded is adopted, not left alone. */
export const ADOPT_ORPHANED_HOLD_PATCH = 'adopt-orphaned-hold';

/**
 * The patches a booking started with revision 1 or later takes without a marker (see
 * BookingWorkflowInput.revision). A patch added later must not join this set: bookings already
 * running under revision 1 did not take it. It gets a new revision with its own set instead.
 */
const ON_SINCE_REVISION_1: ReadonlySet<string> = new Set([TASK_SEARCH_ATTRIBUTES_PATCH, SUBMISSION_MAIL_OUTBOX_PATCH, ADOPT_ORPHANED_HOLD_PATCH]);

/**
 * Behaviours added with a revision instead of a patch: a booking takes them when it was started
 * with that revision or a later one, and only then (its input says which, so replay agrees).
 * 2: the submission's upsert carries the call-back task (TaskDueAt, SlaState) with the status.
 * 3: a hold that failed without the database's answer is settled after its window
 *    (policy.holdWindowMs): a booking an abandoned attempt committed is adopted, not orphaned;
 *    an e-mail is scheduled once the database steps queued before it are done.
 * 4: no human task is due after the hard deadline, and the add-ons window leaves half of the
 *    time to the deadline for the confirmation (workflows/booking.tasks.ts).
 * 5: working days follow the production calendar and office hours in the input (workCalendar,
 *    set by the service from this revision on), and a task's reminder falls halfway through the
 *    office hours until it is due: a worker that counted Monday to Friday must not run these
 *    bookings.
 * A revision is frozen once its history generation is recorded: what it does may not change
 * after that, since bookings started under it may be running; a change gets the next revision.
 * (Revision 3 was changed twice after its first recording, before any deployment.)
 */
export function sinceRevision(input: Pick<BookingWorkflowInput, 'revision'>, revision: number): boolean {
  return (input.revision ?? 0) >= revision;
}

/** Whether the booking takes the behaviour `patchId` added: from its revision, else from patched(). */
export function takesPatch(input: Pick<BookingWorkflowInput, 'revision'>, patchId: string): boolean {
  return ((input.revision ?? 0) >= 1 && ON_SINCE_REVISION_1.has(patchId)) || patched(patchId);
}
