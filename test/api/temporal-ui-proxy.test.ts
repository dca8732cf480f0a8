import http, { type IncomingMessage, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import type { HealthProbe } from '../../src/api/health';
import { createAuthService } from '../../src/auth/auth-service';
import { loadConfig, TEMPORAL_UI_PATH } from '../../src/config';
import { createPrismaClient, type PrismaClient } from '../../src/db/client';
import { findFreePort } from '../../src/infra/process-tools';
import { createLogger } from '../../src/logger';
import { createCatalogService } from '../../src/venues/catalog-service';
import { signIn, uniqueEmail } from '../support/app';
import { testDatabaseUrl } from '../support/db';
import { startTestInbox, type TestInbox } from '../support/smtp';
import { waitFor } from '../support/wait';

/**
 * The Temporal UI proxied at /admin/temporal (src/api/routes/temporal-ui.ts), over HTTP with the
 * real app and real sessions, against a stand-in UI server that records what reaches it.
 */
const alwaysUp: HealthProbe = { check: async () => ({ database: 'up', temporal: 'up' }) };

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let prisma: PrismaClient;
let inbox: TestInbox;
let upstream: Server;
let app: Express;
let downApp: Express;
const seen: Seen[] = [];
const sessions = { admin: '', resident: '', operator: '' };

beforeAll(async () => {
  prisma = createPrismaClient(testDatabaseUrl());
  inbox = await startTestInbox();
  const auth = createAuthService({ prisma, mailer: inbox.mailer });
  upstream = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.setHeader('Set-Cookie', ['_csrf=ui-token; Path=/; SameSite=Strict', 'opendk_session=planted; Path=/']);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ ui: true }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const base = { logger: createLogger('silent'), auth, catalog: createCatalogService(prisma), health: alwaysUp, secureCookies: false };
  app = createApp({ ...base, temporalUi: { upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, path: TEMPORAL_UI_PATH } });
  // Nothing listens there: the UI server is down.
  downApp = createApp({ ...base, temporalUi: { upstream: `http://127.0.0.1:${await findFreePort()}`, path: TEMPORAL_UI_PATH } });
  for (const role of ['admin', 'resident', 'operator'] as const) {
    const email = uniqueEmail(`ui-proxy-${role}`);
    await prisma.user.create({ data: { email, role: role.toUpperCase() as 'ADMIN' | 'RESIDENT' | 'OPERATOR' } });
    sessions[role] = await signIn(auth, inbox, email);
  }
});

afterAll(async () => {
  await new Promise<void>((resolve) => (upstream ? upstream.close(() => resolve()) : resolve()));
  await inbox?.close();
  await prisma?.$disconnect();
});

beforeEach(() => {
  seen.length = 0;
});

