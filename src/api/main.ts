import { AesGcmPayloadCodec, resolvePayloadKeys } from '../codec';
import { loadConfig } from '../config';
import { createPrismaClient } from '../db/client';
import { connectTemporal } from '../infra/temporal-connection';
import { createLogger } from '../logger';
import { createMailer } from '../mail/create-mailer';
import { composeApi } from './compose';
import { listen } from './server';

/**
 * The API process on its own (production: one or more beside the workers). Expects the schema
 * to be migrated (`npm run seed` or the launcher) and Temporal to be reachable.
 */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (!config.database.url) throw new Error('DATABASE_URL must be set for the API process');
  const prisma = createPrismaClient(config.database.url);
  const mailer = createMailer(config.mail);
  const codec = new AesGcmPayloadCodec(resolvePayloadKeys(config.codec, (message) => logger.info(message)));
  const temporal = await connectTemporal(config.temporal);
  const server = await listen(composeApi({ config, prisma, temporal, mailer, logger, codec }), config.http.port);
  logger.info({ port: server.port }, 'API listening');

  const stop = async (signal: string) => {
    logger.info({ signal }, 'stopping: no new connections, finishing requests in flight');
    await server.close();
    await temporal.close();
    await mailer.close();
    await prisma.$disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
