import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { BookingActivities } from '../../activities';

export interface BookingWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: BookingActivities;
  /**
   * How payloads and failures are converted: bookingDataConverter(codec) from src/codec, so
   * history holds no personal data. Required, so no worker writes it in clear by omission.
   * A pre-built workflowBundle must be bundled with the same failureConverterPath.
   */
  dataConverter: DataConverter;
  /** A pre-built bundle (tests build one per file); otherwise workflows/ is bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  identity?: string;
  /** Seconds to let running activities finish on shutdown. */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
}

/** The workflows' entry for bundling. */
export const WORKFLOWS_PATH = require.resolve('../../workflows');

/**
 * Sized for a 2-core machine: one workflow thread with a reused V8 context, modest slots.
 * Local activities (the slot hold, inside the resident's synchronous submission) are bounded by
 * the database pool (pg's default of 10 connections): more slots than connections only queue
 * inside the pool, where a burst (500 submissions at once) turns waits into connect timeouts
 * and retries; queued in the SDK they simply wait. Regular activities (e-mails after the
 * submission, projections) are background work that competes for the same CPU: 4 at a time
 * keeps submissions answered under load (npm run bench, docs/BENCHMARKS.md) while e-mails
 * follow with some delay. The submission's own e-mail goes through the outbox dispatcher
 * (activities/email/mail-outbox.ts), which has 4 sends of its own.
 * Shared with the benchmark's trivial worker, so both scenarios run with the same tuning.
 */
export const BOOKING_WORKER_TUNING = {
  reuseV8Context: true,
  workflowThreadPoolSize: 1,
  maxConcurrentWorkflowTaskExecutions: 20,
  maxConcurrentActivityTaskExecutions: 4,
  maxConcurrentLocalActivityExecutions: 10,
  maxCachedWorkflows: 500,
} satisfies Partial<WorkerOptions>;

/** The booking worker: workflows from workflows/, activities built by createActivities(). */
export function createBookingWorker(options: BookingWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    dataConverter: options.dataConverter,
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    ...BOOKING_WORKER_TUNING,
    shutdownGraceTime: options.shutdownGraceTime ?? '10 seconds',
  });
}
