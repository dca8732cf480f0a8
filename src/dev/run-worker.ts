import type { PayloadCodec } from '@temporalio/common';
import type { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { startMailOutbox } from '../../activities/email/mail-outbox';
import { outboxSender } from '../../activities/email/staff-email';
import type { Logger } from '../logger';
import { logOutboxError } from '../worker/outbox-log';
import { bookingDataConverter } from '../codec';
import type { Config } from '../config';
import type { PrismaClient } from '../db/client';
import type { Mailer } from '../mail/mailer';
import { createEmailMetrics, type Registry } from '../metrics';
import { createBookingWorker } from '../worker/create-worker';

/**
 * Runs the booking worker inside the launcher's process; stop() drains it. A worker that fails by
 * itself (a fatal SDK error) is reported to `onFailure`, so the launcher can stop the rest in order.
 */
export async function startBookingWorker(deps: {
  config: Config;
  connection: NativeConnection;
  prisma: PrismaClient;
  mailer: Mailer;
  codec: PayloadCodec;
  logger: Logger;
  metrics?: Registry;
  onFailure(error: unknown): void;
}) {
  const metrics = deps.metrics ? { email: createEmailMetrics(deps.metrics) } : undefined;
  const activities = createActivities({ prisma: deps.prisma, mailer: deps.mailer, config: deps.config, metrics });
  const worker = await createBookingWorker({
    connection: deps.connection,
    namespace: deps.config.temporal.namespace,
    taskQueue: deps.config.temporal.taskQueue,
    activities,
    dataConverter: bookingDataConverter(deps.codec),
  });
  const running = worker.run().catch(deps.onFailure);
  const outbox = startMailOutbox({ prisma: deps.prisma, send: outboxSender({ ...deps, metrics }, activities.sendBookingEmail), onError: logOutboxError(deps.logger) });
  return {
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await outbox.stop();
    },
  };
}
