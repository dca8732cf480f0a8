import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import type { HealthProbe } from '../../src/api/health';
import { createAuthService } from '../../src/auth/auth-service';
import { createPrismaClient, type PrismaClient } from '../../src/db/client';
import { createLogger } from '../../src/logger';
import { createCatalogService } from '../../src/venues/catalog-service';
import { testDatabaseUrl } from '../support/db';
import { startTestInbox, type TestInbox } from '../support/smtp';

/** What the request log keeps of a request: method, path, status; never the query or any header. */
let prisma: PrismaClient;
let inbox: TestInbox;
beforeAll(async () => {
  prisma = createPrismaClient(testDatabaseUrl());
  inbox = await startTestInbox();
});
afterAll(async () => {
  await prisma.$disconnect();
  await inbox.close();
});

const alwaysUp: HealthProbe = { check: async () => ({ database: 'up', temporal: 'up' }) };

/** The app with `router` under /api, logging at `level` into `lines`. */
function appLoggingAt(level: string, router: express.Router) {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
  const app = createApp({
    logger: createLogger(level, sink),
    auth: createAuthService({ prisma, mailer: inbox.mailer }),
    catalog: createCatalogService(prisma),
    health: alwaysUp,
    secureCookies: false,
    extensions: [{ router }],
  });
  return { app, lines };
}

it('when a response redirects with an address in its Location and sets a cookie, then the info log holds neither, nor the query', async () => {
  // A redirect whose Location carries an address (the portal's sign-in once sent one).
  const router = express.Router();
  router.get('/redirect-test', (_req, res) => res.cookie('opendk_session', 'secret-token').redirect(303, '/signin/code?email=ivan.petrov%40mail.example'));
  const { app, lines } = appLoggingAt('info', router);

  await request(app).get('/api/redirect-test?q=ivan.petrov@mail.example').set('Cookie', 'opendk_session=incoming-secret').expect(303);

  const completed = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'request completed');
  expect(completed).toMatchObject({ req: { method: 'GET', url: '/api/redirect-test' }, res: { statusCode: 303 } });
  const log = lines.join('');
  expect(log).not.toContain('ivan.petrov');
  expect(log).not.toContain('secret');
});

it('when a route fails with an error that carries an address (as nodemailer’s do), then the error line keeps its class, message and codes and blanks the address', async () => {
  const router = express.Router();
  router.get('/failing-mail', () => {
    // As nodemailer builds it: the server's reply appended to the message, the recipients as fields.
    const reply = '550 5.1.1 <ivan.petrov@mail.example>: mailbox unavailable';
    throw Object.assign(new Error(`Can't send mail - all recipients were rejected: ${reply}`), { code: 'EENVELOPE', responseCode: 550, response: reply, rejected: ['ivan.petrov@mail.example'] });
  });
  const { app, lines } = appLoggingAt('info', router);

  await request(app).get('/api/failing-mail').expect(500);

  const failed = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'unhandled error');
  expect(failed.err).toMatchObject({ type: 'Error', errorCode: 'EENVELOPE', responseCode: 550, message: "Can't send mail - all recipients were rejected: 550 5.1.1 <address>: mailbox unavailable" });
  expect(failed.err).not.toHaveProperty('rejected');
  expect(lines.join('')).not.toContain('ivan.petrov');
});
