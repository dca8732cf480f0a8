import { submitBooking } from '../../src/bookings';
import { moscowInstant, toMoscow } from '../../src/domain/moscow-time';
import { moscowDateIn } from '../../src/web/routes-public';
import { bookingBody, newKey } from '../bookings/requests';
import { insertHeldBooking } from '../support/held-booking';
import { fieldOf, formsOf, languageLink, nextSignInCode, pageText, useWebPortal, type WebBrowser, type WebPage } from './web-portal';

/**
 * Pages shown in answer to a form (a refusal re-rendered at the POST's URL) link to a page
 * that a GET can show: the language switch and the sign-in link keep the person where they were.
 */

const portal = useWebPortal('web-post-pages');
const date = toMoscow(new Date(Date.now() + 3 * 86_400_000)).date;


/** Clicks the language switch; the page it lands on. */
async function switchLanguage(browser: WebBrowser, page: WebPage): Promise<WebPage> {
  return browser.get(languageLink(page));
}

describe('the language switch on a page answering a form', () => {
  it('when the booking form comes back with errors, then English shows the same room and day', async () => {
    const { harness } = portal;
    const roomId = await harness.fixtures.newRoom();
    const browser = await portal.signedIn(harness.fixtures.resident.email);
    const refused = await browser.submit(await browser.get(`/book?room=${roomId}&date=${date}`), 'Продолжить');
    expect(refused.status).toBe(422);
    const english = await switchLanguage(browser, refused);
    expect(english.status).toBe(200);
    expect(english.url).toBe(`/book?room=${roomId}&date=${date}`);
    expect(pageText(english.markup)).toContain('Booking application');
    const form = formsOf(english.markup).find((candidate) => candidate.action === '/book')!;
    expect(fieldOf(form, 'room')).toBe(String(roomId));
    expect(fieldOf(form, 'date')).toBe(date);
  });

  it('when a cancellation without a reason or an operator\'s rejection without one is refused, then English shows the booking page', async () => {
    const { harness } = portal;
    const roomId = await harness.fixtures.newRoom();
    const booking = await submitBooking(harness.deps(), { residentId: harness.fixtures.resident.id, idempotencyKey: newKey(), body: bookingBody(roomId, 4 * 86_400_000) });
    for (const [email, page, button] of [
      [harness.fixtures.resident.email, `/account/bookings/${booking.id}`, 'Отменить заявку'],
      [harness.fixtures.operator.email, `/operator/bookings/${booking.id}`, 'Отклонить'],
    ]) {
      const browser = await portal.signedIn(email);
      const refused = await browser.submit(await browser.get(page), button);
      expect(refused.status).toBe(422);
      const english = await switchLanguage(browser, refused);
      expect({ status: english.status, url: english.url }).toEqual({ status: 200, url: page });
      expect(pageText(english.markup)).toContain(`Application No. ${booking.code}`);
    }
  });

  it('when a wrong sign-in code is refused, then English stays on the code step for that address and the sign-in link keeps where to return', async () => {
    const { harness } = portal;
    const someone = await harness.fixtures.newResident();
    const browser = portal.browser();
    const signin = await browser.get(`/signin?next=${encodeURIComponent('/account')}`);
    const codeStep = await browser.submit(signin, 'Получить код', { email: someone.email });
    // The address is carried by a cookie of the sign-in pages: no URL holds it.
    expect(codeStep.url).toBe(`/signin/code?next=${encodeURIComponent('/account')}`);
    expect(pageText(codeStep.markup)).toContain(someone.email);
    const sent = await nextSignInCode(harness.inbox, someone.email, 0);
    const wrong = await browser.submit(codeStep, 'Войти', { code: String((Number(sent) + 1) % 1_000_000).padStart(6, '0') });
    expect(wrong.status).toBe(422);
    const english = await switchLanguage(browser, wrong);
    expect(english.status).toBe(200);
    expect(pageText(english.markup)).toContain('Enter the code from the e-mail');
    expect(pageText(english.markup)).toContain(someone.email);
    expect(fieldOf(formsOf(english.markup).find((form) => form.action === '/signin/code')!, 'next')).toBe('/account');
    expect([...codeStep.redirects, codeStep.url, languageLink(wrong), english.url].join(' ')).not.toMatch(new RegExp(`${someone.email.split('@')[0]}|%40`));
  });
});

