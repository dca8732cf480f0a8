import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { submitBooking } from '../../src/bookings';
import { createPrismaClient, type PrismaClient } from '../../src/db/client';
import { testPolicy } from '../../src/domain/policy';
import { moscowInstant, toMoscow } from '../../src/domain/moscow-time';
import { findFreePort } from '../../src/infra/process-tools';
import { createBookingFixtures, type BookingFixtures } from '../bookings/fixtures';
import { TEST_SLOT_RULES } from '../bookings/harness';
import { bookingBody, newKey } from '../bookings/requests';
import { testDatabaseUrl } from '../support/db';
import { TEST_PAYLOAD_KEYS_ENV, testDataConverter } from '../support/payload-codec';
import { startTestInbox, type TestInbox } from '../support/smtp';
import { createTestClient, testTemporalAddress, uniqueTaskQueue } from '../support/temporal';
import { waitFor } from '../support/wait';

/**
 * The worker process as deployed (`src/worker/main.ts` in a process of its own), with a
 * workflow bundle built ahead by `scripts/build-workflow-bundle.ts` as the Docker image does:
 * its /metrics carries the Temporal SDK's own metrics, bookings by status and e-mails sent; on
 * SIGTERM it drains and exits 0.
 */

/** A slot tomorrow at noon, Moscow time, is inside a room's day whenever the suite runs. */
const untilTomorrowNoonMs = () => moscowInstant(toMoscow(new Date(Date.now() + 86_400_000)).date, 12 * 60).getTime() - Date.now();

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '../..');
const TOKEN = 'worker-metrics-token-0123456789';
let dir: string;
let prisma: PrismaClient;
let fixtures: BookingFixtures;
let inbox: TestInbox;
let client: Client;
let worker: ChildProcess | undefined;
let output = '';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-worker-process-'));
  prisma = createPrismaClient(testDatabaseUrl());
  fixtures = await createBookingFixtures(prisma);
  inbox = await startTestInbox();
  client = await createTestClient({ dataConverter: testDataConverter() });
});

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await client?.connection.close();
  await inbox?.close();
  await prisma?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('when run as its own process, then /metrics has SDK, booking and e-mail metrics, and SIGTERM drains it to exit 0', async () => {
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  const built = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-workflow-bundle.ts'], { cwd: ROOT, env: { ...process.env, WORKFLOW_BUNDLE_PATH: bundlePath }, encoding: 'utf8' });
  expect({ status: built.status, error: built.status === 0 ? '' : built.stderr }).toEqual({ status: 0, error: '' });
  expect(fs.statSync(bundlePath).size).toBeGreaterThan(100_000);

  const taskQueue = uniqueTaskQueue('worker-process');
  const metricsPort = await findFreePort();
  worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: testDatabaseUrl(),
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      PAYLOAD_KEYS: TEST_PAYLOAD_KEYS_ENV,
      SMTP_URL: inbox.url,
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: String(metricsPort),
      METRICS_TOKEN: TOKEN,
      TEMPORAL_SDK_METRICS_PORT: String(await findFreePort()),
      WORKFLOW_BUNDLE_PATH: bundlePath,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout!.on('data', (chunk) => (output += chunk));
  worker.stderr!.on('data', (chunk) => (output += chunk));

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

  const roomId = await fixtures.newRoom();
  const booking = await submitBooking(
    { prisma, temporal: client, taskQueue, policy: testPolicy(), slotRules: TEST_SLOT_RULES },
    { residentId: fixtures.resident.id!, idempotencyKey: newKey(), body: bookingBody(roomId, untilTomorrowNoonMs()) },
  ).catch((error) => {
    throw new Error(JSON.stringify(error.fieldErrors ?? error.message));
  });
  expect(booking.status).toBe('AWAITING_CALLBACK');
  await inbox.waitForMessages(fixtures.resident.email, 1, 60_000);
  const after = await waitFor(async () => (await scrape())?.match(/^opendk_emails_sent_total\{kind="SUBMITTED",service="worker"\} (\d+)$/m), {
    timeoutMs: 30_000,
    intervalMs: 250,
    description: 'the e-mail counter to count the submission e-mails',
  });
  expect(Number(after[1])).toBeGreaterThanOrEqual(1);

  const exited = new Promise<number | null>((resolve) => worker!.once('exit', (code) => resolve(code)));
  const stopping = Date.now();
  worker.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(Date.now() - stopping).toBeLessThan(20_000);
});
