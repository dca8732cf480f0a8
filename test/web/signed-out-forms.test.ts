import { createHash, randomUUID } from 'node:crypto';
import { toMoscow } from '../../src/domain/moscow-time';
import { nextSignInCode, pageText, signInCodes, useWebPortal } from './web-portal';

/**
 * A form left open in a tab whose session has gone (signed out elsewhere, expired) asks the
 * person to sign in and brings them back to a page that still makes sense, instead of a 403
 * "form expired"; a present session with a wrong form token is still refused.
 */

const portal = useWebPortal('web-signed-out');
const date = toMoscow(new Date(Date.now() + 3 * 86_400_000)).date;


it('when the session of an open booking form has been signed out in another tab, then sending it asks to sign in, and signing in brings the person back to that form; "Выйти" there lands on the catalog', async () => {
  const { harness } = portal;
  const roomId = await harness.fixtures.newRoom();
  const someone = await harness.fixtures.newResident();
  const tab = await portal.signedIn(someone.email);
  const form = await tab.get(`/book?room=${roomId}&date=${date}`);
  expect(form.status).toBe(200);

  // The other tab signs out: the browser's session cookie is cleared for both.
  const other = tab.fork();
  const signedOut = await other.submit(await other.get('/account'), 'Выйти');
  expect(signedOut.url).toBe('/?signedout=1');
  expect(pageText(signedOut.markup)).toContain('Вы вышли из личного кабинета.');
  tab.setCookie('opendk_session', undefined);

  const sent = await tab.submit(form, 'Продолжить', { start: '12:00', end: '13:00', eventTitle: 'Собрание', attendees: '5', phone: '+7 916 000-11-22' });
  const back = `/book?room=${roomId}&date=${date}`;
  expect(sent.redirects[0]).toBe(`/signin?next=${encodeURIComponent(back)}&expired=1`);
  expect(sent.status).toBe(200);
  expect(pageText(sent.markup)).toContain('Войдите снова — вы вернётесь на ту же страницу');
  expect(await harness.prisma.booking.count({ where: { roomId } })).toBe(0);

  // Signing in from that page returns to the form for the same room and day.
  const codes = signInCodes(harness.inbox, someone.email).length;
  const codeStep = await tab.submit(sent, 'Получить код', { email: someone.email });
  const returned = await tab.submit(codeStep, 'Войти', { code: await nextSignInCode(harness.inbox, someone.email, codes) });
  expect(returned.url).toBe(back);
  expect(returned.status).toBe(200);
  expect(pageText(returned.markup)).toContain('Заявка на бронирование');

  // "Выйти" on a page whose session is gone just lands on the public page.
  const stale = tab.fork();
  await tab.submit(await tab.get('/account'), 'Выйти');
  stale.setCookie('opendk_session', undefined);
  const signOutAgain = await stale.submit(returned, 'Выйти');
  expect(signOutAgain.redirects).toEqual(['/?signedout=1']);
  expect(signOutAgain.status).toBe(200);
});

it('when a session has expired, then an action form on a booking page asks to sign in and returns to that booking page (resident and operator alike)', async () => {
  const { harness } = portal;
  const id = randomUUID();
  for (const [email, action, page] of [
    [harness.fixtures.resident.email, `/account/bookings/${id}/cancel`, `/account/bookings/${id}`],
    [harness.fixtures.operator.email, `/operator/bookings/${id}/reject`, `/operator/bookings/${id}`],
  ]) {
    const browser = await portal.signedIn(email);
    const formPage = await browser.get('/');
    const token = /name="_csrf" value="([^"]+)"/.exec(formPage.markup)?.[1] ?? '';
    await harness.prisma.session.updateMany({ where: { user: { email } }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const sent = await browser.post(action, [['_csrf', token], ['reason', 'Передумали']]);
    expect(sent.redirects[0]).toBe(`/signin?next=${encodeURIComponent(page)}&expired=1`);
  }
});

