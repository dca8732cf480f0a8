import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { chromium, type Browser, type Page } from 'playwright-core';
import { composeApi } from '../../src/api/compose';
import { submitBooking } from '../../src/bookings';
import { loadConfig, TEMPORAL_UI_PATH } from '../../src/config';
import { resolveTemporalCli } from '../../src/infra/temporal-cli';
import type { TemporalDevServer } from '../../src/infra/temporal-dev-server';
import { createLogger } from '../../src/logger';
import { startBookingHarness, type BookingHarness } from '../bookings/harness';
import { bookingBody, newKey } from '../bookings/requests';
import { testCodec } from '../support/payload-codec';
import { startDevServerOnFreePorts } from '../support/dev-server';
import { waitFor } from '../support/wait';
import { CHROMIUM_PATH, newPage, signInWithBrowser, type Portal } from './portal';

/**
 * The Temporal UI served by the API at /admin/temporal, as `npm start` runs it: a dev server of
 * its own with `--ui-public-path /admin/temporal` and its codec endpoint at the API's /codec; the
 * app built by composeApi from a config with TEMPORAL_UI_UPSTREAM; a real worker on it; chromium.
 * An administrator signed in to the site opens a booking's workflow from the portal and reads its
 * event title, which history holds encrypted, without touching any UI setting: the UI's page
 * and the codec server share the site's origin, so the session cookie goes along. Anyone else is
 * refused before the UI.
 */
const TITLE = 'Вечер романса «Белая акация»';

let temporal: TemporalDevServer;
let temporalDir: string;
let harness: BookingHarness;
let server: Server;
let browser: Browser;
let portal: Portal;
let apiUrl: string;
let rawClient: Client;
const previousTemporalAddress = process.env.OPENDK_TEST_TEMPORAL_ADDRESS;

beforeAll(async () => {
  // The API's port is bound at once and served once the app is made. Found free and left
  // unbound while the Temporal dev server started, another listener could take it: a CI run's
  // browser once got a non-HTTP answer there (ERR_INVALID_HTTP_RESPONSE).
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiPort = (server.address() as AddressInfo).port;
  // localhost, as npm start prints it.
  apiUrl = `http://localhost:${apiPort}`;
  const config = loadConfig();
  temporalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-ui-proxy-'));
  temporal = await startDevServerOnFreePorts({
    cliPath: await resolveTemporalCli({ configuredPath: config.temporal.cliPath, projectRoot: config.projectRoot, log: () => undefined }),
    dataDir: temporalDir,
    persistent: false,
    uiCodecEndpoint: `${apiUrl}/codec`,
    uiPublicPath: TEMPORAL_UI_PATH,
  });
  // The booking harness (worker, client) works against this file's server, not the run's shared
  // one, whose UI has no public path. Jest gives each test file its own process.env.
  process.env.OPENDK_TEST_TEMPORAL_ADDRESS = temporal.address;
  harness = await startBookingHarness('ui-proxy');

  const appConfig = loadConfig({ ...process.env, PORT: String(apiPort), PUBLIC_URL: apiUrl, TEMPORAL_UI_URL: '', TEMPORAL_UI_UPSTREAM: new URL(temporal.uiUrl).origin });
  const connection = await Connection.connect({ address: temporal.address });
  rawClient = new Client({ connection });
  const app = composeApi({ config: appConfig, prisma: harness.prisma, temporal: connection, mailer: harness.inbox.mailer, logger: createLogger('silent'), codec: testCodec(), csrfSecret: 'temporal-ui-proxy-test' });
  server.on('request', app);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  portal = { harness, baseUrl: apiUrl, browser, close: async () => undefined };
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await rawClient?.connection.close();
  await harness?.close();
  await temporal?.stop();
  if (temporalDir) fs.rmSync(temporalDir, { recursive: true, force: true });
  process.env.OPENDK_TEST_TEMPORAL_ADDRESS = previousTemporalAddress;
});

const pageText = (page: Page) => page.locator('body').innerText();

