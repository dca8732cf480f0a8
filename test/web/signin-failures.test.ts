import { createSmtpMailer } from '../../src/mail/create-mailer';
import type { Mailer } from '../../src/mail/mailer';
import { startScriptedSmtpServer, unreachableSmtpUrl, type ScriptedSmtpServer } from '../support/smtp';
import { nextSignInCode, pageText, useWebPortal } from './web-portal';

/**
 * The sign-in pages when the code cannot be sent (the mail server refuses the address, or is
 * away) and when an address has had too many wrong codes: the person reads why, on the form,
 * instead of an error page.
 */
let refusing: ScriptedSmtpServer;
const mailers: Mailer[] = [];
const WRONG_CODES_PER_DAY = 2;

beforeAll(async () => {
  refusing = await startScriptedSmtpServer({
    onRcptTo: (_address, _session, callback) => callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 })),
  });
  const from = 'Открытый ДК <no-reply@opendk.test>';
  mailers.push(createSmtpMailer(refusing.url, from), createSmtpMailer(await unreachableSmtpUrl(), from));
});

afterAll(async () => {
  for (const mailer of mailers) await mailer.close();
  await refusing?.close();
});

const portal = useWebPortal('web-signin-failures', () => {
  const [refusingMailer, awayMailer] = mailers;
  return {
    // Every transport is a real SMTP conversation; the address picks which server takes it.
    signInMailer: (inbox) => ({
      send: (mail) => (mail.to.startsWith('nobody.') ? refusingMailer : mail.to.startsWith('away.') ? awayMailer : inbox).send(mail),
      close: async () => undefined,
    }),
    authPolicy: { wrongCodesPerEmail: { max: WRONG_CODES_PER_DAY, windowMs: 24 * 3_600_000 } },
  };
});

const unique = (prefix: string) => `${prefix}.${process.pid}.${Date.now()}@example.test`;

it('when the mail server refuses the address, then the sign-in form says to check it (422)', async () => {
  const browser = portal.browser();
  const email = unique('nobody');
  const page = await browser.submit(await browser.get('/signin'), 'Получить код', { email });
  expect(page.status).toBe(422);
  expect(pageText(page.markup)).toContain('Почтовый сервер не принимает письма на этот адрес. Проверьте адрес.');
  expect(await portal.harness.prisma.loginCode.count({ where: { email } })).toBe(0);
});

it('when the mail server is away, then the sign-in form says to try again in a minute (503)', async () => {
  const browser = portal.browser();
  const page = await browser.submit(await browser.get('/signin'), 'Получить код', { email: unique('away') });
  expect(page.status).toBe(503);
  expect(pageText(page.markup)).toContain('почтовый сервер недоступен');
});

it('when an address has had too many wrong codes, then the code step says how long sign-in is paused (429), even for the right code', async () => {
  const browser = portal.browser();
  const email = unique('guessed');
  const codeStep = await browser.submit(await browser.get('/signin'), 'Получить код', { email });
  const code = await nextSignInCode(portal.harness.inbox, email, 0);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  for (let attempt = 0; attempt < WRONG_CODES_PER_DAY; attempt++) expect((await browser.submit(codeStep, 'Войти', { code: wrong })).status).toBe(422);
  const paused = await browser.submit(codeStep, 'Войти', { code });
  expect(paused.status).toBe(429);
  expect(pageText(paused.markup)).toMatch(/слишком много неверных кодов, вход приостановлен\. Попробуйте через \d+ ч/);
  expect(browser.cookie('opendk_session')).toBeUndefined();

  // Asking for a new code says the same, and sends none.
  const again = await browser.submit(await browser.get('/signin'), 'Получить код', { email });
  expect(again.status).toBe(429);
  expect(pageText(again.markup)).toContain('вход приостановлен');
  expect(portal.harness.inbox.to(email)).toHaveLength(1);
});
