import { Runtime } from '@temporalio/worker';
import { createActivities } from '../../activities';
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
  Runtime.install({ logger: sdkLogger(createLogger(config.logLevel)) });
  if (!config.database.url) throw new Error('DATABASE_URL must be set for the worker (the dev launcher sets it for the embedded database)');
  const prisma = createPrismaClient(config.database.url);
  const mailer = createMailer(config.mail);
  const connection = await connectWorkerTemporal(config.temporal);
  try {
    const worker = await createBookingWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      activities: createActivities({ prisma, mailer, config }),
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
