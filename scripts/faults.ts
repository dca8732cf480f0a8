/**
 * Fault drill: N bookings in flight, submitted and worked by residents and an operator over the
 * API's HTTP routes, while the worker is killed with SIGKILL at random moments, the Temporal
 * dev server is killed and started again on the same database file, and PostgreSQL is stopped
 * for a while. Afterwards every booking must be in the state its workflow says (its result and
 * its search attribute), none stuck, none lost, no e-mail sent twice; while PostgreSQL or
 * Temporal is down the API must answer 503 with Retry-After, and no other 5xx to anyone. The
 * worker is killed until every workflow has closed, not only while the scripted actions run.
 *
 *   npm run faults                       # 100 bookings
 *   FAULT_BOOKINGS=20 npm run faults     # a quicker drill
 *
 * Everything runs on this machine in a temporary folder; nothing is kept. Exit code 1 when a
 * check fails.
 */
import { Connection, Client } from '@temporalio/client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/api/app';
import { bookingExtensions } from '../src/api/compose';
import { createHealthProbe } from '../src/api/health';
import { createAuthService } from '../src/auth/auth-service';
import type { BookingServiceDeps, BookingView } from '../src/bookings';
import { createPrismaClient } from '../src/db/client';
import { applyMigrations } from '../src/db/migrate';
import { testPolicy } from '../src/domain/policy';
import { findFreePort, findListeningProcess } from '../src/infra/process-tools';
import { resolveTemporalCli } from '../src/infra/temporal-cli';
import { connectTemporal } from '../src/infra/temporal-connection';
import { startTemporalDevServer, type TemporalDevServer } from '../src/infra/temporal-dev-server';
import { createLogger } from '../src/logger';
import { createCatalogService } from '../src/venues/catalog-service';
import { createBookingFixtures } from '../test/bookings/fixtures';
import { TEST_SLOT_RULES } from '../test/bookings/harness';
import { bookingBody, newKey } from '../test/bookings/requests';
import { TEST_PAYLOAD_KEYS_ENV, testDataConverter } from '../test/support/payload-codec';
import { startPostgresChild } from '../test/support/postgres-child';
import { signIn } from '../test/support/app';
import { startTestInbox } from '../test/support/smtp';
import { waitFor } from '../test/support/wait';
import { checkMail } from './faults/mail-checks';
import { answered, persist, stepsAt } from './faults/people';
import { startWorker } from './faults/worker-process';

const BOOKINGS = Number(process.env.FAULT_BOOKINGS ?? 100);
const POSTGRES_DOWN_MS = Number(process.env.FAULT_POSTGRES_DOWN_MS ?? 20_000);
const projectRoot = path.resolve(__dirname, '..');
const log = (message: string) => console.log(`[faults ${new Date().toISOString().slice(11, 19)}] ${message}`);

