import { AesGcmPayloadCodec, derivedSecret, resolvePayloadKeys } from '../codec';
import { loadConfig } from '../config';
import { createPrismaClient, SERVICE_QUERY_TIMEOUT_MS } from '../db/client';
import { connectTemporal } from '../infra/temporal-connection';
import { createLogger, loggedError } from '../logger';
import { createMailer } from '../mail/create-mailer';
import { onStopSignal } from '../infra/process-tools';
import { createMetricsRegistry, startMetricsServer } from '../metrics';
import { watchWorkCalendar } from './calendar-watch';
import { composeApi } from './compose';
import { listen } from './server';

/**
 * The API process on its own (production: one or more beside the workers). Expects the schema
 * to be migrated (`npm run setup` or the launcher) and Temporal to be reachable.
 */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (!config.database.url) throw new Error('DATABASE_URL must be set for the API process');
  const prisma = createPrismaClient(config.database.url, { queryTimeoutMs: SERVICE_QUERY_TIMEOUT_MS });
  const mailer = createMailer(config.mail);
  const payloadKeys = resolvePayloadKeys(config.codec, (message) => logger.info(message));
  const codec = new AesGcmPayloadCodec(payloadKeys);
  // Lazy: the API starts (and answers 503 on booking routes) while Temporal is still down.
  const temporal = await connectTemporal(config.temporal, { lazy: true });
  const metrics = createMetricsRegistry('api');
  const server = await listen(composeApi({ config, prisma, temporal, mailer, logger, codec, metrics, csrfSecret: derivedSecret(payloadKeys, 'csrf') }), config.http.port);
  const metricsServer = await startMetricsServer({ registry: metrics, host: config.metrics.host, port: config.metrics.port, token: config.metrics.token });
  logger.info({ port: server.port, metricsPort: metricsServer.port }, 'API listening');
  const calendarWatch = watchWorkCalendar(logger);

  const stop = async (signal: string) => {
    logger.info({ signal }, 'stopping: no new connections, finishing requests in flight');
    calendarWatch.stop();
    await server.close();
    await metricsServer.close();
    await temporal.close();
    await mailer.close();
    await prisma.$disconnect();
    process.exit(0);
  };
  onStopSignal((signal) =>
    stop(signal).catch((error: unknown) => {
      logger.error({ err: loggedError(error) }, 'could not stop cleanly');
      process.exit(1);
    }),
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
