import fs from 'node:fs';
import path from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import express, { type Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import type { HealthProbe } from '../../src/api/health';
import { createAuthService, type AuthService } from '../../src/auth/auth-service';
import { AesGcmPayloadCodec } from '../../src/codec';
import { createPrismaClient, type PrismaClient } from '../../src/db/client';
import { createLogger } from '../../src/logger';
import { createCatalogService } from '../../src/venues/catalog-service';
import { signIn, uniqueEmail } from '../support/app';
import { testDatabaseUrl } from '../support/db';
import { testCodec, testPayloadKeys } from '../support/payload-codec';
import { startTestInbox, type TestInbox } from '../support/smtp';

/**
 * The codec server the Temporal UI and CLI call (POST /codec/decode, /codec/encode): over HTTP
 * with the real app, real sessions in PostgreSQL and the real codec with the test-only key.
 */
const UI_ORIGIN = 'http://localhost:8233';
const alwaysUp: HealthProbe = { check: async () => ({ database: 'up', temporal: 'up' }) };

let prisma: PrismaClient;
let inbox: TestInbox;
let auth: AuthService;
let app: Express;
const sessions = { admin: '', resident: '', operator: '' };
const tokenOf = (cookie: string) => cookie.split('=')[1];

beforeAll(async () => {
  prisma = createPrismaClient(testDatabaseUrl());
  inbox = await startTestInbox();
  auth = createAuthService({ prisma, mailer: inbox.mailer });
  app = createApp({
    logger: createLogger('silent'),
    auth,
    catalog: createCatalogService(prisma),
    health: alwaysUp,
    secureCookies: false,
    codecServer: { codec: testCodec(), allowedOrigins: [UI_ORIGIN] },
  });
  for (const role of ['admin', 'resident', 'operator'] as const) {
    const email = uniqueEmail(`codec-${role}`);
    await prisma.user.create({ data: { email, role: role.toUpperCase() as 'ADMIN' | 'RESIDENT' | 'OPERATOR' } });
    sessions[role] = await signIn(auth, inbox, email);
  }
});

afterAll(async () => {
  await inbox?.close();
  await prisma?.$disconnect();
});

const secret = { eventTitle: 'Юбилей Петровой', contactPhone: '+79031112233' };
/** proto3 JSON, as the UI sends it: every bytes field (data, each metadata value) in base64. */
const toJson = (payload: Payload) => temporal.api.common.v1.Payload.fromObject(payload).toJSON();
const fromJson = (json: object) => temporal.api.common.v1.Payload.fromObject(json);
const encrypted = async () => (await testCodec().encode([defaultPayloadConverter.toPayload(secret)])).map(toJson);

const decode = (body: object) => request(app).post('/codec/decode').set('Content-Type', 'application/json').set('X-Namespace', 'default').send(body);

describe('POST /codec/decode', () => {
  it('when an administrator signed in to the site decodes from the Temporal UI, then the payloads come back readable, with CORS for the UI', async () => {
    const response = await decode({ payloads: await encrypted() }).set('Origin', UI_ORIGIN).set('Cookie', sessions.admin);
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body.payloads).toHaveLength(1);
    const [payload] = response.body.payloads;
    expect(Buffer.from(payload.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8'))).toEqual(secret);
  });

  it('when an administrator decodes a recorded booking history with a bearer token (the CLI), then its encrypted payloads become JSON and plain ones stay as they are', async () => {
    const file = path.resolve(__dirname, '..', 'histories', '3-encrypted-payloads', 'slot-taken.json');
    const history = JSON.parse(fs.readFileSync(file, 'utf8')).history as { events: { workflowExecutionStartedEventAttributes?: { input?: { payloads: object[] } } }[] };
    const started = history.events.find((event) => event.workflowExecutionStartedEventAttributes)!.workflowExecutionStartedEventAttributes!;
    const plain = toJson(defaultPayloadConverter.toPayload('already readable'));
    const response = await decode({ payloads: [...started.input!.payloads, plain] }).set('Authorization', `Bearer ${tokenOf(sessions.admin)}`);
    expect(response.status).toBe(200);
    const [input, passedThrough] = response.body.payloads.map(fromJson).map((payload: Payload) => defaultPayloadConverter.fromPayload(payload));
    expect(input).toMatchObject({ bookingId: expect.any(String), policy: expect.any(Object) });
    expect(passedThrough).toBe('already readable');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  const bearerChallenge = expect.stringMatching(/^Bearer/);
  it.each([
    ['a resident', () => ({ Cookie: sessions.resident }), 403, 'forbidden', undefined],
    ['an operator', () => ({ Authorization: `Bearer ${tokenOf(sessions.operator)}` }), 403, 'forbidden', undefined],
    ['an anonymous caller', () => ({}), 401, 'unauthenticated', bearerChallenge],
    ['a caller with an unknown token', () => ({ Authorization: 'Bearer not-a-session' }), 401, 'unauthenticated', bearerChallenge],
  ])('when %s asks to decode, then it is refused with a problem the UI can read', async (_who, headers, status, code, challenge) => {
    const response = await decode({ payloads: await encrypted() }).set('Origin', UI_ORIGIN).set(headers());
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ code, status });
    expect(response.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(JSON.stringify(response.body)).not.toContain('Петров');
    // A challenge only where signing in would help (401), not for a known caller without the role.
    expect(response.headers['www-authenticate']).toEqual(challenge);
  });

  it('when an anonymous caller sends a body that is not even JSON, then it is refused as anonymous: nothing is read before the caller is known', async () => {
    const response = await request(app).post('/codec/decode').set('Content-Type', 'application/json').send('{"payloads": [');
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('unauthenticated');
  });

  it('when a signed-out session is used, then it no longer decodes', async () => {
    const email = uniqueEmail('codec-admin-out');
    await prisma.user.create({ data: { email, role: 'ADMIN' } });
    const cookie = await signIn(auth, inbox, email);
    await auth.revokeSession(tokenOf(cookie));
    expect((await decode({ payloads: await encrypted() }).set('Cookie', cookie)).status).toBe(401);
  });

  it('when a payload was encrypted with a key the server does not have, then 422 names the key id', async () => {
    const foreign = new AesGcmPayloadCodec(testPayloadKeys('retired-2023:HycyxvbjJXgyf1A0lDvQIqrjc0YkH7ACBhi6hqXBeOo='));
    const [payload] = await foreign.encode([defaultPayloadConverter.toPayload(secret)]);
    const response = await decode({ payloads: [toJson(payload)] }).set('Cookie', sessions.admin).set('Accept-Language', 'en');
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'payload-key-unknown', detail: expect.stringContaining('"retired-2023"') });
  });

  it('when another route meets a payload of a key this process lacks (a half-done rotation), then it is a 500 that names no key', async () => {
    const foreign = new AesGcmPayloadCodec(testPayloadKeys('retired-2023:HycyxvbjJXgyf1A0lDvQIqrjc0YkH7ACBhi6hqXBeOo='));
    const [payload] = await foreign.encode([defaultPayloadConverter.toPayload(secret)]);
    // As a booking route reading an update's result written by a worker with other PAYLOAD_KEYS.
    const reader = express.Router().get('/reads-a-workflow', async (_req, res) => {
      res.json(await testCodec().decode([payload]));
    });
    const withReader = createApp({ logger: createLogger('silent'), auth, catalog: createCatalogService(prisma), health: alwaysUp, secureCookies: false, extensions: [{ router: reader }] });
    const response = await request(withReader).get('/api/reads-a-workflow').set('Cookie', sessions.resident);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 500, code: 'internal-error' });
    expect(response.text).not.toContain('retired-2023');
  });

  it('when the body is not the codec protocol, then 400 with the field', async () => {
    const response = await decode({ payloads: [{ metadata: { encoding: 'not base64!' }, data: '' }] }).set('Cookie', sessions.admin);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'body.payloads.0.metadata.encoding' })]);
    expect((await decode({ items: [] }).set('Cookie', sessions.admin)).status).toBe(400);
  });
});

