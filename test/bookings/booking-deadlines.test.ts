import { optionalTsToMs, tsToMs } from '@temporalio/common/lib/time';
import { workflowIdFor } from '../../src/bookings/ids';
import { confirmBooking, recordCallback } from '../../src/bookings';
import { halfway, workingDays } from '../../src/domain/duration';
import { isoWeekdayOf, toMoscow } from '../../src/domain/moscow-time';
import { testPolicy } from '../../src/domain/policy';
import { officeTimeMidpoint, type WorkCalendar } from '../../src/domain/work-calendar';
import { BOOKING_WORKFLOW_TYPE, bookingStateQuery, WORKFLOW_REVISION } from '../../workflows/booking.messages';
import { testCodec } from '../support/payload-codec';
import { waitFor } from '../support/wait';
import { errorTypeOf, historyOf, submitFresh, waitForStatus, workflowInputFor } from './flow';
import { startBookingHarness, type BookingHarness } from './harness';

/** A booking's human tasks fit inside its hard deadline, so what people are shown is what happens. */
let h: BookingHarness;
beforeAll(async () => {
  h = await startBookingHarness('deadlines');
}, 120_000);
afterAll(() => h?.close());

const DAY = 86_400_000;
const hardDeadlineOf = async (workflowId: string) => (await h.client.workflow.getHandle(workflowId).query(bookingStateQuery)).hardDeadline!;

test('when the hard deadline comes before the call-back SLA, then the call-back is due at the deadline and operators are reminded before the booking expires', async () => {
  const deps = h.deps({ callbackSla: { ms: 60_000 }, hardDeadline: { ms: 4_000 } });
  const booking = await submitFresh(h, deps);
  const deadline = await hardDeadlineOf(booking.workflowId);
  expect(booking.dueAt).toBe(deadline);

  const expired = await waitForStatus(h, deps, booking.id, 'EXPIRED', 20_000);
  expect(expired.timeline.map((event) => event.type)).toEqual(['SUBMITTED', 'SLA_REMINDED', 'EXPIRED']);
}, 60_000);

test('when the details are agreed close to the hard deadline, then the add-ons window takes half the time left and the operator can still confirm', async () => {
  const deps = h.deps({ hardDeadline: { ms: 8_000 }, addonsWindow: { ms: 60_000 }, confirmationSla: { ms: 60_000 } });
  const booking = await submitFresh(h, deps);
  const deadline = Date.parse(await hardDeadlineOf(booking.workflowId));

  const before = Date.now();
  const agreed = await recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'AGREED' });
  const after = Date.now();
  // The workflow's clock reads some instant between the two.
  const windowEnds = Date.parse(agreed.dueAt!);
  expect(windowEnds).toBeGreaterThanOrEqual(before + Math.floor((deadline - before) / 2) - 1);
  expect(windowEnds).toBeLessThanOrEqual(after + Math.floor((deadline - after) / 2) + 1);

  const closed = await waitForStatus(h, deps, booking.id, 'AWAITING_CONFIRMATION', 15_000);
  expect(closed.timeline.at(-1)?.type).toBe('ADDONS_WINDOW_CLOSED');
  expect(Date.parse(closed.dueAt!)).toBe(deadline);
  expect((await confirmBooking(deps, h.fixtures.operator, booking.id)).status).toBe('CONFIRMED');
}, 60_000);

test('when a worker catching up gets an operator\'s call-back together with the hard deadline that passed before it, then the call-back is refused and the booking expires', async () => {
  const deps = h.deps({ hardDeadline: { ms: 3_000 } });
  const booking = await submitFresh(h, deps);
  const deadline = Date.parse(await hardDeadlineOf(booking.workflowId));
  await h.stopWorker();
  let callback: Promise<string> | undefined;
  try {
    await waitFor(() => Date.now() > deadline + 200, { timeoutMs: 10_000, description: 'the hard deadline to pass with no worker' });
    // Sent while no worker runs: it reaches the workflow in the same task as the deadline's timer.
    callback = errorTypeOf(recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'AGREED' }));
  } finally {
    await h.startWorker();
  }
  expect(await callback).toBe('INVALID_STATE');
  const expired = await waitForStatus(h, deps, booking.id, 'EXPIRED', 20_000);
  expect(expired.timeline.map((event) => event.type)).not.toContain('CALLBACK_AGREED');
}, 60_000);

