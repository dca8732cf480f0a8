import fs from 'node:fs';
import { createActivities } from '../../activities';
import { startMailOutbox } from '../../activities/email/mail-outbox';
import { outboxSender } from '../../activities/email/staff-email';
import { AesGcmPayloadCodec, bookingDataConverter, resolvePayloadKeys } from '../codec';
import { loadConfig } from '../config';
import { onStopSignal } from '../infra/process-tools';
import { connectWorkerTemporal } from '../infra/temporal-connection';
import { createPrismaClient, SERVICE_QUERY_TIMEOUT_MS } from '../db/client';
import { createLogger } from '../logger';
import { createMailer } from '../mail/create-mailer';
import { createEmailMetrics, createMetricsRegistry, readSdkMetrics, registerBookingStatusGauge, startMetricsServer } from '../metrics';
import { createBookingWorker } from './create-worker';
import { logOutboxError } from './outbox-log';
import { installSdkRuntime } from './sdk-runtime';
import { sdkLogger } from './sdk-logger';

/** The worker process: `tsx src/worker/main.ts`. Stops cleanly on SIGINT / SIGTERM. */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // The SDK's own metrics are served by its core on a loopback port and merged into /metrics below.
  const sdkPort = await installSdkRuntime({ logger: sdkLogger(logger) }, config.metrics.sdkPort);
  if (!config.database.url) throw new Error('DATABASE_URL must be set for the worker (the dev launcher sets it for the embedded database)');
  const codec = new AesGcmPayloadCodec(resolvePayloadKeys(config.codec, (message) => logger.info(message)));
  const prisma = createPrismaClient(config.database.url, { queryTimeoutMs: SERVICE_QUERY_TIMEOUT_MS });
  const mailer = createMailer(config.mail);
  const connection = await connectWorkerTemporal(config.temporal);
  const metrics = createMetricsRegistry('worker');
  registerBookingStatusGauge(metrics, prisma);
  const metricsServer = await startMetricsServer({
    registry: metrics,
    host: config.metrics.host,
    port: config.metrics.port,
    token: config.metrics.token,
    extra: () => readSdkMetrics(sdkPort),
  });
  logger.info({ metricsPort: metricsServer.port, sdkMetricsPort: sdkPort }, 'worker metrics listening');
  // The Docker image carries a bundle built at image build time (WORKFLOW_BUNDLE_PATH): no webpack run at start.
  const bundlePath = config.worker.bundlePath;
  if (bundlePath && !fs.existsSync(bundlePath)) throw new Error(`WORKFLOW_BUNDLE_PATH names no file (${bundlePath}); build it with npm run build:workflows`);
  const email = createEmailMetrics(metrics);
  const activities = createActivities({ prisma, mailer, config, metrics: { email } });
  const outbox = startMailOutbox({ prisma, send: outboxSender({ prisma, mailer, config, metrics: { email } }, activities.sendBookingEmail), onError: logOutboxError(logger) });
  // No new claims once asked to stop, while the SDK drains the workflow and activity tasks: rows
  // claimed now would only hold up the exit (and stay leased for the next worker).
  onStopSignal(() => void outbox.stop());
  try {
    const worker = await createBookingWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      activities,
      dataConverter: bookingDataConverter(codec),
      ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : {}),
    });
    await worker.run(); // the SDK shuts the worker down on SIGINT / SIGTERM
  } finally {
    await outbox.stop(); // the e-mails in flight go out before the mailer closes
    await metricsServer.close();
    await connection.close();
    await mailer.close();
    await prisma.$disconnect();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
