import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../src/api/app';
import type { HealthProbe } from '../../src/api/health';
import { createAuthService } from '../../src/auth/auth-service';
import { ENCRYPTED_ENCODING } from '../../src/codec';
import { loadConfig } from '../../src/config';
import { createPrismaClient, type PrismaClient } from '../../src/db/client';
import { findFreePort } from '../../src/infra/process-tools';
import { resolveTemporalCli } from '../../src/infra/temporal-cli';
import type { TemporalDevServer } from '../../src/infra/temporal-dev-server';
import { createLogger } from '../../src/logger';
import { createCatalogService } from '../../src/venues/catalog-service';
import { signIn, uniqueEmail } from '../support/app';
import { testDatabaseUrl } from '../support/db';
import { testCodec, testDataConverter } from '../support/payload-codec';
import { startTestInbox, type TestInbox } from '../support/smtp';
import { startDevServerOnFreePorts } from '../support/dev-server';
import { waitFor } from '../support/wait';
import { CHROMIUM_PATH } from './portal';

/**
 * The Temporal Web UI of a dev server started as `npm start` starts it (its codec endpoint set
 * to the API's /codec), in Debian's chromium: an administrator signed in to the site sees a
 * booking's payloads decrypted once the UI includes credentials; without a session the UI
 * shows them encrypted. Proves the cookie crosses from the UI's port to the API's (same site).
 */
const SECRET = 'Снежана Вышеславцева, +79165557248';
const SUMMARY = 'Большой зал, ДК «Тестовый», 15.01.2030 19:00';
/** How the UI shows a payload it could not decode: its metadata in base64, "binary/encrypted" among it. */
const ENCRYPTED_ENCODING_BASE64 = Buffer.from(ENCRYPTED_ENCODING).toString('base64');

let temporal: TemporalDevServer;
let temporalDir: string;
let client: Client;
let prisma: PrismaClient;
let inbox: TestInbox;
let server: Server;
let browser: Browser;
let apiUrl: string;
let uiUrl: string;
let adminToken: string;
let workflowId: string;
let workflowPath: string;

const alwaysUp: HealthProbe = { check: async () => ({ database: 'up', temporal: 'up' }) };

beforeAll(async () => {
  // The API's port is bound now and served once the app is made: found free and left unbound
  // while the Temporal dev server starts, another listener could take it (as temporal-ui-proxy's).
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiPort = (server.address() as AddressInfo).port;
  const uiPort = await findFreePort();
  // localhost for both, as npm start prints them: the UI's origin and the cookie's site.
  apiUrl = `http://localhost:${apiPort}`;
  uiUrl = `http://localhost:${uiPort}`;
  const config = loadConfig();
  temporalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-ui-codec-'));
  temporal = await startDevServerOnFreePorts({
    cliPath: await resolveTemporalCli({ configuredPath: config.temporal.cliPath, projectRoot: config.projectRoot, log: () => undefined }),
    dataDir: temporalDir,
    uiPort,
    persistent: false,
    uiCodecEndpoint: `${apiUrl}/codec`,
  });

  prisma = createPrismaClient(testDatabaseUrl());
  inbox = await startTestInbox();
  const auth = createAuthService({ prisma, mailer: inbox.mailer });
  const app = createApp({
    logger: createLogger('silent'),
    auth,
    catalog: createCatalogService(prisma),
    health: alwaysUp,
    secureCookies: false,
    codecServer: { codec: testCodec(), allowedOrigins: [uiUrl] },
  });
  server.on('request', app);
  const email = uniqueEmail('ui-codec-admin');
  await prisma.user.create({ data: { email, role: 'ADMIN' } });
  adminToken = (await signIn(auth, inbox, email)).split('=')[1];

  // A booking as the API starts it: input and summary encrypted (no worker needed to show them).
  client = new Client({ connection: await Connection.connect({ address: temporal.address }), dataConverter: testDataConverter() });
  const handle = await client.workflow.start('bookingWorkflow', {
    workflowId: `ui-codec-${Date.now()}`,
    taskQueue: 'no-worker',
    args: [{ contact: SECRET }],
    staticSummary: SUMMARY,
  });
  workflowId = handle.workflowId;
  workflowPath = `/namespaces/default/workflows/${handle.workflowId}/${handle.firstExecutionRunId}/history`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await client?.connection.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await inbox?.close();
  await prisma?.$disconnect();
  await temporal?.stop();
  if (temporalDir) fs.rmSync(temporalDir, { recursive: true, force: true });
});

/** Opens the workflow's history in the UI, as a browser with or without the site's session and the UI's credentials setting. */
async function openHistory(options: { signedIn: boolean; includeCredentials: boolean }): Promise<{ page: Page; decodeStatuses: number[]; close(): Promise<void> }> {
  const context = await browser.newContext();
  // What the browser holds after signing in to the site at localhost:<api port>.
  if (options.signedIn) await context.addCookies([{ name: 'opendk_session', value: adminToken, domain: 'localhost', path: '/', httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();
  const decodeStatuses: number[] = [];
  page.on('response', (response) => {
    if (response.url().startsWith(`${apiUrl}/codec/decode`) && response.request().method() === 'POST') decodeStatuses.push(response.status());
  });
  await page.goto(`${uiUrl}/namespaces/default/workflows`);
  if (options.includeCredentials) {
    // The UI's "Configure Codec Server" dialog stores exactly these.
    const settings = { endpoint: JSON.stringify(`${apiUrl}/codec`), includeCredentials: 'true', overrideRemoteCodecConfiguration: 'true' };
    await page.evaluate(`for (const [key, value] of Object.entries(${JSON.stringify(settings)})) localStorage.setItem(key, value)`);
  }
  await page.goto(`${uiUrl}${workflowPath}`);
  return { page, decodeStatuses, close: () => context.close() };
}

const pageText = (page: Page) => page.locator('body').innerText();

test('when an administrator signed in to the site opens a booking in the Temporal UI with credentials included, then its payloads show decrypted', async () => {
  const { page, decodeStatuses, close } = await openHistory({ signedIn: true, includeCredentials: true });
  try {
    await waitFor(async () => (await pageText(page)).includes(SECRET), { timeoutMs: 30_000, intervalMs: 250, description: 'the decrypted input in the UI' });
    expect(await pageText(page)).toContain(SUMMARY);
    expect(decodeStatuses.length).toBeGreaterThan(0);
    expect(decodeStatuses.every((status) => status === 200)).toBe(true);
  } finally {
    await close();
  }
});

test.each([
  ['nobody is signed in to the site', { signedIn: false, includeCredentials: true }],
  ['the UI does not include credentials (the dev server default)', { signedIn: true, includeCredentials: false }],
])('when %s, then the UI is refused by the codec server and shows nothing of the booking', async (_case, options) => {
  const { page, decodeStatuses, close } = await openHistory(options);
  try {
    await waitFor(() => decodeStatuses.length > 0, { timeoutMs: 30_000, intervalMs: 250, description: 'the UI to call the codec server' });
    expect(decodeStatuses.every((status) => status === 401)).toBe(true);
    // The history has rendered, the input with it, still encrypted: only then is the absence below worth anything.
    const text = await waitFor(
      async () => {
        const shown = await pageText(page);
        return shown.includes(workflowId) && shown.includes('Workflow Execution Started') && shown.includes(ENCRYPTED_ENCODING_BASE64) && shown;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'the history with its input, still encrypted, in the UI' },
    );
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('Вышеславцева');
    expect(text).not.toContain(SUMMARY);
  } finally {
    await close();
  }
});
