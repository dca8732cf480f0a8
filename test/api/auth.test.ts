import request from 'supertest';
import { startTestApp, uniqueEmail, type TestApp } from '../support/app';
import { startTestInbox, type TestInbox } from '../support/smtp';

let inbox: TestInbox;
let testApp: TestApp;

beforeAll(async () => {
  inbox = await startTestInbox();
  // The per-client limit is exercised by its own test; here every request comes from 127.0.0.1.
  testApp = await startTestApp({ mailer: inbox.mailer, authPolicy: { perClient: { max: 10_000, windowMs: 600_000 } } });
});

afterAll(async () => {
  await testApp.close();
  await inbox.close();
});

async function requestCode(email: string): Promise<string> {
  const before = inbox.to(email).length;
  await request(testApp.app).post('/api/auth/code').send({ email }).expect(202);
  const [latest] = (await inbox.waitForMessages(email, before + 1)).slice(-1);
  const code = /\b(\d{6})\b/.exec(latest.text ?? '')?.[1];
  if (!code) throw new Error('no code in the e-mail');
  return code;
}

function sessionCookie(response: request.Response): string {
  const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const session = cookies.find((cookie) => cookie.startsWith('opendk_session='));
  if (!session) throw new Error('no session cookie set');
  return session.split(';')[0];
}