describe('POST /codec/encode', () => {
  it('when an administrator encodes (the UI starting or signalling a workflow), then the result is encrypted with the current key and decodes back', async () => {
    const response = await request(app)
      .post('/codec/encode')
      .set('Authorization', `Bearer ${tokenOf(sessions.admin)}`)
      .send({ payloads: [toJson(defaultPayloadConverter.toPayload(secret))] });
    expect(response.status).toBe(200);
    const [payload] = response.body.payloads.map(fromJson);
    expect(Buffer.from(payload.metadata.encoding).toString()).toBe('binary/encrypted');
    expect(Buffer.from(payload.metadata['encryption-key-id']).toString()).toBe('test-only-1');
    expect(defaultPayloadConverter.fromPayload((await testCodec().decode([payload]))[0])).toEqual(secret);
  });

  it('when a resident encodes, then it is refused', async () => {
    const response = await request(app).post('/codec/encode').set('Cookie', sessions.resident).send({ payloads: [] });
    expect(response.status).toBe(403);
  });
});

describe('CORS', () => {
  it('when the Temporal UI sends a preflight, then it is answered with its origin, credentials and the headers it sends', async () => {
    const response = await request(app)
      .options('/codec/decode')
      .set('Origin', UI_ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,x-namespace');
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(response.headers['access-control-allow-methods']).toMatch(/\bPOST\b/);
    const allowed = response.headers['access-control-allow-headers'].toLowerCase().split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'x-namespace', 'authorization']));
    expect(response.headers.vary).toMatch(/Origin/);
  });

  it.each(['http://evil.example', 'http://localhost:3001', 'null'])('when a page of origin %s tries, then neither the preflight nor the request is allowed, even with an administrator cookie', async (origin) => {
    const preflight = await request(app).options('/codec/decode').set('Origin', origin).set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const post = await decode({ payloads: await encrypted() }).set('Origin', origin).set('Cookie', sessions.admin);
    expect(post.status).toBe(403);
    expect(post.body.code).toBe('origin-not-allowed');
    expect(post.headers['access-control-allow-origin']).toBeUndefined();
    expect(post.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('when /codec is asked for something else, then it is not found or not allowed, and /api is untouched', async () => {
    expect((await request(app).get('/codec/decode').set('Cookie', sessions.admin)).status).toBe(405);
    expect((await request(app).post('/codec/other').set('Cookie', sessions.admin).send({})).status).toBe(404);
    expect((await request(app).options('/api/districts').set('Origin', UI_ORIGIN)).headers['access-control-allow-origin']).toBeUndefined();
  });
});