describe('the language switch after ?lang=', () => {
  it('when a page was opened with ?lang=en, then its switch to Russian gives Russian (the ?lang= is not carried back)', async () => {
    const browser = portal.browser();
    const english = await browser.get('/?lang=en&q=%D0%94%D0%9A');
    expect(english.markup).toContain('<html lang="en">');
    const russian = await switchLanguage(browser, english);
    expect(russian.url).toBe('/?q=%D0%94%D0%9A');
    expect(russian.markup).toContain('<html lang="ru">');
  });
});

describe('a day that is not in the calendar', () => {
  it('when the booking form is opened for 30 February, then it does not read the day it rolls over to, and says the date needs fixing', async () => {
    const { harness } = portal;
    const roomId = await harness.fixtures.newRoom();
    const year = Number(date.slice(0, 4)) + 1;
    // 30 February rolls over to 2 March (1 March in a leap year): a hold on both days.
    for (const day of [`${year}-03-01`, `${year}-03-02`]) {
      await insertHeldBooking(harness.prisma, { roomId, residentId: harness.fixtures.resident.id, startsAt: moscowInstant(day, 10 * 60).toISOString(), endsAt: moscowInstant(day, 11 * 60).toISOString(), active: true });
    }
    const browser = await portal.signedIn(harness.fixtures.otherResident.email);
    const page = await browser.get(`/book?room=${roomId}&date=${year}-02-30`);
    expect(page.status).toBe(200);
    const text = pageText(page.markup);
    expect(text).not.toContain('Занято в этот день');
    expect(text).toContain('Укажите дату');
    const form = formsOf(page.markup).find((candidate) => candidate.action === '/book')!;
    expect(fieldOf(form, 'date')).toBe(moscowDateIn(2));
  });
});

describe('an address no page has', () => {
  it('when it reads as another site\'s (`//host/…`) or cannot be read as a path, then it is a 404 page whose links stay on this site', async () => {
    const browser = portal.browser();
    for (const path of ['//a:b/', '//evil.example/account', '/%zz']) {
      const page = await browser.get(path);
      expect({ path, status: page.status }).toEqual({ path, status: 404 });
      expect(pageText(page.markup)).toContain('Страница не найдена');
      // The switch returns to `back`, which must be a path of this site.
      const back = new URL(languageLink(page), 'http://portal.invalid').searchParams.get('back') ?? '';
      expect({ path, back: /^\/(?![/\\])/.test(back) && !back.includes('evil.example') }).toEqual({ path, back: true });
    }
  });
});

describe('a text longer than the service keeps', () => {
  it('when a cancellation reason or a rejection reason runs past 1000 characters (even by half an emoji), then the form comes back saying so, and the booking is untouched', async () => {
    const { harness } = portal;
    const roomId = await harness.fixtures.newRoom();
    const booking = await submitBooking(harness.deps(), { residentId: harness.fixtures.resident.id, idempotencyKey: newKey(), body: bookingBody(roomId, 4 * 86_400_000) });
    // 999 + an emoji of two code units: cut at 1000, it used to leave half a character behind.
    const long = `${'x'.repeat(999)}😀`;
    for (const [email, page, button] of [
      [harness.fixtures.resident.email, `/account/bookings/${booking.id}`, 'Отменить заявку'],
      [harness.fixtures.operator.email, `/operator/bookings/${booking.id}`, 'Отклонить'],
    ]) {
      const browser = await portal.signedIn(email);
      const refused = await browser.submit(await browser.get(page), button, { reason: long });
      expect({ page, status: refused.status }).toEqual({ page, status: 422 });
      expect(pageText(refused.markup)).toContain('Не более 1000 символов');
      // What was written is kept in the form, whole.
      expect(refused.markup).toContain(long);
    }
    const untouched = await harness.prisma.booking.findUniqueOrThrow({ where: { id: booking.id } });
    expect(untouched.status).toBe('AWAITING_CALLBACK');
  });
});
