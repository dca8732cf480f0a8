import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime, type NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { startMailOutbox, type MailOutbox } from '../../activities/email/mail-outbox';
import { outboxSender } from '../../activities/email/staff-email';
import type { BookingServiceDeps } from '../../src/bookings';
import { createPrismaClient, type PrismaClient } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migrate';
import { createThrowawayDatabase, type TestDatabase } from '../support/db';
import type { BookingPolicy } from '../../src/domain/policy';
import { testPolicy } from '../../src/domain/policy';
import type { SlotRules } from '../../src/domain/slot-rules';
import { FAILURE_CONVERTER_PATH } from '../../src/codec';
import { createBookingWorker, WORKFLOWS_PATH } from '../../src/worker/create-worker';
import { testDataConverter } from '../support/payload-codec';
import { startTestInbox, type TestInbox } from '../support/smtp';
import { createTestClient, createTestWorkerConnection, TEST_NAMESPACE, uniqueTaskQueue } from '../support/temporal';
import { createBookingFixtures, type BookingFixtures } from './fixtures';

/** Slot rules for tests: any second from now on, whole seconds, up to 12 h. */
export const TEST_SLOT_RULES: SlotRules = {
  minLeadMs: 0,
  horizonMs: 180 * 86_400_000,
  minDurationMs: 1_000,
  maxDurationMs: 12 * 3_600_000,
  stepMs: 1_000,
};

export interface BookingHarness {
  prisma: PrismaClient;
  /** The harness's private database, for processes of their own (e.g. a worker to kill). */
  databaseUrl: string;
  client: Client;
  inbox: TestInbox;
  fixtures: BookingFixtures;
  taskQueue: string;
  deps(policy?: Partial<BookingPolicy>): BookingServiceDeps;
  /** The running worker; stop it with stopWorker(), start a fresh one with startWorker(). */
  worker(): Worker;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/** Worker and workflow logs at WARN, so test output stays readable (once per process). */
export function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by an earlier harness in this process.
  }
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle (with the service's failure converter), built once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as never,
  });
  return bundle;
}

/**
 * A private, migrated database with its own small catalog; the run's Temporal dev server; a
 * real SMTP server in process; a real worker with the real activities on its own task queue.
 * Client and worker encrypt payloads like the service does, with the test-only key.
 */
export async function startBookingHarness(label: string): Promise<BookingHarness> {
  quietRuntime();
  const database: TestDatabase = await createThrowawayDatabase(label);
  await applyMigrations(database.url);
  const prisma = createPrismaClient(database.url);
  const fixtures = await createBookingFixtures(prisma);
  const inbox = await startTestInbox();
  const dataConverter = testDataConverter();
  const client = await createTestClient({ dataConverter });
  const connection: NativeConnection = await createTestWorkerConnection();
  const taskQueue = uniqueTaskQueue(label);
  const config = { mail: { from: 'Открытый ДК <no-reply@opendk.test>', outboxDir: '/nonexistent' }, http: { publicUrl: 'http://opendk.test' } };
  const activities = createActivities({ prisma, mailer: inbox.mailer, config });

  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let outbox: MailOutbox | undefined;
  const harness: BookingHarness = {
    prisma,
    databaseUrl: database.url,
    client,
    inbox,
    fixtures,
    taskQueue,
    deps: (policy) => ({ prisma, temporal: client, taskQueue, policy: testPolicy(policy), slotRules: TEST_SLOT_RULES }),
    worker: () => worker!,
    async startWorker() {
      worker = await createBookingWorker({
        connection,
        namespace: TEST_NAMESPACE,
        taskQueue,
        activities,
        dataConverter,
        workflowBundle: await workflowBundle(),
        shutdownGraceTime: '1 second',
      });
      running = worker.run();
      // The worker process's outbox dispatcher, polling faster so tests wait less.
      outbox = startMailOutbox({ prisma, send: outboxSender({ prisma, mailer: inbox.mailer, config }, activities.sendBookingEmail), pollIntervalMs: 100 });
    },
    async stopWorker() {
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await outbox?.stop();
      worker = undefined;
      outbox = undefined;
    },
    async close() {
      await harness.stopWorker();
      await connection.close();
      await client.connection.close();
      await inbox.close();
      await prisma.$disconnect();
      await database.drop();
    },
  };
  await harness.startWorker();
  return harness;
}
