import { Runtime } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { AesGcmPayloadCodec, bookingDataConverter, resolvePayloadKeys } from '../codec';
import { loadConfig } from '../config';
import { connectWorkerTemporal } from '../infra/temporal-connection';
import { createPrismaClient } from '../db/client';
import { createLogger } from '../logger';
import { createMailer } from '../mail/create-mailer';
import { createBookingWorker } from './create-worker';
import { sdkLogger } from './sdk-logger';

/** The worker process: `tsx src/worker/main.ts`. Stops cleanly on SIGINT / SIGTERM. */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  Runtime.install({ logger: sdkLogger(logger) });
  if (!config.database.url) throw new Error('DATABASE_URL must be set for the worker (the dev launcher sets it for the embedded database)');
  const codec = new AesGcmPayloadCodec(resolvePayloadKeys(config.codec, (message) => logger.info(message)));
  const prisma = createPrismaClient(config.database.url);
  const mailer = createMailer(config.mail);
  const connection = await connectWorkerTemporal(config.temporal);
  try {
    const worker = await createBookingWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      activities: createActivities({ prisma, mailer, config }),
      dataConverter: bookingDataConverter(codec),
    });
    await worker.run(); // the SDK shuts the worker down on SIGINT / SIGTERM
  } finally {
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
