import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger, type Logger } from '../../src/logger';
import { createSmtpMailer } from '../../src/mail/create-mailer';
import { startTestApp, uniqueEmail, type TestApp } from '../support/app';
import { answersHeldBack, startScriptedSmtpServer, startTestInbox, unreachableSmtpUrl, type TestInbox } from '../support/smtp';

/**
 * The sign-in code's edges: several codes for one address, a cap on wrong codes that fresh
 * codes do not reset, a mail server that refuses or is away, and parallel requests against the
 * per-client limit.
 */
let inbox: TestInbox;
let testApp: TestApp;
const WRONG_CODES_PER_DAY = 4;

beforeAll(async () => {
  inbox = await startTestInbox();
  testApp = await startTestApp({
    mailer: inbox.mailer,
    authPolicy: { perClient: { max: 10_000, windowMs: 600_000 }, wrongCodesPerEmail: { max: WRONG_CODES_PER_DAY, windowMs: 24 * 3_600_000 } },
  });
});

afterAll(async () => {
  await testApp.close();
  await inbox.close();
});

async function requestCode(app: TestApp, email: string): Promise<string> {
  const before = inbox.to(email).length;
  await request(app.app).post('/api/auth/code').send({ email }).expect(202);
  const code = /\b(\d{6})\b/.exec((await inbox.waitForMessages(email, before + 1)).at(-1)?.text ?? '')?.[1];
  if (!code) throw new Error('no code in the e-mail');
  return code;
}

const signIn = (email: string, code: string) => request(testApp.app).post('/api/auth/session').send({ email, code });
const wrongFor = (...codes: string[]) => ['000000', '111111', '222222', '333333'].find((candidate) => !codes.includes(candidate))!;

it('when a second code was asked for, then the first one still signs in, and afterwards neither works again', async () => {
  const email = uniqueEmail('double.click');
  const first = await requestCode(testApp, email);
  const second = await requestCode(testApp, email);
  expect((await signIn(email, first)).status).toBe(200);
  for (const code of [second, first]) {
    const again = await signIn(email, code);
    expect(again.status).toBe(400);
    expect(again.body.errors[0].message).toContain('устарел');
  }
});

it('when the wrong codes for one address reach the daily cap, then even the right code and a fresh one are refused with 429 until the window frees', async () => {
  const email = uniqueEmail('guessed');
  const code = await requestCode(testApp, email);
  for (let attempt = 0; attempt < WRONG_CODES_PER_DAY; attempt++) expect((await signIn(email, wrongFor(code))).status).toBe(400);
  const refused = await signIn(email, code);
  expect(refused.status).toBe(429);
  expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(refused.body).toMatchObject({ code: 'too-many-wrong-codes', title: 'Слишком много неверных кодов' });
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(23 * 3_600);
  expect(refused.body.detail).toMatch(/попробуйте через \d+ ч/i);
  // No fresh code is sent to a paused address: it could not be used.
  const mails = inbox.to(email).length;
  const ask = await request(testApp.app).post('/api/auth/code').send({ email });
  expect(ask.status).toBe(429);
  expect(ask.body.code).toBe('too-many-wrong-codes');
  expect(inbox.to(email)).toHaveLength(mails);
  expect(await testApp.prisma.user.count({ where: { email } })).toBe(0);

  // Another address is not affected.
  const other = uniqueEmail('neighbour');
  expect((await signIn(other, await requestCode(testApp, other))).status).toBe(200);
});

it('when the wrong tries lie on several codes, then the pause lasts until enough of them left the day, not just the oldest', async () => {
  const email = uniqueEmail('piled');
  const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
  const row = (createdAt: Date, attempts: number) => ({ email, codeHash: 'x', clientHash: 'y', attempts, createdAt, expiresAt: new Date(createdAt.getTime() + 600_000) });
  // The oldest leaving the window (in 4 h) leaves WRONG_CODES_PER_DAY + 1: still paused until the newer one leaves (in 23 h).
  await testApp.prisma.loginCode.createMany({ data: [row(hoursAgo(20), 1), row(hoursAgo(1), WRONG_CODES_PER_DAY + 1)] });
  const refused = await signIn(email, '123456');
  expect(refused.status).toBe(429);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(22 * 3_600);
});

