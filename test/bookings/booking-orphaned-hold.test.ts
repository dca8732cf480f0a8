import { ApplicationFailure } from '@temporalio/common';
import { createActivities, type HoldSlotInput } from '../../activities';
import { recordCallback, submitBooking } from '../../src/bookings';
import { createBookingWorker } from '../../src/worker/create-worker';
import { workflowIdFor } from '../../src/bookings/ids';
import { testPolicy } from '../../src/domain/policy';
import { BOOKING_WORKFLOW_TYPE, bookingStateQuery, WORKFLOW_REVISION, type BookingWorkflowInput } from '../../workflows/booking.messages';
import { DistrictKey, VenueIdKey } from '../../workflows/search-attributes';
import { testDataConverter } from '../support/payload-codec';
import { createTestWorkerConnection, TEST_NAMESPACE } from '../support/temporal';
import { waitFor } from '../support/wait';
import { startBookingHarness, workflowBundle, type BookingHarness } from './harness';
import { errorTypeOf, historyOf, waitForMail, waitForStatus, workflowInputFor } from './flow';
import { bookingBody, newKey } from './requests';

/**
 * The Temporal server can lose a submission it had not yet recorded, after the worker's local
 * activity already committed the hold; the resident's retry is then answered from the
 * database. The workflow must take such a booking over rather than leave it without a driver.
 */
let h: BookingHarness;
beforeAll(async () => {
  h = await startBookingHarness('orphan');
}, 120_000);
afterAll(() => h?.close());

const inputFor = () => workflowInputFor(h, testPolicy({ submitWaitMs: 2_000 }));

test.each([
  ['a booking started before workflow revisions', undefined],
  ['a booking of the current revision (its read waits out the hold window)', WORKFLOW_REVISION],
])('when a hold was committed but the submission never reached the workflow (%s), then the workflow adopts the booking and operators can work it', async (_label, revision) => {
  const { key, ...started } = await inputFor();
  const input: BookingWorkflowInput = { ...started, revision, policy: { ...started.policy, holdWindowMs: 1_000 } };
  const activities = createActivities({ prisma: h.prisma, mailer: h.inbox.mailer, config: { mail: { from: 'x <x@opendk.test>', outboxDir: '/nonexistent' }, http: { publicUrl: 'http://opendk.test' } } });
  await activities.holdSlot({
    ...input,
    workflowId: workflowIdFor(input.bookingId),
    eventTitle: 'Сбор совета дома',
    eventType: 'MEETING',
    attendees: 10,
    contactPhone: '+79160000000',
    comment: null,
    roomPrice: 100_000,
    idempotencyKey: key,
    requestHash: 'lost-update',
    addOns: [{ code: 'CATERING', quantity: 1, note: null, listPrice: 50_000 }],
    submittedAt: new Date().toISOString(),
    dueAt: new Date(Date.now() + 60_000).toISOString(),
  });

  await h.client.workflow.start(BOOKING_WORKFLOW_TYPE, { args: [input], taskQueue: h.taskQueue, workflowId: workflowIdFor(input.bookingId) });
  const deps = h.deps();
  const handle = h.client.workflow.getHandle(workflowIdFor(input.bookingId));
  await waitFor(async () => (await handle.query(bookingStateQuery)).status === 'AWAITING_CALLBACK', { timeoutMs: 20_000, description: 'the workflow to adopt the hold' });
  const description = await handle.describe();
  expect(description.status.name).toBe('RUNNING');
  // Started without the place's search attributes (as before the service set them at the start): the workflow sets them.
  expect(description.typedSearchAttributes.get(VenueIdKey)).toBe(String(input.venueId));
  expect(description.typedSearchAttributes.get(DistrictKey)).toBe(input.districtName);
  await recordCallback(deps, h.fixtures.operator, input.bookingId, { outcome: 'AGREED' });
  const view = await waitForStatus(h, deps, input.bookingId, 'ADDONS');
  expect(view.addOns.map((line) => line.code)).toEqual(['CATERING']);
  // This booking's own e-mail: the resident's inbox already holds the other case's.
  await waitForMail(h, h.fixtures.resident.email, (mail) => mail.subject?.startsWith(`Заявка ${view.code}: детали согласованы`));
});

test('when no submission arrives and nothing was held, then the workflow ends as NOT_SUBMITTED and leaves nothing behind', async () => {
  const { key: _key, ...input } = await inputFor();
  const handle = await h.client.workflow.start(BOOKING_WORKFLOW_TYPE, { args: [input], taskQueue: h.taskQueue, workflowId: workflowIdFor(input.bookingId) });
  expect(await handle.result()).toBe('NOT_SUBMITTED');
  expect(await h.prisma.booking.count({ where: { id: input.bookingId } })).toBe(0);
});

