import { spawn } from 'node:child_process';
import os from 'node:os';
import { AesGcmPayloadCodec, derivedSecret, resolvePayloadKeys } from '../codec';
import { loadConfig, ConfigError, TEMPORAL_UI_PATH, type Config } from '../config';
import { watchWorkCalendar } from '../api/calendar-watch';
import { composeApi } from '../api/compose';
import { listen } from '../api/server';
import { seedDatabase, staffSeedOptions } from '../catalog/seed';
import { createPrismaClient, SERVICE_QUERY_TIMEOUT_MS } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { startEmbeddedPostgres } from '../infra/embedded-postgres';
import { ensureSearchAttributes } from '../infra/search-attributes';
import { resolveTemporalCli } from '../infra/temporal-cli';
import { connectTemporal, connectWorkerTemporal } from '../infra/temporal-connection';
import { onStopSignal } from '../infra/process-tools';
import { startTemporalDevServer } from '../infra/temporal-dev-server';
import { createLogger } from '../logger';
import { createMailer } from '../mail/create-mailer';
import { createMetricsRegistry, readSdkMetrics, registerBookingStatusGauge, startMetricsServer } from '../metrics';
import { startBookingWorker } from './run-worker';
import { installSdkRuntime } from '../worker/sdk-runtime';
import { sdkLogger } from '../worker/sdk-logger';
import { ShutdownStack } from './shutdown';

/**
 * `npm start`: the whole service on one machine with embedded defaults. Each part is started
 * only when the environment does not point at an existing one (DATABASE_URL, TEMPORAL_ADDRESS,
 * SMTP_URL), so the same command also runs against real infrastructure.
 */

const say = (message: string) => console.log(`[open-dk] ${message}`);

async function start(config: Config, shutdown: ShutdownStack): Promise<void> {
  const logger = createLogger(config.logLevel);
  // The launcher stops the worker itself, in order; the SDK's own signal handling would race it.
  const sdkPort = await installSdkRuntime({ shutdownSignals: [], logger: sdkLogger(logger) }, config.metrics.sdkPort);
  // One process, one /metrics: the API's requests, the worker's SDK metrics, bookings, e-mails.
  const metrics = createMetricsRegistry('all-in-one');
  // Payloads are encrypted before they reach Temporal; without PAYLOAD_KEYS a development key is kept in DATA_DIR.
  const payloadKeys = resolvePayloadKeys(config.codec, say);
  const codec = new AesGcmPayloadCodec(payloadKeys);

  const databaseUrl = config.database.url ?? (await startDatabase(config, shutdown));
  await applyMigrations(databaseUrl, { log: say });
  const prisma = createPrismaClient(databaseUrl, { queryTimeoutMs: SERVICE_QUERY_TIMEOUT_MS });
  shutdown.push('database client', () => prisma.$disconnect());
  registerBookingStatusGauge(metrics, prisma);
  const seeded = await seedDatabase(prisma, { log: say, ...staffSeedOptions(config.staff) });
  say(`catalog: ${seeded.venues} venues with ${seeded.rooms} rooms in ${seeded.districts} districts`);

  const temporalSettings = { ...config.temporal, address: config.temporal.address ?? (await startTemporal(config, shutdown)) };
  const temporal = await connectTemporal(temporalSettings);
  shutdown.push('Temporal client', () => temporal.close());
  if (config.temporal.address) await ensureSearchAttributes(temporal, config.temporal.namespace);

  const mailer = createMailer(config.mail);
  shutdown.push('mailer', () => mailer.close());
  if (!config.mail.smtpUrl) say(`e-mail is written to ${config.mail.outboxDir} (set SMTP_URL to send it)`);

  const workerConnection = await connectWorkerTemporal(temporalSettings);
  shutdown.push('worker connection', () => workerConnection.close());
  say('starting the booking worker (the first start bundles the workflows)…');
  const worker = await startBookingWorker({
    config,
    connection: workerConnection,
    prisma,
    mailer,
    codec,
    logger,
    metrics,
    onFailure(error) {
      console.error(`[open-dk] the booking worker failed: ${(error as Error).message}`);
      void shutdown.closeAll(say).then(() => process.exit(1));
    },
  });
  shutdown.push('booking worker', () => worker.stop());

  const server = await listen(composeApi({ config, prisma, temporal, mailer, logger, codec, metrics, csrfSecret: derivedSecret(payloadKeys, 'csrf') }), config.http.port);
  shutdown.push('HTTP server', () => server.close());
  const calendarWatch = watchWorkCalendar(logger);
  shutdown.push('production calendar check', async () => calendarWatch.stop());
  const { host, port, token } = config.metrics;
  const metricsServer = await startMetricsServer({ registry: metrics, host, port, token, extra: () => readSdkMetrics(sdkPort) });
  shutdown.push('metrics server', () => metricsServer.close());

  say('ready:');
  say(`  site          ${config.http.publicUrl}/`);
  say(`  API           ${config.http.publicUrl}/api (health: ${config.http.publicUrl}/api/health)`);
  say(`  Temporal UI   ${config.temporal.uiUrl}/ (namespace ${config.temporal.namespace})`);
  if (config.temporal.uiProxy) say('                administrators signed in to the site see payloads decrypted there, with no setting');
  if (!config.temporal.address) say(`                also on its own port: http://localhost:${config.temporal.uiPort}${TEMPORAL_UI_PATH}/`);
  say(`  metrics       ${metricsServer.url}${token ? ' (bearer token: METRICS_TOKEN)' : ''}`);
  say(`  codec server  ${config.http.publicUrl}/codec (administrators; payloads are encrypted with key ${codec.encryptionKeyId})`);
  say('press Ctrl-C to stop');
}

