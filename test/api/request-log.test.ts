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

it('when a response redirects with an address in its Location and sets a cookie, then the info log holds neither, nor the query', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
  // A redirect as the portal's sign-in sends one: the next page's URL carries the address.
  const router = express.Router();
  router.get('/redirect-test', (_req, res) => res.cookie('opendk_session', 'secret-token').redirect(303, '/signin/code?email=ivan.petrov%40mail.example'));
  const app = createApp({
    logger: createLogger('info', sink),
    auth: createAuthService({ prisma, mailer: inbox.mailer }),
    catalog: createCatalogService(prisma),
    health: alwaysUp,
    secureCookies: false,
    extensions: [{ router }],
  });

  await request(app).get('/api/redirect-test?q=ivan.petrov@mail.example').set('Cookie', 'opendk_session=incoming-secret').expect(303);

  const completed = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'request completed');
  expect(completed).toMatchObject({ req: { method: 'GET', url: '/api/redirect-test' }, res: { statusCode: 303 } });
  const log = lines.join('');
  expect(log).not.toContain('ivan.petrov');
  expect(log).not.toContain('secret');
});