type Variant = 'COMPLETED' | 'REJECTED' | 'CANCELLED';
const variantOf = (index: number): Variant => (index % 10 === 3 ? 'REJECTED' : index % 10 === 7 ? 'CANCELLED' : 'COMPLETED');

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-faults-'));
  // The embedded PostgreSQL runs as its own user when we are root; it must reach its folder.
  fs.chmodSync(dataDir, 0o755);
  log(`data in ${dataDir}; ${BOOKINGS} bookings`);
  const failures: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) failures.push(message);
    log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
  };

  const pgPort = await findFreePort();
  let postgres = await startPostgresChild(path.join(dataDir, 'pg'), pgPort, 'opendk');
  await applyMigrations(postgres.url);
  const prisma = createPrismaClient(postgres.url);
  const fixtures = await createBookingFixtures(prisma);

  const cliPath = await resolveTemporalCli({ projectRoot, log });
  const temporalPorts = { port: await findFreePort(), uiPort: await findFreePort() };
  const startTemporal = () => startTemporalDevServer({ cliPath, dataDir: path.join(dataDir, 'temporal'), ...temporalPorts, log });
  let temporalServer: TemporalDevServer = await startTemporal();
  const connection = await Connection.connect({ address: temporalServer.address });
  const client = new Client({ connection, dataConverter: testDataConverter() });

  const inbox = await startTestInbox();
  const taskQueue = `faults-${Date.now()}`;
  const workerEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    DATABASE_URL: postgres.url,
    TEMPORAL_ADDRESS: temporalServer.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SMTP_URL: inbox.url,
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS_ENV,
    // Debug shows the SDK's "Worker state changed … RUNNING", which tells the drill it polls.
    LOG_LEVEL: 'debug',
    METRICS_PORT: '0',
    TEMPORAL_SDK_METRICS_PORT: '0',
  };
  let worker = startWorker(workerEnv);

  const deps: BookingServiceDeps = {
    prisma,
    temporal: client,
    taskQueue,
    policy: testPolicy({ residentReminderBefore: { ms: 10_000 }, callbackSla: { ms: 120_000 }, hardDeadline: { ms: 900_000 } }),
    slotRules: TEST_SLOT_RULES,
  };
  const auth = createAuthService({ prisma, mailer: inbox.mailer });
  // The API's connection as src/api/main.ts makes it (calls bounded, so an outage is a quick 503).
  const apiConnection = await connectTemporal({ address: temporalServer.address, namespace: 'default', devServerPort: temporalPorts.port }, { lazy: true });
  const app = createApp({
    logger: createLogger('silent'),
    auth,
    catalog: createCatalogService(prisma),
    health: createHealthProbe(prisma, apiConnection),
    secureCookies: false,
    extensions: bookingExtensions({ ...deps, temporal: new Client({ connection: apiConnection, dataConverter: testDataConverter() }) }),
  });
  const server = app.listen(0);
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A resident who submits over HTTP while Temporal is down.
  const prober = await fixtures.newResident();
  const proberCookie = await signIn(auth, inbox, prober.email);

  // The operator and residents act on every booking over HTTP while the faults happen.
  // Each step keeps its Idempotency-Key while it is pressed again: one whose answer was lost gets that answer.
  const step = stepsAt(apiUrl);
  const operatorCookie = await signIn(auth, inbox, fixtures.operator.email);
  const started = Date.now();
  const flows = Array.from({ length: BOOKINGS }, async (_, index) => {
    await new Promise((resolve) => setTimeout(resolve, (index * 40_000) / BOOKINGS));
    const resident = await fixtures.newResident();
    const cookie = await waitFor(() => signIn(auth, inbox, resident.email), { timeoutMs: 120_000, intervalMs: 1_000, description: `resident #${index} to sign in` });
    const roomId = await fixtures.newRoom();
    // Every event starts five minutes into the drill: late enough for confirmation, soon enough to complete.
    const body = bookingBody(roomId, 300_000 - (Date.now() - started), 5_000);
    const booking = await persist<BookingView>(`submit #${index}`, step(cookie, '/bookings', body));
    if (booking === 'ALREADY_DONE') throw new Error(`submit #${index} reported already done`);
    const variant = variantOf(index);
    const reached = (...statuses: string[]) => async () => statuses.includes((await prisma.booking.findUniqueOrThrow({ where: { id: booking.id } })).status);
    const operatorDoes = (action: string, body: unknown = {}) => step(operatorCookie, `/operator/bookings/${booking.id}/${action}`, body);
    if (variant === 'REJECTED') {
      await persist(`reject #${index}`, operatorDoes('callback', { outcome: 'REJECTED', attempt: 1, note: 'Учения' }), reached('REJECTED'));
    } else {
      await persist(`callback #${index}`, operatorDoes('callback', { outcome: 'AGREED', attempt: 1 }), reached('ADDONS', 'AWAITING_CONFIRMATION', 'CONFIRMED', 'COMPLETED'));
      await persist(`add-ons #${index}`, step(cookie, `/bookings/${booking.id}/addons/submit`, {}), reached('AWAITING_CONFIRMATION', 'CONFIRMED', 'COMPLETED'));
      await persist(`confirm #${index}`, operatorDoes('confirm'), reached('CONFIRMED', 'COMPLETED'));
      if (variant === 'CANCELLED') await persist(`cancel #${index}`, step(cookie, `/bookings/${booking.id}/cancel`, { reason: 'Учения' }), reached('CANCELLED'));
    }
    return { id: booking.id, workflowId: booking.workflowId, code: booking.code, variant, resident };
  });

  // The faults, on a fixed timeline while the flows run.
  const outageProbes: { status: number; retryAfter: string | null }[] = [];
  const temporalOutageProbes: { status: number; retryAfter: string | null }[] = [];
  let temporalRestarted = false;
  let workerKills = 0;
  let stopKilling = false;
  // Each worker gets to poll first, then dies a random 5–15 s later, mid-activity or mid-task.
  // (Much faster and a new worker never outlives the tasks a dead one left behind: Temporal
  // hands them on only after their timeouts.)
  const killer = (async () => {
    while (!stopKilling) {
      await worker.ready;
      await new Promise((resolve) => setTimeout(resolve, 5_000 + Math.random() * 10_000));
      if (stopKilling) break;
      worker.child.kill('SIGKILL');
      workerKills += 1;
      worker = startWorker(workerEnv);
    }
  })();
  const faults = (async () => {
    await new Promise((resolve) => setTimeout(resolve, 25_000));
    const holder = findListeningProcess(temporalPorts.port);
    if (holder) {
      log(`SIGKILL the Temporal dev server (pid ${holder.pid})`);
      process.kill(holder.pid, 'SIGKILL');
      // A submission over HTTP while it is down: 503 with Retry-After, and nothing booked.
      for (let probe = 0; probe < 3; probe += 1) {
        const response = await fetch(`${apiUrl}/api/bookings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: proberCookie, 'idempotency-key': newKey() },
          body: JSON.stringify(bookingBody(await fixtures.newRoom(), 86_400_000)),
          signal: AbortSignal.timeout(15_000),
        }).catch(() => undefined);
        temporalOutageProbes.push({ status: response?.status ?? 0, retryAfter: response?.headers.get('retry-after') ?? null });
      }
      // The killed server's port takes a moment to be bindable again.
      temporalServer = await waitFor(() => startTemporal(), { timeoutMs: 30_000, intervalMs: 500, description: 'the Temporal dev server to start again' });
      log('Temporal dev server started again on the same database file');
      temporalRestarted = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    log(`stopping PostgreSQL for ${POSTGRES_DOWN_MS / 1000} s`);
    await postgres.stop();
    const downUntil = Date.now() + POSTGRES_DOWN_MS;
    while (Date.now() < downUntil) {
      for (const route of ['/api/health', '/api/venues', '/api/districts']) {
        const response = await fetch(`${apiUrl}${route}`, { signal: AbortSignal.timeout(8_000) }).catch(() => undefined);
        outageProbes.push({ status: response?.status ?? 0, retryAfter: response?.headers.get('retry-after') ?? null });
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    postgres = await startPostgresChild(path.join(dataDir, 'pg'), pgPort, 'opendk');
    log('PostgreSQL started again');
  })();

  const outcomes = await Promise.allSettled(flows);
  await faults;
  const bookings = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  for (const outcome of outcomes) if (outcome.status === 'rejected') failures.push(String(outcome.reason));
  check(bookings.length === BOOKINGS, `every scripted flow got through its actions over HTTP (${bookings.length}/${BOOKINGS})`);
  const answers = [...answered.entries()].sort().map(([kind, count]) => `${count}× ${kind}`).join(', ');
  const unexplained5xx = [...answered.keys()].filter((kind) => kind.startsWith('5') && kind !== '503 with Retry-After');
  check(unexplained5xx.length === 0, `the API answered the people through the faults with no 5xx but 503 with Retry-After (${answers})`);
  log(`${workerKills} worker kills so far; waiting for every workflow to close, the worker still killed now and then`);

  const closeDeadline = new Promise((_, reject) => setTimeout(() => reject(new Error('still open')), 480_000 - (Date.now() - started)).unref());
  const closed = await Promise.allSettled(bookings.map((booking) => Promise.race([client.workflow.getHandle(booking.workflowId).result(), closeDeadline])));
  stopKilling = true;
  await killer;
  check(closed.every((result) => result.status === 'fulfilled'), `every workflow closed (${closed.filter((result) => result.status === 'fulfilled').length}/${bookings.length})`);
  check(workerKills >= 5, `the worker was killed with SIGKILL while bookings were in flight (${workerKills} times)`);
  check(temporalRestarted, 'the Temporal dev server was killed and started again on the same database file');

  const rows = await prisma.booking.findMany({ where: { id: { in: bookings.map((booking) => booking.id) } } });
  check(rows.length === bookings.length, `every booking is in the database (${rows.length}/${bookings.length})`);
  const wrong = bookings.filter((booking) => rows.find((row) => row.id === booking.id)?.status !== booking.variant);
  for (const booking of wrong) {
    const events = await prisma.bookingEvent.findMany({ where: { bookingId: booking.id }, orderBy: { occurredAt: 'asc' }, select: { type: true } });
    log(`  ${booking.code}: meant ${booking.variant}, database ${rows.find((row) => row.id === booking.id)?.status}; timeline ${events.map((event) => event.type).join(' → ')}`);
  }
  check(wrong.length === 0, `every booking ended where its flow led it (${wrong.length} did not)`);
  const disagreeing = bookings.filter((booking, index) => {
    const result = closed[index];
    return result.status === 'fulfilled' && result.value !== rows.find((row) => row.id === booking.id)?.status;
  });
  for (const booking of disagreeing) log(`  ${booking.code}: the workflow ended ${String((closed[bookings.indexOf(booking)] as PromiseFulfilledResult<unknown>).value)}, the database says ${rows.find((row) => row.id === booking.id)?.status}`);
  check(disagreeing.length === 0, `every workflow's result is its booking's status in the database (${disagreeing.length} differ)`);
  for (const booking of bookings) {
    const description = await client.workflow.getHandle(booking.workflowId).describe();
    const status = description.typedSearchAttributes.getAll().find((pair) => pair.key.name === 'BookingStatus')?.value;
    const stored = rows.find((row) => row.id === booking.id)?.status;
    if (status !== stored) failures.push(`${booking.code}: the workflow's BookingStatus is ${String(status)} (${description.status.name}), the database says ${stored}`);
  }
  check(!failures.some((failure) => failure.includes("the workflow's BookingStatus")), 'the database agrees with every workflow');

  await checkMail({ prisma, inbox, bookings, check, log });
  const holds = await prisma.slotHold.count({ where: { bookingId: { in: bookings.map((booking) => booking.id) }, active: true } });
  check(holds === bookings.filter((booking) => booking.variant === 'COMPLETED').length, `only completed bookings keep their hold (${holds})`);
  check(
    outageProbes.length > 0 && outageProbes.every((probe) => probe.status === 503 && probe.retryAfter !== null),
    `while PostgreSQL was down the API answered 503 with Retry-After (${outageProbes.filter((probe) => probe.status === 503).length}/${outageProbes.length} probes)`,
  );
  check(
    temporalOutageProbes.length > 0 && temporalOutageProbes.every((probe) => probe.status === 503 && probe.retryAfter !== null),
    `while Temporal was down POST /api/bookings answered 503 with Retry-After (${temporalOutageProbes.filter((probe) => probe.status === 503).length}/${temporalOutageProbes.length} probes)`,
  );
  const probeBookings = await prisma.booking.count({ where: { residentId: prober.id } });
  check(probeBookings === 0, `the submissions refused while Temporal was down left no booking (${probeBookings})`);

  worker.child.kill('SIGKILL');
  server.close();
  await apiConnection.close();
  await connection.close();
  await inbox.close();
  await prisma.$disconnect();
  await temporalServer.stop();
  await postgres.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  log(failures.length === 0 ? `PASSED in ${Math.round((Date.now() - started) / 1000)} s` : `FAILED:\n  ${failures.join('\n  ')}`);
  process.exit(failures.length === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