describe('when the mail server does not take the code', () => {
  const refusal = (message: string) => Object.assign(new Error(message), { responseCode: 550 });

  /** The app with its sign-in codes sent to `smtpUrl`; both closed after `use`. */
  async function withMailServer(smtpUrl: string, options: { sendDeadlineMs?: number; logger?: Logger }, use: (app: TestApp) => Promise<void>) {
    const mailer = createSmtpMailer(smtpUrl, 'Открытый ДК <no-reply@opendk.test>', options);
    const app = await startTestApp({ mailer, logger: options.logger, authPolicy: { perClient: { max: 10_000, windowMs: 600_000 } } });
    try {
      await use(app);
    } finally {
      await app.close();
      await mailer.close();
    }
  }

  it('refuses the address for good, then 400 on the address, no code is kept, and retries do not run into the limit', async () => {
    const server = await startScriptedSmtpServer({ onRcptTo: (_address, _session, callback) => callback(refusal('No such mailbox')) });
    await withMailServer(server.url, {}, async (app) => {
      const email = uniqueEmail('no.such.mailbox');
      for (let attempt = 0; attempt < 4; attempt++) {
        const response = await request(app.app).post('/api/auth/code').send({ email });
        expect(response.status).toBe(400);
        expect(response.body.errors).toEqual([{ field: 'body.email', message: 'Почтовый сервер не принимает письма на этот адрес. Проверьте адрес.' }]);
      }
      expect(await app.prisma.loginCode.count({ where: { email } })).toBe(0);
    }).finally(() => server.close());
  });

  it('refuses the sender (its own configuration), then 503 rather than blaming the address', async () => {
    const server = await startScriptedSmtpServer({ onMailFrom: (_address, _session, callback) => callback(refusal('Relay denied')) });
    await withMailServer(server.url, {}, async (app) => {
      const response = await request(app.app).post('/api/auth/code').send({ email: uniqueEmail('sender.refused') });
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('mail-unavailable');
    }).finally(() => server.close());
  });

  it('takes the message but its answer does not come before the send deadline, then 503, and the code is kept: it may arrive and must then work', async () => {
    const answers = answersHeldBack();
    const server = await startScriptedSmtpServer({ onData: answers.onData });
    await withMailServer(server.url, { sendDeadlineMs: 500 }, async (app) => {
      const email = uniqueEmail('slow.answer');
      const response = await request(app.app).post('/api/auth/code').send({ email });
      expect(response.status).toBe(503);
      expect(answers.held).toBe(1);
      expect(await app.prisma.loginCode.count({ where: { email } })).toBe(1);
    }).finally(async () => {
      answers.release();
      await server.close();
    });
  });

  it('is away, then 503 with Retry-After, no code is kept, and the log names the failure but not the address', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    await withMailServer(await unreachableSmtpUrl(), { logger: createLogger('info', sink) }, async (app) => {
      const email = uniqueEmail('mail.away');
      const response = await request(app.app).post('/api/auth/code').send({ email });
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ code: 'mail-unavailable', title: 'Письмо не отправлено' });
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(await app.prisma.loginCode.count({ where: { email } })).toBe(0);
      const log = lines.join('');
      expect(log).toContain('sign-in code not sent');
      expect(log).not.toContain(email);
      expect(log).not.toContain(email.split('@')[0]);
    });
  });
});

it('when one client asks for codes for many addresses at once, then exactly the per-client limit gets through', async () => {
  const limit = 5;
  const limited = await startTestApp({ mailer: inbox.mailer, authPolicy: { perClient: { max: limit, windowMs: 600_000 } } });
  try {
    limited.app.set('trust proxy', 1);
    const client = `10.8.${process.pid % 250}.${Date.now() % 250}`;
    const emails = Array.from({ length: 4 * limit }, (_, index) => uniqueEmail(`parallel${index}`));
    const statuses = await Promise.all(
      emails.map((email) => request(limited.app).post('/api/auth/code').set('X-Forwarded-For', client).send({ email }).then((response) => response.status)),
    );
    expect(statuses.filter((status) => status === 202)).toHaveLength(limit);
    expect(statuses.filter((status) => status !== 202).every((status) => status === 429)).toBe(true);
    // A code (and its e-mail) exists for exactly the addresses let through; the refused left nothing behind.
    const withCode = new Set((await limited.prisma.loginCode.findMany({ where: { email: { in: emails } }, select: { email: true } })).map((row) => row.email));
    expect(emails.filter((_, index) => statuses[index] === 202).sort()).toEqual([...withCode].sort());
    expect(emails.filter((email, index) => statuses[index] !== 202 && inbox.to(email).length > 0)).toEqual([]);
  } finally {
    await limited.close();
  }
});
