import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Express } from 'express';
import request from 'supertest';
import { createActivities } from '../../activities';
import { createApp } from '../../src/api/app';
import { bookingExtensions } from '../../src/api/compose';
import { createHealthProbe } from '../../src/api/health';
import { createAuthService } from '../../src/auth/auth-service';
import type { BookingServiceDeps } from '../../src/bookings';
import { loadConfig } from '../../src/config';
import { createPrismaClient, type PrismaClient } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migrate';
import { testPolicy } from '../../src/domain/policy';
import { moscowInstant, toMoscow } from '../../src/domain/moscow-time';
import { findFreePort } from '../../src/infra/process-tools';
import { resolveTemporalCli } from '../../src/infra/temporal-cli';
import { connectTemporal } from '../../src/infra/temporal-connection';
import { startTemporalDevServer, type TemporalDevServer } from '../../src/infra/temporal-dev-server';
import { createLogger } from '../../src/logger';
import { createBookingWorker } from '../../src/worker/create-worker';
import { createCatalogService } from '../../src/venues/catalog-service';
import { webRouter } from '../../src/web/router';
import { createBookingFixtures, type BookingFixtures } from '../bookings/fixtures';
import { quietRuntime, TEST_SLOT_RULES, workflowBundle } from '../bookings/harness';
import { bookingBody, newKey } from '../bookings/requests';
import { signIn } from '../support/app';
import { createThrowawayDatabase, type TestDatabase } from '../support/db';
import { testDataConverter } from '../support/payload-codec';
import { startOnFreshPorts } from '../support/fresh-ports';
import { startPostgresChild, type PostgresChild } from '../support/postgres-child';
import { startTestInbox, type TestInbox } from '../support/smtp';
import { testTemporalAddress } from '../support/temporal';
import { waitFor } from '../support/wait';

/**
 * Outages against real dependencies: a PostgreSQL and a Temporal server of this file's own are
 * stopped under a running API and started again. While one is down every route that needs it
 * answers 503 problem+json with Retry-After rather than hanging; once it is back the same API
 * (same clients, no restart) serves requests again.
 */

/** A slot tomorrow at noon, Moscow time, is inside a room's day whenever the suite runs. */
const untilTomorrowNoonMs = () => moscowInstant(toMoscow(new Date(Date.now() + 86_400_000)).date, 12 * 60).getTime() - Date.now();

jest.setTimeout(180_000);

/**
 * A request that hung would fail here on the client's own timeout; an answer at all is the
 * server's timeout or refusal path ending it, which expectUnavailable then checks by its body.
 */
const CLIENT_TIMEOUT_MS = 15_000;

function send(build: () => request.Test): Promise<request.Response> {
  return build().timeout(CLIENT_TIMEOUT_MS);
}

function expectUnavailable(response: request.Response) {
  expect({ status: response.status, code: response.body.code }).toEqual({ status: 503, code: 'service-unavailable' });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
}

