import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { confirmBooking, recordCallback, submitAddOns, submitBooking } from '../../src/bookings';
import { testTemporalAddress } from '../support/temporal';
import { TEST_PAYLOAD_KEYS_ENV } from '../support/payload-codec';
import { waitFor } from '../support/wait';
import { startBookingHarness, type BookingHarness } from './harness';
import { waitForQuietHistory, waitForStatus } from './flow';
import { bookingBody, newKey } from './requests';

/**
 * The worker as its own process (`src/worker/main.ts`, as production runs it), killed with
 * SIGKILL while the booking is in flight: no graceful drain, activities cut off mid-way.
 */
let h: BookingHarness;
const workers = new Set<ChildProcess>();

beforeAll(async () => {
  h = await startBookingHarness('kill');
  await h.stopWorker();
}, 120_000);

afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await h?.close();
});

function startWorkerProcess(): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../../src/worker/main.ts')], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      DATABASE_URL: h.databaseUrl,
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_TASK_QUEUE: h.taskQueue,
      SMTP_URL: h.inbox.url,
      PAYLOAD_KEYS: TEST_PAYLOAD_KEYS_ENV,
      // Any free ports: other runs on this machine may hold the default metrics ports.
      METRICS_PORT: '0',
      TEMPORAL_SDK_METRICS_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workers.add(child);
  child.once('exit', () => workers.delete(child));
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // The SDK logs this at debug level once the worker polls its task queue.
      if (/Worker state changed[\s\S]*RUNNING|"state":"RUNNING"/.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready:\n${output.slice(-2000)}`)));
  });
  return { child, ready };
}

test('when the worker process is killed with SIGKILL mid-flow and started again, then the booking reaches COMPLETED and no e-mail is lost or repeated but for a hand-over the kill interrupted', async () => {
  const deps = h.deps({ residentReminderBefore: { ms: 5_000 } });
  const { resident, operator } = h.fixtures;
  const first = startWorkerProcess();
  await first.ready;

  const roomId = await h.fixtures.newRoom();
  const booking = await submitBooking(deps, { residentId: resident.id, idempotencyKey: newKey(), body: bookingBody(roomId, 15_000, 2_000) });
  await recordCallback(deps, operator, booking.id, { outcome: 'AGREED' });
  await submitAddOns(deps, resident, booking.id);
  await confirmBooking(deps, operator, booking.id);
  // Confirmation e-mail and projection are in flight; the reminder and completion timers pending.
  first.child.kill('SIGKILL');
  await waitFor(() => first.child.exitCode !== null || first.child.signalCode !== null, { timeoutMs: 5_000, description: 'the killed worker to exit' });

  const second = startWorkerProcess();
  await second.ready;
  await waitForStatus(h, deps, booking.id, 'COMPLETED', 60_000);
  // An activity the killed worker held is retried only after its start-to-close timeout (30 s for
  // e-mails); one it killed mid hand-over, once the ledger's claim runs out (75 s).
  await waitForQuietHistory(h, booking.workflowId, 150_000);

  // An e-mail the killed worker had claimed from the outbox goes out after its lease (60 s); one
  // it was handing over, after the ledger's claim (75 s) and the retry's back-off.
  // Both, polled together: an outbox row still within its lease has no ledger row yet, and the
  // outbox marks a row sent only after its ledger row is SENT.
  const unsent = async () => ({
    ledger: await h.prisma.emailLedger.count({ where: { bookingId: booking.id, status: { not: 'SENT' } } }),
    outbox: await h.prisma.mailOutbox.count({ where: { bookingId: booking.id, sentAt: null } }),
  });
  await waitFor(async () => {
    const left = await unsent();
    return left.ledger === 0 && left.outbox === 0;
  }, {
    timeoutMs: 150_000,
    intervalMs: 500,
    description: 'every ledger row of the booking to be SENT and every outbox row sent',
  });
  expect(await unsent()).toEqual({ ledger: 0, outbox: 0 });

  // Each message reached the resident once, unless the kill fell between the mail server's
  // acceptance and the ledger's SENT mark: then the copy keeps its Message-ID and the ledger
  // counts the second hand-over (sending is at-least-once, see the README).
  const ledger = await h.prisma.emailLedger.findMany({ where: { bookingId: booking.id, recipient: resident.email } });
  const received = h.inbox.to(resident.email);
  for (const subject of [`Заявка ${booking.code} принята`, `Заявка ${booking.code}: бронь подтверждена`]) {
    const copies = received.filter((mail) => mail.subject?.startsWith(`${subject} / `));
    expect(copies.length).toBeGreaterThanOrEqual(1);
    expect(new Set(copies.map((mail) => mail.messageId)).size).toBe(1);
    const row = ledger.find((entry) => entry.messageId === copies[0].messageId);
    expect(copies.length).toBeLessThanOrEqual(row?.sendAttempts ?? 0);
  }
  expect(received.filter((mail) => mail.subject?.startsWith('Напоминание:'))).toHaveLength(1);
  const hold = await h.prisma.slotHold.findUniqueOrThrow({ where: { bookingId: booking.id } });
  expect(hold.active).toBe(true);
}, 300_000);
