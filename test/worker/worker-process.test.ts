import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { submitBooking } from '../../src/bookings';
import { createPrismaClient, type PrismaClient } from '../../src/db/client';
import { testPolicy } from '../../src/domain/policy';
import { moscowInstant, toMoscow } from '../../src/domain/moscow-time';
import { createBookingFixtures, type BookingFixtures } from '../bookings/fixtures';
import { TEST_SLOT_RULES } from '../bookings/harness';
import { bookingBody, newKey } from '../bookings/requests';
import { testDatabaseUrl } from '../support/db';
import { TEST_PAYLOAD_KEYS_ENV, testDataConverter } from '../support/payload-codec';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { createTestClient, testTemporalAddress, uniqueTaskQueue } from '../support/temporal';
import { loggedPorts } from '../support/process-log';
import { waitFor } from '../support/wait';

/**
 * The worker process as deployed (`src/worker/main.ts` in a process of its own), with a
 * workflow bundle built ahead by `scripts/build-workflow-bundle.ts` as the Docker image does:
 * its /metrics carries the Temporal SDK's own metrics, bookings by status and e-mails sent; on
 * SIGTERM with an e-mail in flight (the SMTP server holds the message) it stops
 * polling, lets the activity finish, and exits 0.
 */

/** A real SMTP server whose acceptance of messages can be held, to keep an activity in flight. */
async function startGatedSmtp() {
  const received: string[] = [];
  const held: (() => void)[] = [];
  let open = true;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
      stream.on('end', () => {
        const accept = () => {
          received.push(data);
          callback();
        };
        if (open) accept();
        else held.push(accept);
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    received,
    held: () => held.length,
    hold: () => void (open = false),
    release() {
      open = true;
      for (const accept of held.splice(0)) accept();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A slot tomorrow at noon, Moscow time, is inside a room's day whenever the suite runs. */
const untilTomorrowNoonMs = () => moscowInstant(toMoscow(new Date(Date.now() + 86_400_000)).date, 12 * 60).getTime() - Date.now();

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '../..');
const TOKEN = 'worker-metrics-token-0123456789';
let dir: string;
let prisma: PrismaClient;
let fixtures: BookingFixtures;
let smtp: Awaited<ReturnType<typeof startGatedSmtp>>;
let client: Client;
let worker: ChildProcess | undefined;
let output = '';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-worker-process-'));
  prisma = createPrismaClient(testDatabaseUrl());
  fixtures = await createBookingFixtures(prisma);
  smtp = await startGatedSmtp();
  client = await createTestClient({ dataConverter: testDataConverter() });
});

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await client?.connection.close();
  smtp?.release();
  await smtp?.close();
  await prisma?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('when run as its own process, then /metrics has SDK, booking and e-mail metrics, and SIGTERM lets the e-mail in flight finish, then exits 0', async () => {
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  const built = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-workflow-bundle.ts'], { cwd: ROOT, env: { ...process.env, WORKFLOW_BUNDLE_PATH: bundlePath }, encoding: 'utf8' });
  expect({ status: built.status, error: built.status === 0 ? '' : built.stderr }).toEqual({ status: 0, error: '' });
  expect(fs.statSync(bundlePath).size).toBeGreaterThan(100_000);

  const taskQueue = uniqueTaskQueue('worker-process');
  worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug', // the SDK's state changes, which show the worker draining
      DATABASE_URL: testDatabaseUrl(),
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      PAYLOAD_KEYS: TEST_PAYLOAD_KEYS_ENV,
      SMTP_URL: smtp.url,
      METRICS_HOST: '127.0.0.1',
      // Any free ports, bound by the worker itself and read from its log.
      METRICS_PORT: '0',
      METRICS_TOKEN: TOKEN,
      TEMPORAL_SDK_METRICS_PORT: '0',
      WORKFLOW_BUNDLE_PATH: bundlePath,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout!.on('data', (chunk) => (output += chunk));
  worker.stderr!.on('data', (chunk) => (output += chunk));

  const { metricsPort } = await waitFor(() => loggedPorts(output, 'worker metrics listening'), {
    timeoutMs: 60_000,
    description: `the worker to log its metrics port (output so far: ${output.slice(-2_000)})`,
  });
  const scrape = async () => {
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    return response.ok ? response.text() : undefined;
  };
  // The core's exporter fills once the worker polls.
  const first = await waitFor(async () => (await scrape())?.includes('temporal_') && scrape(), {
    timeoutMs: 120_000,
    intervalMs: 500,
    description: `the worker's /metrics with the SDK's metrics (output so far: ${output.slice(-2_000)})`,
  });
  expect(first).toMatch(/^opendk_bookings\{status="AWAITING_CALLBACK",service="worker"\} \d+$/m);
  expect(first).toMatch(/^temporal_\w+/m);
  expect(output).not.toMatch(/bundling|webpack/i);

  const deps = { prisma, temporal: client, taskQueue, policy: testPolicy(), slotRules: TEST_SLOT_RULES };
  const submit = async () =>
    submitBooking(deps, { residentId: fixtures.resident.id!, idempotencyKey: newKey(), body: bookingBody(await fixtures.newRoom(), untilTomorrowNoonMs()) });
  const booking = await submit();
  expect(booking.status).toBe('AWAITING_CALLBACK');
  const after = await waitFor(async () => (await scrape())?.match(/^opendk_emails_sent_total\{kind="SUBMITTED",service="worker"\} (\d+)$/m), {
    timeoutMs: 30_000,
    intervalMs: 250,
    description: 'the e-mail counter to count the submission e-mails',
  });
  expect(Number(after[1])).toBeGreaterThanOrEqual(1);

  // The next booking's e-mail (sent by the outbox dispatcher) is held at the SMTP server while the worker is told to stop.
  smtp.hold();
  const draining = await submit();
  // Held must be this booking's e-mail, not a late one of the first booking (it mails operators too).
  await waitFor(async () => smtp.held() > 0 && (await prisma.emailLedger.count({ where: { bookingId: draining.id } })) > 0, {
    timeoutMs: 30_000,
    description: "the draining booking's e-mail to reach the SMTP server",
  });
  const exited = new Promise<number | null>((resolve) => worker!.once('exit', (code) => resolve(code)));
  worker.kill('SIGTERM');
  // The SDK logs its state changes at LOG_LEVEL=debug: STOPPED means the Temporal worker is done,
  // so from here on only the e-mail in flight keeps the process alive.
  await waitFor(() => /"state":"STOPPED".*"msg":"Worker state changed"/.test(output), {
    timeoutMs: 30_000,
    description: `the worker to log that it stopped polling (output so far: ${output.slice(-2_000)})`,
  });
  expect(worker.exitCode).toBeNull(); // still draining: the e-mail has not gone out
  const unsent = await prisma.emailLedger.findMany({ where: { bookingId: draining.id, kind: 'SUBMITTED' }, select: { status: true } });
  expect(unsent.some((row) => row.status !== 'SENT')).toBe(true);
  smtp.release();
  expect(await exited).toBe(0);
  // The held e-mail went out before the process exited: the ledger says SENT, nothing PENDING.
  const ledger = await prisma.emailLedger.findMany({ where: { bookingId: draining.id, kind: 'SUBMITTED' }, select: { status: true } });
  expect(ledger.length).toBeGreaterThan(0);
  expect(ledger.every((row) => row.status === 'SENT')).toBe(true);
});