describe('when PostgreSQL goes down under the API', () => {
  let dataDir: string;
  let port: number;
  let postgres: PostgresChild | undefined;
  let prisma: PrismaClient;
  let temporal: Connection;
  let inbox: TestInbox;
  let app: Express;
  let cookie: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-outage-pg-'));
    // The port is kept: the tests stop PostgreSQL and start it again on it.
    postgres = await startOnFreshPorts('PostgreSQL', async () => {
      port = await findFreePort();
      return startPostgresChild(dataDir, port, 'opendk_outage');
    });
    await applyMigrations(postgres.url, { log: () => undefined });
    prisma = createPrismaClient(postgres.url, { connectTimeoutMs: 2_000 });
    temporal = await Connection.connect({ address: testTemporalAddress() });
    inbox = await startTestInbox();
    const auth = createAuthService({ prisma, mailer: inbox.mailer });
    const bookings: BookingServiceDeps = { prisma, temporal: new Client({ connection: temporal }), taskQueue: 'outage-pg' };
    const catalog = createCatalogService(prisma);
    app = createApp({
      logger: createLogger('silent'),
      auth,
      catalog,
      health: createHealthProbe(prisma, temporal),
      secureCookies: false,
      extensions: bookingExtensions(bookings),
      web: webRouter({ auth, catalog, bookings, secureCookies: false, temporalUi: { url: 'http://temporal-ui.invalid', namespace: 'default' } }),
    });
    cookie = await signIn(auth, inbox, 'outage.resident@example.test');
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await temporal?.close();
    await inbox?.close();
    await postgres?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('then every route answers 503 with Retry-After rather than hanging, and the same API recovers when it is back', async () => {
    expect((await request(app).get('/api/districts')).status).toBe(200);
    expect((await request(app).get('/api/bookings').set('Cookie', cookie)).status).toBe(200);

    await postgres!.stop();
    postgres = undefined;

    expectUnavailable(await send(() => request(app).get('/api/districts')));
    expectUnavailable(await send(() => request(app).get('/api/venues?q=Клин')));
    expectUnavailable(await send(() => request(app).get('/api/bookings').set('Cookie', cookie)));
    expectUnavailable(await send(() => request(app).post('/api/auth/code').send({ email: 'someone@example.test' })));
    const health = await send(() => request(app).get('/api/health'));
    expect({ status: health.status, database: health.body.database }).toEqual({ status: 503, database: 'down' });
    expect(health.headers['retry-after']).toBeDefined();
    // A signed-in monitor (a browser with its session cookie) gets the same report.
    const signedInHealth = await request(app).get('/api/health').set('Cookie', cookie);
    expect({ status: signedInHealth.status, database: signedInHealth.body.database }).toEqual({ status: 503, database: 'down' });
    // The portal's pages say the same to people: a page, not "something went wrong".
    for (const [page, words] of [
      [request(app).get('/'), 'Сервис временно недоступен'],
      [request(app).get('/account').set('Cookie', cookie), 'Сервис временно недоступен'],
      [request(app).get('/?lang=en'), 'Service temporarily unavailable'],
    ] as const) {
      const response = await page.timeout(CLIENT_TIMEOUT_MS);
      expect({ status: response.status, type: response.headers['content-type'] }).toEqual({ status: 503, type: expect.stringMatching(/^text\/html/) });
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.text).toContain(words);
    }

    postgres = await startPostgresChild(dataDir, port, 'opendk_outage');
    await waitFor(async () => (await request(app).get('/api/districts')).status === 200, { timeoutMs: 30_000, intervalMs: 250, description: 'the API to serve the catalog again' });
    const mine = await request(app).get('/api/bookings').set('Cookie', cookie);
    expect(mine.status).toBe(200);
  });
});

describe('when PostgreSQL hangs under the API (its processes stopped, connections open)', () => {
  let dataDir: string;
  let postgres: PostgresChild;
  let prisma: PrismaClient;
  let temporal: Connection;
  let inbox: TestInbox;
  let app: Express;
  let frozen: number[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-outage-pg-hang-'));
    postgres = await startOnFreshPorts('PostgreSQL', async () => startPostgresChild(dataDir, await findFreePort(), 'opendk_hang'));
    await applyMigrations(postgres.url, { log: () => undefined });
    // As the API process builds it (src/api/main.ts), with shorter limits for the test.
    prisma = createPrismaClient(postgres.url, { connectTimeoutMs: 2_000, queryTimeoutMs: 3_000 });
    temporal = await Connection.connect({ address: testTemporalAddress() });
    inbox = await startTestInbox();
    app = createApp({
      logger: createLogger('silent'),
      auth: createAuthService({ prisma, mailer: inbox.mailer }),
      catalog: createCatalogService(prisma),
      health: createHealthProbe(prisma, temporal),
      secureCookies: false,
    });
  });

  afterAll(async () => {
    for (const pid of frozen) signal(pid, 'SIGCONT');
    await prisma?.$disconnect();
    await temporal?.close();
    await inbox?.close();
    await postgres?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const signal = (pid: number, name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // gone already
    }
  };

  /** The postmaster and every process it started (backends, checkpointer…). */
  function postgresProcesses(): number[] {
    const postmaster = Number.parseInt(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8'), 10);
    const children = fs
      .readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(postmaster);
        } catch {
          return false;
        }
      })
      .map(Number);
    return [postmaster, ...children];
  }

  it('then requests answer 503 within the connect and query limits instead of hanging, and succeed once it resumes', async () => {
    expect((await request(app).get('/api/districts')).status).toBe(200); // a pooled connection exists

    frozen = postgresProcesses();
    for (const pid of frozen) signal(pid, 'SIGSTOP');
    const first = await send(() => request(app).get('/api/districts'));
    const second = await send(() => request(app).get('/api/venues?q=Клин'));
    for (const pid of frozen) signal(pid, 'SIGCONT');
    frozen = [];

    expectUnavailable(first);
    expectUnavailable(second);
    await waitFor(async () => (await request(app).get('/api/districts')).status === 200, { timeoutMs: 30_000, intervalMs: 250, description: 'the API to serve the catalog again' });
  });
});

