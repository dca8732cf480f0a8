import { Client, type Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { BookingServiceDeps } from '../bookings';
import type { Express } from 'express';
import { createAuthService } from '../auth/auth-service';
import { bookingDataConverter } from '../codec';
import { TEMPORAL_UI_PATH, type Config } from '../config';
import type { PrismaClient } from '../db/client';
import type { Logger } from '../logger';
import type { Mailer } from '../mail/mailer';
import type { Registry } from '../metrics';
import { createCatalogService } from '../venues/catalog-service';
import { webRouter } from '../web/router';
import { createApp } from './app';
import { translateDomainError } from './domain-problems';
import { createHealthProbe } from './health';
import { adminStaffRouter, translateStaffRefusal } from './routes/admin-staff';
import { residentBookingsRouter } from './routes/bookings';
import { adminRouter, operatorRouter } from './routes/staff';

export interface ApiClients {
  config: Config;
  prisma: PrismaClient;
  temporal: Connection;
  mailer: Mailer;
  logger: Logger;
  /** The payload codec the workers use (src/codec): the client and the codec server share it. */
  codec: PayloadCodec;
  /** Where request metrics go (served on the metrics port); none without it. */
  metrics?: Registry;
  /**
   * Keys the portal's CSRF tokens before sign-in; the same on every instance behind one address
   * (derivedSecret(payloadKeys, 'csrf')), or a form rendered by one is refused by another.
   */
  csrfSecret: string;
}

/** Builds the production app from its clients; shared by `npm start` and the API process. */
export function composeApi({ config, prisma, temporal, mailer, logger, codec, metrics, csrfSecret }: ApiClients): Express {
  const bookings: BookingServiceDeps = {
    prisma,
    temporal: new Client({ connection: temporal, namespace: config.temporal.namespace, dataConverter: bookingDataConverter(codec) }),
    taskQueue: config.temporal.taskQueue,
  };
  const auth = createAuthService({ prisma, mailer });
  const catalog = createCatalogService(prisma);
  const secureCookies = config.http.publicUrl.startsWith('https://');
  const publicHost = new URL(config.http.publicUrl).host;
  return createApp({
    logger,
    auth,
    catalog,
    health: createHealthProbe(prisma, temporal),
    secureCookies,
    publicHost,
    trustProxy: config.http.trustProxyHops,
    extensions: bookingExtensions(bookings),
    web: webRouter({ auth, catalog, bookings, secureCookies, publicHost, csrfSecret, temporalUi: { url: config.temporal.uiUrl, namespace: config.temporal.namespace } }),
    metrics,
    codecServer: { codec, allowedOrigins: config.codec.uiOrigins },
    temporalUi: config.temporal.uiProxy ? { upstream: config.temporal.uiProxy.upstream, path: TEMPORAL_UI_PATH } : undefined,
  });
}

/** The booking and staff routes, shared with tests that build the app over their own clients. */
export function bookingExtensions(bookings: BookingServiceDeps) {
  const translateError = translateDomainError;
  return [
    { router: residentBookingsRouter(bookings), translateError },
    { router: operatorRouter(bookings) },
    { router: adminRouter(bookings) },
    { router: adminStaffRouter(bookings.prisma), translateError: translateStaffRefusal },
  ];
}