test('when the resident retries while the run looks for a lost submission\'s hold, then the retry is told to try again (503), and once nothing is found the next one makes the booking', async () => {
  const deps = h.deps();
  const { key, ...started } = await workflowInputFor(h, testPolicy({ submitWaitMs: 300, holdWindowMs: 5_000 }), WORKFLOW_REVISION);
  const handle = await h.client.workflow.start(BOOKING_WORKFLOW_TYPE, { args: [started], taskQueue: h.taskQueue, workflowId: workflowIdFor(started.bookingId) });
  // The wait for the submission timed out and the run sleeps out the hold window (its second timer).
  await waitFor(async () => (await historyOf(h, handle.workflowId)).filter((event) => event.timerStartedEventAttributes).length >= 2, { timeoutMs: 20_000, description: 'the run to look for a lost hold' });
  const command = { residentId: h.fixtures.resident.id, idempotencyKey: key, body: bookingBody(await h.fixtures.newRoom(), 86_400_000) };
  expect(await errorTypeOf(submitBooking(deps, command))).toBe('UNAVAILABLE');

  expect(await handle.result()).toBe('NOT_SUBMITTED');
  expect((await submitBooking(deps, command)).status).toBe('AWAITING_CALLBACK');
});

/**
 * Runs `body` with the harness's worker replaced by one whose hold first does what `hold`
 * says: the real hold is passed in, so a test can commit and then lose the answer.
 */
async function withHold(hold: (real: (input: HoldSlotInput) => Promise<unknown>, input: HoldSlotInput) => Promise<unknown>, body: () => Promise<void>) {
  await h.stopWorker();
  const connection = await createTestWorkerConnection();
  const real = createActivities({ prisma: h.prisma, mailer: h.inbox.mailer, config: { mail: { from: 'x <x@opendk.test>', outboxDir: '/nonexistent' }, http: { publicUrl: 'http://opendk.test' } } });
  const worker = await createBookingWorker({
    connection,
    namespace: TEST_NAMESPACE,
    taskQueue: h.taskQueue,
    activities: { ...real, holdSlot: (input: HoldSlotInput) => hold(real.holdSlot, input) as ReturnType<typeof real.holdSlot> },
    dataConverter: testDataConverter(),
    workflowBundle: await workflowBundle(),
    shutdownGraceTime: '1 second',
  });
  const running = worker.run();
  try {
    await body();
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
    await h.startWorker();
  }
}

const answerLost = () => ApplicationFailure.create({ type: 'TEST_ANSWER_LOST', message: 'the database answer was lost', nonRetryable: true });

test('when the hold committed but its answer was lost, then the resident is told to retry, the retry gets the booking, and after the hold window the workflow adopts it', async () => {
  await withHold(
    async (real, input) => {
      await real(input);
      throw answerLost();
    },
    async () => {
      const deps = h.deps({ holdWindowMs: 2_000 });
      const command = { residentId: h.fixtures.resident.id, idempotencyKey: newKey(), body: bookingBody(await h.fixtures.newRoom(), 86_400_000) };
      expect(await errorTypeOf(submitBooking(deps, command))).toBe('UNAVAILABLE');
      const retried = await submitBooking(deps, command);
      expect(retried.status).toBe('AWAITING_CALLBACK');

      const handle = h.client.workflow.getHandle(retried.workflowId);
      await waitFor(async () => (await handle.query(bookingStateQuery)).status === 'AWAITING_CALLBACK', { timeoutMs: 20_000, description: 'the workflow to adopt the hold after its window' });
      expect((await handle.describe()).status.name).toBe('RUNNING');
      await recordCallback(deps, h.fixtures.operator, retried.id, { outcome: 'AGREED' });
      await waitForStatus(h, deps, retried.id, 'ADDONS');
    },
  );
});

test('when the hold failed without the database answering, then retries get 503 until the hold window is over, then one with other details under the key is refused and the same one goes through', async () => {
  let calls = 0;
  await withHold(
    async (real, input) => {
      calls += 1;
      if (calls === 1) throw answerLost();
      return real(input);
    },
    async () => {
      const deps = h.deps({ holdWindowMs: 2_000 });
      const command = { residentId: h.fixtures.resident.id, idempotencyKey: newKey(), body: bookingBody(await h.fixtures.newRoom(), 86_400_000) };
      expect(await errorTypeOf(submitBooking(deps, command))).toBe('UNAVAILABLE');
      expect(await errorTypeOf(submitBooking(deps, command))).toBe('UNAVAILABLE'); // still settling: no second hold yet
      expect(calls).toBe(1);
      // The fresh run takes only the request the first run was given (the room and time are its input).
      const changed = { ...command, body: { ...command.body, attendees: command.body.attendees + 1 } };
      const refusal = await waitFor(
        async () => {
          const type = await errorTypeOf(submitBooking(deps, changed));
          return type !== 'UNAVAILABLE' && type;
        },
        { timeoutMs: 20_000, intervalMs: 250, description: 'the first attempt to be settled' },
      );
      expect(refusal).toBe('IDEMPOTENCY_MISMATCH');
      const booking = await submitBooking(deps, command);
      expect(booking.status).toBe('AWAITING_CALLBACK');
      expect(await h.prisma.booking.count({ where: { id: booking.id } })).toBe(1);
    },
  );
});