describe('when Temporal goes down under the API', () => {
  let dataDir: string;
  let server: TemporalDevServer | undefined;
  let serverOptions: Parameters<typeof startTemporalDevServer>[0];
  let database: TestDatabase;
  let prisma: PrismaClient;
  let fixtures: BookingFixtures;
  let connection: Connection;
  let inbox: TestInbox;
  let app: Express;
  let cookie: string;
  let workerConnection: NativeConnection | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const taskQueue = 'outage-temporal';

  beforeAll(async () => {
    quietRuntime();
    const bundle = workflowBundle(); // built while the rest starts
    const config = loadConfig();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-outage-temporal-'));
    const cliPath = await resolveTemporalCli({ configuredPath: config.temporal.cliPath, projectRoot: config.projectRoot, log: () => undefined });
    server = await startOnFreshPorts('the Temporal dev server', async () => {
      serverOptions = { cliPath, dataDir, port: await findFreePort(), uiPort: await findFreePort(), persistent: true };
      return startTemporalDevServer(serverOptions);
    });
    database = await createThrowawayDatabase('outage');
    await applyMigrations(database.url, { log: () => undefined });
    prisma = createPrismaClient(database.url);
    fixtures = await createBookingFixtures(prisma);
    inbox = await startTestInbox();
    connection = await connectTemporal({ address: server.address, namespace: 'default', devServerPort: serverOptions.port });
    const client = new Client({ connection, namespace: 'default', dataConverter: testDataConverter() });
    const auth = createAuthService({ prisma, mailer: inbox.mailer });
    const bookings: BookingServiceDeps = { prisma, temporal: client, taskQueue, policy: testPolicy(), slotRules: TEST_SLOT_RULES };
    app = createApp({
      logger: createLogger('silent'),
      auth,
      catalog: createCatalogService(prisma),
      health: createHealthProbe(prisma, connection),
      secureCookies: false,
      extensions: bookingExtensions(bookings),
    });
    cookie = await signIn(auth, inbox, fixtures.resident.email);
    await bundle;
  });

  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await workerConnection?.close();
    await connection?.close();
    await server?.stop();
    await inbox?.close();
    await prisma?.$disconnect();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const submit = async (roomId: number) =>
    send(() => request(app).post('/api/bookings').set('Cookie', cookie).set('Idempotency-Key', newKey()).send(bookingBody(roomId, untilTomorrowNoonMs())));

  it('then booking routes answer 503 with Retry-After, others still work, and bookings succeed once it is back', async () => {
    expect((await request(app).get('/api/health')).status).toBe(200);

    await server!.stop();
    server = undefined;

    expectUnavailable(await submit(await fixtures.newRoom()));
    const health = await send(() => request(app).get('/api/health'));
    expect({ status: health.status, temporal: health.body.temporal }).toEqual({ status: 503, temporal: 'down' });
    // What needs only PostgreSQL goes on working.
    expect((await request(app).get('/api/bookings').set('Cookie', cookie)).status).toBe(200);

    server = await startTemporalDevServer(serverOptions);
    workerConnection = await NativeConnection.connect({ address: server.address });
    worker = await createBookingWorker({
      connection: workerConnection,
      namespace: 'default',
      taskQueue,
      activities: createActivities({ prisma, mailer: inbox.mailer, config: { mail: { from: 'Открытый ДК <no-reply@opendk.test>', outboxDir: '/nonexistent' }, http: { publicUrl: 'http://opendk.test' } } }),
      dataConverter: testDataConverter(),
      workflowBundle: await workflowBundle(),
      shutdownGraceTime: '1 second',
    });
    running = worker.run();

    await waitFor(async () => (await request(app).get('/api/health')).status === 200, { timeoutMs: 30_000, intervalMs: 250, description: 'the API to see Temporal again' });
    const response = await submit(await fixtures.newRoom());
    expect(response.status).toBe(201);
    expect(response.body.status).toBe('AWAITING_CALLBACK');
  });
});