describe('sign-in with an e-mailed code', () => {
  it('when a new address signs in with the e-mailed code, then it becomes a resident with a working, revocable session', async () => {
    const email = uniqueEmail('New.Resident');
    const code = await requestCode(email);
    const mail = inbox.to(email.toLowerCase()).at(-1)!;
    expect(mail.subject).toContain('Код для входа');
    expect(mail.text).toContain('действует 10 минут');
    // The warnings in English too, and the subject in both languages.
    expect(mail.subject).toContain('Open DK sign-in code');
    // The code only in the body: subjects show on lock screens and in mail servers' logs.
    expect(mail.subject).not.toContain(code);
    expect(mail.text).toContain(code);
    expect(mail.text).toContain('Do not share it with anyone');
    expect(mail.text).toContain('If you did not ask for a code');

    const signIn = await request(testApp.app).post('/api/auth/session').send({ email, code }).expect(200);
    expect(signIn.body).toMatchObject({ email: email.toLowerCase(), role: 'RESIDENT' });
    const rawCookie = ([] as string[]).concat(signIn.headers['set-cookie'])[0];
    expect(rawCookie).toMatch(/HttpOnly/);
    expect(rawCookie).toMatch(/SameSite=Lax/);
    const cookie = sessionCookie(signIn);

    const me = await request(testApp.app).get('/api/me').set('Cookie', cookie).expect(200);
    expect(me.body).toEqual({ id: signIn.body.id, email: email.toLowerCase(), role: 'RESIDENT' });
    // Personal answers are kept by no browser or proxy cache, and neither is the refusal after sign-out.
    expect(me.headers['cache-control']).toBe('no-store');

    await request(testApp.app).delete('/api/auth/session').set('Cookie', cookie).expect(204);
    expect((await request(testApp.app).get('/api/me').set('Cookie', cookie).expect(401)).headers['cache-control']).toBe('no-store');
    const stored = await testApp.prisma.session.findMany({ where: { userId: signIn.body.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0].revokedAt).not.toBeNull();
  });

  it('when a seeded operator signs in, then /me names the operator role and districts', async () => {
    const email = 'operator.dmitrov@opendk.test';
    const code = await requestCode(email);
    const signIn = await request(testApp.app).post('/api/auth/session').send({ email, code }).expect(200);
    const me = await request(testApp.app).get('/api/me').set('Cookie', sessionCookie(signIn)).expect(200);
    const dmitrov = await testApp.prisma.district.findFirstOrThrow({ where: { name: 'Дмитровский' } });
    expect(me.body).toMatchObject({ role: 'OPERATOR', districtIds: [dmitrov.id] });
  });

  it('when the code is wrong five times, then the right code no longer works', async () => {
    const email = uniqueEmail('guesser');
    const code = await requestCode(email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 4; attempt++) {
      const response = await request(testApp.app).post('/api/auth/session').send({ email, code: wrong }).expect(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.errors[0]).toEqual({ field: 'body.code', message: `Неверный код. Осталось попыток: ${5 - attempt}. Проверьте цифры или запросите новый код.` });
    }
    const fifth = await request(testApp.app).post('/api/auth/session').send({ email, code: wrong }).expect(400);
    expect(fifth.body.code).toBe('code-exhausted');
    const late = await request(testApp.app).post('/api/auth/session').send({ email, code }).expect(400);
    expect(late.body.code).toBe('code-exhausted');
    expect(await testApp.prisma.user.count({ where: { email } })).toBe(0);
  });

  it('when a code is older than ten minutes, then it is refused', async () => {
    const email = uniqueEmail('late');
    const code = await requestCode(email);
    await testApp.prisma.loginCode.updateMany({ where: { email }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    const response = await request(testApp.app).post('/api/auth/session').send({ email, code }).expect(400);
    expect(response.body.errors[0].message).toContain('устарел');
  });

  it('when one address asks for codes too often, then it gets 429 with Retry-After and no further e-mail', async () => {
    const email = uniqueEmail('eager');
    for (let i = 0; i < 3; i++) await requestCode(email);
    const refused = await request(testApp.app).post('/api/auth/code').send({ email }).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.title).toBe('Слишком много запросов');
    expect(inbox.to(email)).toHaveLength(3);
  });

  it('when one client asks for codes for many addresses, then the per-client limit stops it', async () => {
    const limited = await startTestApp({ mailer: inbox.mailer, authPolicy: { perClient: { max: 2, windowMs: 600_000 } } });
    try {
      // The client address is hashed per row; a fresh client id keeps this test apart from the others.
      const client = `10.9.${process.pid % 250}.${Date.now() % 250}`;
      const ask = (email: string) => request(limited.app).post('/api/auth/code').set('X-Forwarded-For', client).send({ email });
      limited.app.set('trust proxy', 1);
      const [a, b, c] = [uniqueEmail('a'), uniqueEmail('b'), uniqueEmail('c')];
      expect((await ask(a)).status).toBe(202);
      expect((await ask(b)).status).toBe(202);
      const refused = await ask(c);
      expect(refused.status).toBe(429);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      // The refusal issued no code and sent no e-mail; the codes let through are still there.
      expect(await limited.prisma.loginCode.count({ where: { email: c } })).toBe(0);
      expect(inbox.to(c)).toHaveLength(0);
      expect(await limited.prisma.loginCode.count({ where: { email: { in: [a, b] } } })).toBe(2);
    } finally {
      await limited.close();
    }
  });

  it('when a signed-in browser signs in again (as anyone), then its earlier session ends with it', async () => {
    const first = uniqueEmail('first.session');
    const earlier = sessionCookie(await request(testApp.app).post('/api/auth/session').send({ email: first, code: await requestCode(first) }));
    const second = uniqueEmail('second.session');
    const code = await requestCode(second);
    const later = sessionCookie(await request(testApp.app).post('/api/auth/session').set('Cookie', earlier).send({ email: second, code }).expect(200));
    expect((await request(testApp.app).get('/api/me').set('Cookie', earlier)).status).toBe(401);
    expect((await request(testApp.app).get('/api/me').set('Cookie', later)).body.email).toBe(second.toLowerCase());
  });

  it('when a browser sends a change from another site (even a sibling host), then 403 cross-site-request and nothing happens; its own pages and programs pass', async () => {
    const email = uniqueEmail('cross.site');
    const ask = () => request(testApp.app).post('/api/auth/code').send({ email });
    const sibling = await ask().set('Sec-Fetch-Site', 'same-site');
    expect(sibling.status).toBe(403);
    expect(sibling.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(sibling.body).toMatchObject({ code: 'cross-site-request', title: 'Запрос с чужого сайта' });
    expect((await ask().set('Origin', 'https://evil.example')).status).toBe(403);
    expect((await ask().set('Origin', 'null')).status).toBe(403);
    expect(inbox.to(email.toLowerCase())).toHaveLength(0);

    // A session survives a bodyless cross-site sign-out.
    const cookie = sessionCookie(await request(testApp.app).post('/api/auth/session').send({ email, code: await requestCode(email) }));
    expect((await request(testApp.app).delete('/api/auth/session').set('Cookie', cookie).set('Sec-Fetch-Site', 'cross-site')).status).toBe(403);
    expect((await request(testApp.app).get('/api/me').set('Cookie', cookie)).status).toBe(200);

    const host = `127.0.0.1:${1000 + (process.pid % 1000)}`;
    expect((await ask().set('Sec-Fetch-Site', 'same-origin')).status).toBe(202);
    expect((await ask().set('Host', host).set('Origin', `https://${host}`)).status).toBe(202);

    // Behind a trusted proxy that rewrites Host, the page's origin is the forwarded host.
    const proxied = await startTestApp({ mailer: inbox.mailer, authPolicy: { perClient: { max: 10_000, windowMs: 600_000 } } });
    try {
      proxied.app.set('trust proxy', 1);
      const viaProxy = (origin: string) =>
        request(proxied.app).post('/api/auth/code').set('Host', 'backend:3000').set('X-Forwarded-Host', 'dk.mosreg.example').set('Origin', origin).send({ email: uniqueEmail('proxied') });
      expect((await viaProxy('https://dk.mosreg.example')).status).toBe(202);
      expect((await viaProxy('https://evil.example')).status).toBe(403);
    } finally {
      await proxied.close();
    }

    // Behind a proxy that hands on its own Host and no X-Forwarded-Host: PUBLIC_URL's host is the site's.
    const published = await startTestApp({ mailer: inbox.mailer, authPolicy: { perClient: { max: 10_000, windowMs: 600_000 } }, publicHost: 'dk.mosreg.example' });
    try {
      const viaPlainProxy = (origin: string) => request(published.app).post('/api/auth/code').set('Host', 'backend:3000').set('Origin', origin).send({ email: uniqueEmail('published') });
      expect((await viaPlainProxy('https://dk.mosreg.example')).status).toBe(202);
      expect((await viaPlainProxy('https://evil.example')).status).toBe(403);
    } finally {
      await published.close();
    }
  });

  it('when the body has unknown fields or a malformed address, then 400 lists each field in Russian and nothing is sent', async () => {
    const before = inbox.messages.length;
    const response = await request(testApp.app).post('/api/auth/code').send({ email: 'not-an-address', admin: true }).expect(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, code: 'validation-failed', title: 'Ошибка в запросе' });
    const fields = response.body.errors.map((error: { field: string }) => error.field).sort();
    expect(fields).toEqual(['body.admin', 'body.email']);
    expect(response.body.errors.find((error: { field: string }) => error.field === 'body.email').message).toMatch(/электронной почты/);
    expect(inbox.messages.length).toBe(before);
  });

  it('when the address is on a .рф domain, then the code goes to it and the account is stored with the domain in letters; a list of two is refused', async () => {
    const local = `ivan.${Date.now()}`;
    await request(testApp.app).post('/api/auth/code').send({ email: `${local}@XN--80A1ACNY.xn--p1ai` }).expect(202);
    const [mail] = await inbox.waitForMessages(`${local}@почта.рф`);
    const code = /\b(\d{6})\b/.exec(mail.text ?? '')![1];
    const signIn = await request(testApp.app).post('/api/auth/session').send({ email: `${local}@почта.рф`, code }).expect(200);
    expect(signIn.body.email).toBe(`${local}@почта.рф`);
    const before = inbox.messages.length;
    await request(testApp.app).post('/api/auth/code').send({ email: `${local},petr@почта.рф` }).expect(400);
    expect(inbox.messages.length).toBe(before);
  });

  it('when the client prefers English, then the problem is in English', async () => {
    const response = await request(testApp.app).post('/api/auth/code').set('Accept-Language', 'en').send({}).expect(400);
    expect(response.body.title).toBe('Invalid request');
  });

  it('when there is no session, then /me is 401 with a Russian problem', async () => {
    const response = await request(testApp.app).get('/api/me').expect(401);
    expect(response.body).toMatchObject({ code: 'unauthenticated', title: 'Требуется вход' });
  });
});

describe('over HTTPS', () => {
  it('when a person signs in on a site served over HTTPS, then the session cookie is a __Host- cookie, and a session cookie of the plain name (which a sibling host could plant) signs nobody in', async () => {
    // Every request here comes from 127.0.0.1, as the other apps' of this file: their per-client limit is lifted too.
    const secure = await startTestApp({ mailer: inbox.mailer, secureCookies: true, authPolicy: { perClient: { max: 10_000, windowMs: 600_000 } } });
    try {
      const email = uniqueEmail('https.resident');
      const before = inbox.to(email).length;
      await request(secure.app).post('/api/auth/code').send({ email }).expect(202);
      const [latest] = (await inbox.waitForMessages(email, before + 1)).slice(-1);
      const code = /\b(\d{6})\b/.exec(latest.text ?? '')?.[1];
      const signedIn = await request(secure.app).post('/api/auth/session').send({ email, code }).expect(200);
      const set = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? []).find((cookie) => cookie.startsWith('__Host-opendk_session='));
      expect(set).toBeDefined();
      expect(set).toMatch(/; Path=\/(;|$)/);
      expect(set).toMatch(/; Secure(;|$)/);
      expect(set).not.toMatch(/; Domain=/i);
      const token = set!.split(';')[0].split('=')[1];

      expect((await request(secure.app).get('/api/me').set('Cookie', `__Host-opendk_session=${token}`)).status).toBe(200);
      expect((await request(secure.app).get('/api/me').set('Cookie', `opendk_session=${token}`)).status).toBe(401);
    } finally {
      await secure.close();
    }
  });
});