test('when an administrator signed in to the site opens a booking\'s workflow from the portal, then the proxied Temporal UI shows its event title decrypted, with no UI setting', async () => {
  const roomId = await harness.fixtures.newRoom();
  const booking = await submitBooking(harness.deps(), {
    residentId: harness.fixtures.resident.id,
    idempotencyKey: newKey(),
    body: bookingBody(roomId, 4 * 86_400_000, 3_600_000, { eventTitle: TITLE }),
  });

  // History holds the title and the summary encrypted: the Temporal server never sees them.
  const events = (await rawClient.workflow.getHandle(`booking-${booking.id}`).fetchHistory()).events ?? [];
  const summary = events[0]?.userMetadata?.summary;
  const submission = events.find((event) => event.workflowExecutionUpdateAcceptedEventAttributes)?.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads?.[0];
  for (const payload of [summary, submission]) {
    expect(Buffer.from(payload?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
    expect(Buffer.from(payload?.data ?? []).toString('utf8')).not.toMatch(/романса|Тестовый/);
  }

  const { context, page } = await newPage(portal);
  try {
    await signInWithBrowser(portal, page, harness.fixtures.admin.email);
    const codecCalls: { url: string; status: number; sentCookie: boolean }[] = [];
    page.on('response', async (response) => {
      const url = response.url();
      if (url.includes('/codec/') && response.request().method() === 'POST') {
        codecCalls.push({ url, status: response.status(), sentCookie: /opendk_session=/.test((await response.request().allHeaders()).cookie ?? '') });
      }
    });

    // The portal's link to the workflow points into the proxied UI.
    await page.goto(`${apiUrl}/operator/bookings/${booking.id}`);
    const link = page.getByRole('link', { name: 'Процесс в Temporal UI' });
    const href = await link.getAttribute('href');
    expect(href).toBe(`${apiUrl}${TEMPORAL_UI_PATH}/namespaces/default/workflows/booking-${booking.id}`);

    await page.goto(href!);
    // The run's summary (room, venue, time) on the history page, then the resident's submission
    // (the submit Update's input) in its event's details.
    await waitFor(async () => (await pageText(page)).includes(`Зал №${roomId}, ДК «Тестовый»`), { timeoutMs: 45_000, intervalMs: 250, description: 'the decrypted summary in the Temporal UI' });
    await page.getByText('Workflow Execution Update Accepted').first().click();
    await waitFor(async () => (await pageText(page)).includes(TITLE), { timeoutMs: 45_000, intervalMs: 250, description: 'the decrypted event title in the Temporal UI' });
    expect(new URL(page.url()).pathname.startsWith(`${TEMPORAL_UI_PATH}/namespaces/default/workflows/booking-${booking.id}`)).toBe(true);
    await waitFor(() => codecCalls.length > 0, { timeoutMs: 10_000, description: 'the codec calls to be recorded' });
    // Same origin as the page, the session cookie sent by default, every call answered.
    expect(codecCalls.every((call) => call.url.startsWith(`${apiUrl}/codec/decode`) && call.status === 200 && call.sentCookie)).toBe(true);
    // Nobody ticked anything: the UI's codec settings in the browser are untouched.
    expect(await page.evaluate(`[localStorage.getItem('includeCredentials'), localStorage.getItem('overrideRemoteCodecConfiguration')]`)).toEqual([null, null]);
  } finally {
    await context.close();
  }
});

test('when a resident opens /admin/temporal/, then the portal refuses with its 403 page, and without a session it asks to sign in', async () => {
  const { context, page } = await newPage(portal);
  try {
    await signInWithBrowser(portal, page, harness.fixtures.resident.email);
    const response = await page.goto(`${apiUrl}${TEMPORAL_UI_PATH}/`);
    expect(response?.status()).toBe(403);
    await page.getByRole('heading', { name: 'Доступ запрещён' }).waitFor();
    // The UI's API is refused too (problem+json), before it reaches the UI server.
    const api = await page.request.get(`${apiUrl}${TEMPORAL_UI_PATH}/api/v1/namespaces/default/workflows`);
    expect(api.status()).toBe(403);
    expect(await api.json()).toMatchObject({ code: 'forbidden' });
  } finally {
    await context.close();
  }

  const anonymous = await newPage(portal);
  try {
    await anonymous.page.goto(`${apiUrl}${TEMPORAL_UI_PATH}/namespaces/default/workflows`);
    expect(new URL(anonymous.page.url()).pathname).toBe('/signin');
    expect(new URL(anonymous.page.url()).searchParams.get('next')).toBe(`${TEMPORAL_UI_PATH}/namespaces/default/workflows`);
  } finally {
    await anonymous.context.close();
  }
});
