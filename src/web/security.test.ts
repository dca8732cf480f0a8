import { randomBytes } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { derivedSecret, parsePayloadKeys } from '../codec';
import { createCsrf } from './security';

/** One portal instance: GET renders a form token, POST checks it. */
function instance(secret: string, secureCookies = false) {
  const csrf = createCsrf({ secret, secureCookies });
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
  expect(cookie.startsWith('opendk_csrf=')).toBe(true);

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

test('when the site is served over HTTPS, then the CSRF cookie is a __Host- cookie, and one of the plain name (which a sibling host could plant) does not count', async () => {
  const secret = randomBytes(32).toString('base64url');
  const secure = instance(secret, true);
  const rendered = await request(secure).get('/form');
  const [cookie, ...attributes] = rendered.headers['set-cookie'][0].split(';').map((part: string) => part.trim());
  expect(cookie.startsWith('__Host-opendk_csrf=')).toBe(true);
  expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'Secure']));
  expect(attributes.some((attribute: string) => /^domain=/i.test(attribute))).toBe(false);
  await request(secure).post('/form').set('Cookie', cookie).type('form').send({ _csrf: rendered.body.token }).expect(204);

  // A planted plain cookie with the token rendered for it by a plain-HTTP instance of the same secret.
  const planted = await request(instance(secret)).get('/form');
  const plain = planted.headers['set-cookie'][0].split(';')[0];
  await request(secure).post('/form').set('Cookie', plain).type('form').send({ _csrf: planted.body.token }).expect(403);
});