describe('the Temporal UI at /admin/temporal', () => {
  it.each([
    ['nobody is signed in', 401, undefined, 'unauthenticated'],
    ['a resident asks', 403, 'resident', 'forbidden'],
    ['an operator asks', 403, 'operator', 'forbidden'],
  ] as const)('when %s, then the answer is %i problem+json in Russian and nothing reaches the UI server', async (_case, status, role, code) => {
    const call = request(app).get(`${TEMPORAL_UI_PATH}/api/v1/settings`);
    const response = await (role ? call.set('Cookie', sessions[role]) : call);
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.text)).toMatchObject({ code, status, title: status === 401 ? 'Требуется вход' : 'Доступ запрещён' });
    expect(seen).toEqual([]);
  });

  it('when an administrator asks, then the request reaches the UI server with its path, body and the UI\'s cookie and token, but none of the site\'s cookies', async () => {
    const response = await request(app)
      .post(`${TEMPORAL_UI_PATH}/api/v1/namespaces/default/workflows/w/signal?x=1`)
      .set('Cookie', `${sessions.admin}; opendk_csrf=portal-csrf-id; opendk_lang=en; _csrf=ui-token`)
      .set('X-CSRF-Token', 'ui-token')
      .set('Content-Type', 'application/json')
      .send({ signalName: 'ping' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ui: true });
    expect(seen).toHaveLength(1);
    const [forwarded] = seen;
    expect(forwarded).toMatchObject({ method: 'POST', url: `${TEMPORAL_UI_PATH}/api/v1/namespaces/default/workflows/w/signal?x=1`, body: '{"signalName":"ping"}' });
    expect(forwarded.headers.cookie).toBe('_csrf=ui-token');
    expect(forwarded.headers['x-csrf-token']).toBe('ui-token');
    // The UI's cookie is narrowed to the UI's path; it cannot plant one of the site's.
    expect(response.headers['set-cookie']).toEqual(['_csrf=ui-token; Path=/admin/temporal; SameSite=Strict']);
    // The portal's CSP (no inline script) would break the UI's page.
    expect(response.headers['content-security-policy']).toBeUndefined();
  });

  it('when an administrator sends only the site\'s cookies, then the UI server gets no Cookie header at all', async () => {
    const response = await request(app).get(`${TEMPORAL_UI_PATH}/`).set('Cookie', `${sessions.admin}; opendk_csrf=portal-csrf-id`);
    expect(response.status).toBe(200);
    expect(seen[0].url).toBe(`${TEMPORAL_UI_PATH}/`);
    expect(seen[0].headers.cookie).toBeUndefined();
  });

  it('when the UI server is down, then an administrator gets 503 problem+json with Retry-After, and others are still refused first', async () => {
    const response = await request(downApp).get(`${TEMPORAL_UI_PATH}/namespaces/default/workflows`).set('Cookie', sessions.admin);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.text)).toMatchObject({ code: 'service-unavailable', title: 'Сервис временно недоступен' });
    const english = await request(downApp).get(`${TEMPORAL_UI_PATH}/`).set('Cookie', sessions.admin).set('Accept-Language', 'en');
    expect(JSON.parse(english.text)).toMatchObject({ code: 'service-unavailable', title: 'Service temporarily unavailable' });
    expect((await request(downApp).get(`${TEMPORAL_UI_PATH}/`).set('Cookie', sessions.resident)).status).toBe(403);
  });

  it('when an administrator\'s request carries a chunked body, then the UI server gets it as that request\'s body, never as a request of its own', async () => {
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    try {
      const inner = 'GET /admin/temporal/smuggled HTTP/1.1\r\nHost: ui\r\n\r\n';
      const raw = [
        'GET /admin/temporal/ HTTP/1.1',
        'Host: opendk.test',
        `Cookie: ${sessions.admin}`,
        'Transfer-Encoding: chunked',
        'Connection: close',
        '',
        `${Buffer.byteLength(inner).toString(16)}\r\n${inner}\r\n0\r\n\r\n`,
      ].join('\r\n');
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.write(raw));
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
      await waitFor(() => seen.length >= 1, { description: 'the request at the UI server' });
      expect(seen[0]).toMatchObject({ method: 'GET', url: '/admin/temporal/', body: inner });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('when the path only starts like the UI\'s, then it is not proxied', async () => {
    const response = await request(app).get(`${TEMPORAL_UI_PATH}x/`).set('Cookie', sessions.admin);
    expect(response.status).toBe(404);
    expect(seen).toEqual([]);
  });
});

describe('the setting TEMPORAL_UI_UPSTREAM', () => {
  it('when set, then links point to the proxied UI and both the site and the UI\'s own address may call the codec server', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://opendk.example', TEMPORAL_UI_URL: 'http://localhost:8080/admin/temporal', TEMPORAL_UI_UPSTREAM: 'http://temporal-ui:8080' });
    expect(config.temporal.uiProxy).toEqual({ upstream: 'http://temporal-ui:8080' });
    expect(config.temporal.uiUrl).toBe('https://opendk.example/admin/temporal');
    expect(config.codec.uiOrigins).toEqual(['http://localhost:8080', 'https://opendk.example']);
  });

  it('when unset, then nothing is proxied and links and the codec server\'s browser origin are the UI\'s own, as before', () => {
    const config = loadConfig({ TEMPORAL_UI_URL: 'https://temporal.opendk.example' });
    expect(config.temporal.uiProxy).toBeUndefined();
    expect(config.temporal.uiUrl).toBe('https://temporal.opendk.example');
    expect(config.codec.uiOrigins).toEqual(['https://temporal.opendk.example']);
  });
});