it('when a signed-in person sends a form with a token that is not theirs, then it is still refused with 403 and nothing happens', async () => {
  const { harness } = portal;
  const roomId = await harness.fixtures.newRoom();
  const browser = await portal.signedIn(harness.fixtures.otherResident.email);
  const form = await browser.get(`/book?room=${roomId}&date=${date}`);
  const sent = await browser.submit(form, 'Продолжить', { _csrf: 'not-the-token', start: '12:00', end: '13:00', eventTitle: 'Собрание', attendees: '5', phone: '+7 916 000-11-22' });
  expect(sent.status).toBe(403);
  expect(sent.redirects).toEqual([]);
  expect(pageText(sent.markup)).toContain('Форма устарела');
  expect(await harness.prisma.booking.count({ where: { roomId } })).toBe(0);
  const signOut = await browser.post('/signout', [['_csrf', 'not-the-token']]);
  expect(signOut.status).toBe(403);
  const token = browser.cookie('opendk_session');
  expect(token).toBeDefined();
  // The server kept the session too: not revoked, and it still opens the person's pages.
  const session = await harness.prisma.session.findUniqueOrThrow({ where: { id: createHash('sha256').update(token!).digest('hex') } });
  expect(session.revokedAt).toBeNull();
  const account = await browser.get('/account');
  expect({ status: account.status, url: account.url }).toEqual({ status: 200, url: '/account' });
});

it('when a page on a sibling host signs a browser in with its own address, code, CSRF cookie and token, then the portal refuses the form and signs nobody in', async () => {
  const { harness } = portal;
  const attacker = await harness.fixtures.newResident();
  // The attacker asks for a code in their own browser, keeping its CSRF cookie and the form's token.
  const own = portal.browser();
  const codes = signInCodes(harness.inbox, attacker.email).length;
  const codeStep = await own.submit(await own.get('/signin'), 'Получить код', { email: attacker.email });
  const code = await nextSignInCode(harness.inbox, attacker.email, codes);
  // The sibling host planted that CSRF cookie (Domain=the site's domain) in the victim's browser,
  // whose form then arrives from that host: same-site, not same-origin.
  const siblings: Record<string, string>[] = [{ 'sec-fetch-site': 'same-site' }, { origin: 'http://temporal.opendk.invalid' }];
  for (const from of siblings) {
    const victim = own.fork(from);
    victim.setCookie('opendk_session', undefined);
    const refused = await victim.submit(codeStep, 'Войти', { code });
    expect({ from, status: refused.status }).toEqual({ from, status: 403 });
    expect(pageText(refused.markup)).toContain('Форма устарела');
    expect(victim.cookie('opendk_session')).toBeUndefined();
  }
  // The same form from the site's own page still signs in (the code was not used up).
  const signedIn = await own.fork({ 'sec-fetch-site': 'same-origin' }).submit(codeStep, 'Войти', { code });
  expect(signedIn.status).toBe(200);
  expect(signedIn.redirects.length).toBeGreaterThan(0);
});

it('when a signed-in browser signs in again as someone else, then its earlier session ends: the old cookie opens nothing', async () => {
  const { harness } = portal;
  const [first, second] = [await harness.fixtures.newResident(), await harness.fixtures.newResident()];
  const browser = await portal.signedIn(first.email);
  const earlier = browser.cookie('opendk_session');
  const codes = signInCodes(harness.inbox, second.email).length;
  const codeStep = await browser.submit(await browser.get('/signin'), 'Получить код', { email: second.email });
  const signedIn = await browser.submit(codeStep, 'Войти', { code: await nextSignInCode(harness.inbox, second.email, codes) });
  expect(signedIn.url).toBe('/account');
  expect(browser.cookie('opendk_session')).not.toBe(earlier);

  const stale = browser.fork();
  stale.setCookie('opendk_session', earlier);
  expect((await stale.get('/account')).redirects[0]).toMatch(/^\/signin\?next=/);
});
