import { nextSignInCode, pageText, useWebPortal } from './web-portal';

/**
 * Which addresses the sign-in form takes: the API's rule (src/domain/email.ts), so nothing the
 * mailer would misread gets through, and nothing a real mailbox has is turned away.
 */
const portal = useWebPortal('web-signin-addresses');

it('when the address is one the mailer would read as two, then the form asks for an address (422) and no code is made or sent', async () => {
  const browser = portal.browser();
  const stamp = `${process.pid}.${Date.now()}`;
  const email = `ivan.${stamp},petr.${stamp}@example.test`;
  const page = await browser.submit(await browser.get('/signin'), 'Получить код', { email });
  expect(page.status).toBe(422);
  expect(pageText(page.markup)).toContain('Укажите адрес электронной почты');
  expect(await portal.harness.prisma.loginCode.count({ where: { email: { contains: stamp } } })).toBe(0);
  // A code is sent before the form answers, so none sent by now is none at all.
  expect(portal.harness.inbox.to(`petr.${stamp}@example.test`)).toHaveLength(0);
});

it('when an address is long but valid (over 200 characters), then the code goes to that whole address, not a shortened one', async () => {
  const browser = portal.browser();
  const email = `long.${process.pid}.${Date.now()}@${'mail.'.repeat(40)}example.test`;
  expect(email.length).toBeGreaterThan(200);
  expect(email.length).toBeLessThanOrEqual(254);
  const codeStep = await browser.submit(await browser.get('/signin'), 'Получить код', { email });
  expect(codeStep.url).toMatch(/^\/signin\/code/);
  expect(await nextSignInCode(portal.harness.inbox, email, 0)).toMatch(/^\d{6}$/);
  expect(await portal.harness.prisma.loginCode.count({ where: { email } })).toBe(1);
});

it('when an address is on a .рф domain, in letters or in punycode, then the code goes to it and both spellings are one account', async () => {
  const local = `ivan.${process.pid}.${Date.now()}`;
  const browser = portal.browser();
  const codeStep = await browser.submit(await browser.get('/signin'), 'Получить код', { email: `${local}@почта.рф` });
  expect(codeStep.url).toMatch(/^\/signin\/code/);
  const code = await nextSignInCode(portal.harness.inbox, `${local}@почта.рф`, 0);
  const signedIn = await browser.submit(codeStep, 'Войти', { code });
  expect(signedIn.url).toBe('/account');

  const again = portal.browser();
  const punycodeStep = await again.submit(await again.get('/signin'), 'Получить код', { email: `${local}@XN--80A1ACNY.XN--P1AI` });
  expect(punycodeStep.url).toMatch(/^\/signin\/code/);
  await again.submit(punycodeStep, 'Войти', { code: await nextSignInCode(portal.harness.inbox, `${local}@почта.рф`, 1) });
  expect(await portal.harness.prisma.user.findMany({ where: { email: { startsWith: local } }, select: { email: true } })).toEqual([{ email: `${local}@почта.рф` }]);
});