test('when a booking was started under a newer workflow revision than the worker knows, then its workflow task fails and is retried instead of running old behaviour', async () => {
  const { key: _key, ...input } = await workflowInputFor(h, testPolicy(), WORKFLOW_REVISION + 1);
  const workflowId = workflowIdFor(input.bookingId);
  const handle = await h.client.workflow.start(BOOKING_WORKFLOW_TYPE, { args: [input], taskQueue: h.taskQueue, workflowId });
  try {
    const failed = await waitFor(
      async () => (await historyOf(h, workflowId)).find((event) => event.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes,
      { timeoutMs: 20_000, description: 'a failed workflow task' },
    );
    // Failure texts are encrypted in history like every payload (src/codec/failure-converter.ts).
    const [attributes] = await testCodec().decode([failed.failure!.encodedAttributes!]);
    expect(JSON.parse(Buffer.from(attributes.data!).toString('utf8')).message).toContain(`revision ${WORKFLOW_REVISION + 1}`);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect((await historyOf(h, workflowId)).some((event) => event.activityTaskScheduledEventAttributes || event.markerRecordedEventAttributes)).toBe(false);
  } finally {
    await handle.terminate('test over');
  }
}, 60_000);

test('when the days after a submission are public holidays in the production calendar, then the call-back counted in working days is due after them, its reminder falls in office hours, and the calendar travels with the booking', async () => {
  // The submission's day is worked, the three days after it are days off and the fourth is worked,
  // weekend or not (as a decree can make a Saturday): whatever the weekday the test runs on, one
  // working day is four days, which counting Monday to Friday never gives. Office hours span the
  // whole day, so the count starts at the submission whatever the hour.
  let calendar: WorkCalendar | undefined;
  const holidaysAhead = (): WorkCalendar => {
    const dateIn = (days: number) => toMoscow(new Date(Date.now() + days * DAY)).date;
    const today = isoWeekdayOf(dateIn(0)) >= 6 ? [dateIn(0)] : [];
    calendar = { from: dateIn(-1), to: dateIn(30), daysOff: [dateIn(1), dateIn(2), dateIn(3)], workedWeekends: [...today, dateIn(4)], officeHours: { opens: 0, closes: 24 * 60 } };
    return calendar;
  };
  const deps = { ...h.deps({ callbackSla: workingDays(1), hardDeadline: workingDays(5) }), workCalendar: holidaysAhead };
  const booking = await submitFresh(h, deps, { startInMs: 20 * DAY });

  const createdAt = new Date(booking.createdAt);
  expect(toMoscow(new Date(createdAt.getTime() + DAY)).date).toBe(calendar!.daysOff[0]);
  expect(booking.dueAt).toBe(new Date(createdAt.getTime() + 4 * DAY).toISOString());
  const [{ workflowExecutionStartedEventAttributes: started }] = await historyOf(h, booking.workflowId);
  const [input] = await testCodec().decode(started!.input!.payloads!);
  expect(JSON.parse(Buffer.from(input.data!).toString('utf8')).workCalendar).toEqual(calendar);

  // The reminder is the workflow's next timer: halfway through the office hours of the submission's
  // day and the fourth day, a day and more away from half the time (a day off).
  const reminder = officeTimeMidpoint(createdAt, new Date(booking.dueAt!), calendar)!.getTime();
  expect(Math.abs(reminder - halfway(createdAt, new Date(booking.dueAt!)).getTime())).toBeGreaterThanOrEqual(DAY);
  // The first timer longer than the wait for the submission.
  const timer = await waitFor(
    async () => (await historyOf(h, booking.workflowId)).find((event) => (optionalTsToMs(event.timerStartedEventAttributes?.startToFireTimeout) ?? 0) > 60_000),
    { timeoutMs: 15_000, description: 'the reminder timer' },
  );
  // A timer fires its start-to-fire timeout after the workflow task that set it (its time: the workflow's clock).
  const firesAt = tsToMs(timer.eventTime) + tsToMs(timer.timerStartedEventAttributes!.startToFireTimeout);
  expect(Math.abs(firesAt - reminder)).toBeLessThan(5_000);
}, 60_000);