async function startDatabase(config: Config, shutdown: ShutdownStack): Promise<string> {
  say(`starting the embedded PostgreSQL on port ${config.database.embeddedPort} (data in ${config.dataDir}/postgres)…`);
  const postgres = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.database.embeddedPort, database: 'opendk', log: say });
  shutdown.push('PostgreSQL', () => postgres.stop());
  return postgres.url;
}

async function startTemporal(config: Config, shutdown: ShutdownStack): Promise<string> {
  const cliPath = await resolveTemporalCli({ configuredPath: config.temporal.cliPath, projectRoot: config.projectRoot, log: say });
  say(`starting the Temporal dev server on port ${config.temporal.devServerPort} (state in ${config.dataDir}/temporal.db)…`);
  const server = await startTemporalDevServer({
    cliPath,
    dataDir: config.dataDir,
    port: config.temporal.devServerPort,
    uiPort: config.temporal.uiPort,
    namespace: config.temporal.namespace,
    // The UI sends payloads to the API's codec server to show them decrypted (administrators).
    uiCodecEndpoint: `${config.http.publicUrl}/codec`,
    // The API serves the UI there (same origin as /codec, so the session cookie goes along); the
    // UI's own port serves it there too.
    uiPublicPath: TEMPORAL_UI_PATH,
    log: say,
  });
  shutdown.push('Temporal dev server', () => server.stop());
  return server.address;
}

/**
 * With the dev server started here (no TEMPORAL_ADDRESS), the API proxies its UI at
 * TEMPORAL_UI_PATH (TEMPORAL_UI_UPSTREAM set to the UI's port unless given).
 */
function withDevTemporalUi(config: Config): Config {
  if (config.temporal.address || config.temporal.uiProxy) return config;
  return loadConfig({ ...process.env, TEMPORAL_UI_UPSTREAM: `http://127.0.0.1:${config.temporal.uiPort}` });
}

/** Set on the service process the launcher starts in a process group of its own. */
const OWN_GROUP_ENV = 'OPENDK_START_OWN_GROUP';

/**
 * Ctrl-C in a terminal signals the whole foreground process group, and the embedded PostgreSQL
 * and the Temporal dev server are children in it: they would stop at once, under the worker and
 * the API still using them. So `npm start` runs the service in a process group of its own and
 * passes the stop signals on; the service then stops its parts in order (ShutdownStack).
 */
function relayToOwnProcessGroup(): void {
  const service = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, [OWN_GROUP_ENV]: '1' },
  });
  // A closed terminal (SIGHUP) no longer reaches the service's group: it is a stop too.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => service.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal));
  service.once('error', (error) => {
    console.error(`[open-dk] could not start the service: ${error.message}`);
    process.exit(1);
  });
  service.once('exit', (code, signal) => process.exit(code ?? (signal ? 128 + os.constants.signals[signal] : 1)));
}

async function main(): Promise<void> {
  if (process.platform !== 'win32' && !process.env[OWN_GROUP_ENV]) return relayToOwnProcessGroup();
  let config: Config;
  try {
    config = withDevTemporalUi(loadConfig());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const shutdown = new ShutdownStack();
  onStopSignal((signal) => {
    say(`${signal} received, stopping…`);
    void shutdown.closeAll(say).then(() => process.exit(0));
  });

  try {
    await start(config, shutdown);
  } catch (error) {
    console.error(`[open-dk] start-up failed: ${(error as Error).message}`);
    await shutdown.closeAll(say);
    process.exit(1);
  }
}

void main();
