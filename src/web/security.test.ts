import { randomBytes } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { derivedSecret, parsePayloadKeys } from '../codec';
import { createCsrf, CSRF_COOKIE } from './security';

/** One portal instance: GET renders a form token, POST checks it. */
function instance(secret: string) {
  const csrf = createCsrf({ secret, secureCookies: false });
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.get('/form', csrf.issue, (_req, res) => void res.json({ token: res.locals.csrfToken }));
  app.post('/form', (req, res) => void res.sendStatus(csrf.isValid(req) ? 204 : 403));
  return app;
}

const keysOf = (text: string) => parsePayloadKeys(text).keys;

test('when two API instances derive the CSRF secret from the same payload keys, then a form rendered by one is accepted by the other before sign-in', async () => {
  const payloadKeys = `k1:${randomBytes(32).toString('base64')}`;
  const [first, second] = [instance(derivedSecret(keysOf(payloadKeys), 'csrf')), instance(derivedSecret(keysOf(payloadKeys), 'csrf'))];
  const rendered = await request(first).get('/form');
  const cookie = rendered.headers['set-cookie'][0].split(';')[0];
  expect(cookie.startsWith(`${CSRF_COOKIE}=`)).toBe(true);

  await request(second).post('/form').set('Cookie', cookie).type('form').send({ _csrf: rendered.body.token }).expect(204);
  // A different key (another deployment) refuses it.
  const other = instance(derivedSecret(keysOf(`k1:${randomBytes(32).toString('base64')}`), 'csrf'));
  await request(other).post('/form').set('Cookie', cookie).type('form').send({ _csrf: rendered.body.token }).expect(403);
});

test('when a secret is derived, then it depends on the first key and the purpose only, and reveals neither key', () => {
  const [a, b] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
  const secret = derivedSecret(keysOf(`new:${a},old:${b}`), 'csrf');
  expect(derivedSecret(keysOf(`other-id:${a}`), 'csrf')).toBe(secret);
  expect(derivedSecret(keysOf(`new:${b},old:${a}`), 'csrf')).not.toBe(secret);
  expect(derivedSecret(keysOf(`new:${a}`), 'something-else')).not.toBe(secret);
  expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
  expect(secret).not.toContain(Buffer.from(a, 'base64').toString('base64url').slice(0, 16));
});
