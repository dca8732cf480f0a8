import { createAuthService } from '../../src/auth/auth-service';
import { recordCallback, submitBooking } from '../../src/bookings';
import { moscowInstant, toMoscow } from '../../src/domain/moscow-time';
import { bookingBody, newKey } from '../bookings/requests';
import { signIn } from '../support/app';
import { newPage, screenshot, seriousViolations, signInWithBrowser, startPortal, TEMPORAL_UI_URL, type Portal } from './portal';

/**
 * The portal end to end in Debian's chromium: the real app on port 0 over a real worker,
 * Temporal server, PostgreSQL and SMTP. A resident books, an operator works the tasks, the
 * resident's page follows along; axe-core checks the pages on the way.
 */
let portal: Portal;
type Violations = Awaited<ReturnType<typeof seriousViolations>>;

/** A Moscow calendar date a few days ahead: inside every room's horizon whenever the suite runs. */
const bookingDate = toMoscow(new Date(Date.now() + 3 * 86_400_000)).date;

beforeAll(async () => {
  portal = await startPortal('e2e');
}, 120_000);

afterAll(async () => {
  await portal?.close();
});

describe('the booking path in a browser', () => {
  it('when a resident books with a service and an operator calls back, approves and confirms, then the resident sees CONFIRMED with the whole timeline, live', async () => {
    const { harness, baseUrl } = portal;
    const violations: Violations = [];
    const roomId = await harness.fixtures.newRoom();
    const roomName = `Зал №${roomId}`;

    // Resident: sign in, find the venue, pick the day, open the form.
    const resident = await newPage(portal);
    const page = resident.page;
    await signInWithBrowser(portal, page, harness.fixtures.resident.email);
    await page.goto(`${baseUrl}/`);
    // The fixtures' venue has no search text of its own: find it by district and date.
    await page.getByLabel('Округ').selectOption(String(harness.fixtures.districtId));
    await page.getByLabel('Дата мероприятия').fill(bookingDate);
    await page.getByRole('button', { name: 'Найти' }).click();
    await page.getByText(/Найдено площадок: [1-9]/).waitFor();
    violations.push(...(await seriousViolations(page)));
    await screenshot(page, 'catalog');
    await page.getByRole('link', { name: 'ДК «Тестовый»' }).click();
    await page.getByRole('heading', { name: roomName }).waitFor();
    expect(await page.getByLabel('Показать другой день').inputValue()).toBe(bookingDate);
    violations.push(...(await seriousViolations(page)));
    await screenshot(page, 'venue');
    await page.getByRole('link', { name: `Забронировать «${roomName}»` }).click();

    // The form, then the check-your-answers step.
    await page.getByRole('heading', { name: 'Заявка на бронирование' }).waitFor();
    expect(await page.getByLabel('Зал').inputValue()).toBe(String(roomId));
    expect(await page.getByLabel('Дата').inputValue()).toBe(bookingDate);
    await page.getByLabel('Начало').fill('12:00');
    await page.getByLabel('Окончание').fill('14:00');
    await page.getByLabel('Название мероприятия').fill('Концерт хора ветеранов');
    await page.getByLabel('Тип мероприятия').selectOption('CONCERT');
    await page.getByLabel('Число участников').fill('30');
    await page.getByLabel('Контактный телефон').fill('+7 916 123-45-67');
    await page.getByLabel('Контактное лицо (необязательно)').fill('Анна Сергеевна');
    await page.getByLabel(/Кейтеринг/).check();
    violations.push(...(await seriousViolations(page)));
    await screenshot(page, 'booking-form');
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await page.getByRole('heading', { name: 'Проверьте заявку' }).waitFor();
    const when = await page.locator('dl.summary').innerText();
    expect(when).toContain('12:00–14:00');
    expect(when).toContain('Кейтеринг');
    expect(when).toMatch(/Контактное лицо\s+Анна Сергеевна/);
    violations.push(...(await seriousViolations(page)));
    await page.getByRole('button', { name: 'Отправить заявку' }).click();

    // The confirmation page: the number and what happens next.
    await page.getByRole('heading', { name: 'Заявка отправлена' }).waitFor();
    const code = (await page.getByTestId('booking-code').innerText()).trim();
    expect(code).toMatch(/^ДК-/);
    expect(await page.locator('main').innerText()).toMatch(/Оператор позвонит вам по номеру \+7\s916\s123-45-67 до \d{1,2} [а-я]+ \d{4}, \d{2}:\d{2}/);
    violations.push(...(await seriousViolations(page)));
    await screenshot(page, 'confirmation');
    const detailHref = await page.getByRole('link', { name: 'Открыть заявку в личном кабинете' }).getAttribute('href');
    const bookingId = detailHref!.split('/').pop()!;

    await page.goto(`${baseUrl}/account`);
    const row = page.getByRole('row', { name: new RegExp(code) });
    expect(await row.innerText()).toContain('Ожидает звонка оператора');
    violations.push(...(await seriousViolations(page)));
    await screenshot(page, 'account');

    // Operator: the queue, the call-back, the decision with a price in rubles.
    const operator = await newPage(portal);
    const desk = operator.page;
    await signInWithBrowser(portal, desk, harness.fixtures.operator.email);
    expect(new URL(desk.url()).pathname).toBe('/operator');
    const task = desk.getByRole('row', { name: new RegExp(code) });
    expect(await task.innerText()).toMatch(/В срок[\s\S]*Позвонить заявителю/);
    violations.push(...(await seriousViolations(desk)));
    await screenshot(desk, 'operator-queue');
    await desk.getByRole('link', { name: code }).click();
    // Whom to ask for, next to the number to call.
    expect(await desk.locator('dl.summary').innerText()).toMatch(/Телефон\s+\+7\s916\s123-45-67\s+Контактное лицо\s+Анна Сергеевна/);
    await desk.getByLabel('Детали согласованы').check();
    await desk.getByLabel('Комментарий для заявителя (необязательно)').first().fill('Созвонились, всё в силе');
    violations.push(...(await seriousViolations(desk)));
    await desk.getByRole('button', { name: 'Записать результат' }).click();
    await desk.getByText('Результат звонка записан.').waitFor();
    await desk.getByLabel('Одобрить').check();
    await desk.getByLabel('Цена, руб.').fill('5 000');
    await desk.getByRole('button', { name: 'Записать решение' }).click();
    await desk.getByText('Решение по услуге записано.').waitFor();

    // Resident finishes the services stage.
    await page.goto(`${baseUrl}/account/bookings/${bookingId}`);
    await page.getByRole('button', { name: 'Передать на подтверждение' }).click();
    await page.getByText('Заявка передана на подтверждение.').waitFor();
    expect(await page.locator('[data-live] .status').first().innerText()).toBe('Ожидает подтверждения');

    // The operator confirms while the resident's page stays open: it follows without a reload.
    await page.evaluate('window.__stillTheSamePage = true');
    await desk.reload();
    await desk.getByRole('button', { name: 'Подтвердить' }).click();
    await desk.getByText('Бронь подтверждена.').first().waitFor();
    await page.locator('[data-live] .status', { hasText: 'Подтверждена' }).first().waitFor({ timeout: 20_000 });
    expect(await page.evaluate('window.__stillTheSamePage')).toBe(true);

    const timeline = await page.locator('ol.timeline').innerText();
    for (const step of ['Заявка подана, время закреплено', 'Оператор позвонил, детали согласованы', 'Услуга «Кейтеринг» одобрена', 'Выбор услуг завершён', 'Бронь подтверждена → Подтверждена']) {
      expect(timeline).toContain(step);
    }
    const services = await page.getByRole('region', { name: 'Дополнительные услуги' }).innerText();
    expect(services).toMatch(/Кейтеринг[\s\S]*Одобрена[\s\S]*5\u00a0000,00\u00a0₽/);
    violations.push(...(await seriousViolations(page)));
    await screenshot(page, 'booking-detail');
    expect((await harness.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe('CONFIRMED');

    // Administrator: statistics for the period, and the booking's workflow in the Temporal UI.
    const admin = await newPage(portal);
    await signInWithBrowser(portal, admin.page, harness.fixtures.admin.email);
    expect(new URL(admin.page.url()).pathname).toBe('/admin');
    await admin.page.locator('table.stats').getByRole('row', { name: new RegExp(`Тестовый округ ${harness.fixtures.districtId}`) }).waitFor();
    expect(await admin.page.locator('svg.chart-svg rect').count()).toBeGreaterThan(0);
    await admin.page.getByRole('link', { name: `Тестовый округ ${harness.fixtures.districtId}` }).click();
    await admin.page.getByRole('heading', { name: `По площадкам: Тестовый округ ${harness.fixtures.districtId}` }).waitFor();
    expect(await admin.page.locator('table.stats').getByRole('row', { name: /ДК «Тестовый»/ }).innerText()).toMatch(/ДК «Тестовый»\s+[1-9]\d*\s+[1-9]/);
    violations.push(...(await seriousViolations(admin.page)));
    await screenshot(admin.page, 'admin-dashboard');
    const listed = await admin.page.getByRole('link', { name: `Процесс в Temporal UI ${code}` }).getAttribute('href');
    expect(listed).toBe(`${TEMPORAL_UI_URL}/namespaces/default/workflows/booking-${bookingId}`);
    await admin.page.goto(`${baseUrl}/operator/bookings/${bookingId}`);
    const link = await admin.page.getByRole('link', { name: 'Процесс в Temporal UI' }).getAttribute('href');
    expect(link).toBe(`${TEMPORAL_UI_URL}/namespaces/default/workflows/booking-${bookingId}`);

    // Administrator: a new operator for the test district, from the staff page.
    await admin.page.getByRole('link', { name: 'Сотрудники' }).click();
    const newOperator = `new.operator.${bookingId.slice(0, 8)}@example.test`;
    await admin.page.getByLabel('Электронная почта').fill(newOperator);
    await admin.page.getByLabel('Имя (необязательно)').fill('Анна Петрова');
    await admin.page.getByLabel(`Тестовый округ ${harness.fixtures.districtId}`, { exact: true }).check();
    await admin.page.getByRole('button', { name: 'Сохранить' }).click();
    await admin.page.getByRole('status').filter({ hasText: 'Оператор назначен.' }).waitFor();
    expect(await admin.page.getByRole('row', { name: /Анна Петрова/ }).innerText()).toContain(`Тестовый округ ${harness.fixtures.districtId}`);
    const journal = admin.page.getByRole('region', { name: 'Журнал изменений' });
    expect(await journal.getByRole('row', { name: new RegExp(newOperator.replace(/\./g, '\\.')) }).innerText()).toMatch(new RegExp(`Назначен оператором: Тестовый округ ${harness.fixtures.districtId}\\s+${harness.fixtures.admin.email}`));
    violations.push(...(await seriousViolations(admin.page)));
    await screenshot(admin.page, 'admin-staff');

    // A second resident on the same slot gets a clear Russian message, with the form kept.
    const other = await newPage(portal);
    await signInWithBrowser(portal, other.page, harness.fixtures.otherResident.email);
    await other.page.goto(`${baseUrl}/book?room=${roomId}&date=${bookingDate}`);
    await other.page.getByLabel('Начало').fill('13:00');
    await other.page.getByLabel('Окончание').fill('15:00');
    await other.page.getByLabel('Название мероприятия').fill('Репетиция ансамбля');
    await other.page.getByLabel('Число участников').fill('10');
    await other.page.getByLabel('Контактный телефон').fill('8 916 765-43-21');
    await other.page.getByRole('button', { name: 'Продолжить' }).click();
    const summary = other.page.getByRole('alert');
    await summary.waitFor();
    expect(await summary.innerText()).toContain('Это время уже занято: зал забронирован по другой заявке. Выберите другое время или другой зал.');
    expect(await other.page.getByLabel('Название мероприятия').inputValue()).toBe('Репетиция ансамбля');
    violations.push(...(await seriousViolations(other.page)));

    for (const context of [resident.context, operator.context, admin.context, other.context]) await context.close();
    expect(violations).toEqual([]);
  }, 180_000);

  it('when JavaScript is off, then the booking form still submits: errors re-render with values kept, then the application goes through', async () => {
    const { harness, baseUrl } = portal;
    const roomId = await harness.fixtures.newRoom();
    const someone = await harness.fixtures.newResident();
    const { context, page } = await newPage(portal, { javaScriptEnabled: false });
    await page.goto(`${baseUrl}/book?room=${roomId}&date=${bookingDate}`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await signInWithBrowser(portal, page, someone.email);
    await page.goto(`${baseUrl}/book?room=${roomId}&date=${bookingDate}`);

    await page.getByLabel('Начало').fill('10:00');
    await page.getByLabel('Окончание').fill('11:00');
    await page.getByLabel('Число участников').fill('12');
    await page.getByLabel('Контактный телефон').fill('12');
    await page.getByRole('button', { name: 'Продолжить' }).click();
    const summary = await page.getByRole('alert').innerText();
    expect(summary).toContain('Название мероприятия — от 3 до 200 символов');
    expect(summary).toContain('Укажите российский номер телефона');
    expect(await page.getByRole('link', { name: /Название мероприятия/ }).getAttribute('href')).toBe('#f-eventTitle');
    expect(await page.getByLabel('Число участников').inputValue()).toBe('12');
    expect(await page.getByLabel('Начало').inputValue()).toBe('10:00');

    await page.getByLabel('Название мероприятия').fill('Собрание жильцов');
    await page.getByLabel('Контактный телефон').fill('+7 903 000-11-22');
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await page.getByRole('button', { name: 'Отправить заявку' }).click();
    await page.getByRole('heading', { name: 'Заявка отправлена' }).waitFor();
    const booking = await harness.prisma.booking.findFirstOrThrow({ where: { roomId } });
    expect(booking.startsAt.toISOString()).toBe(moscowInstant(bookingDate, 10 * 60).toISOString());
    expect(booking.status).toBe('AWAITING_CALLBACK');
    await context.close();
  }, 120_000);
});

describe('cancelling and rejecting in a browser', () => {
  it('when a resident cancels without a reason, then the summary links to the field; with one, it is cancelled; an operator rejects another with a reason; English on request; staff pages are 403 for residents', async () => {
    const { harness, baseUrl } = portal;
    const violations: Violations = [];
    const roomId = await harness.fixtures.newRoom();
    const resident = harness.fixtures.resident;
    const submit = (startInMs: number) => submitBooking(harness.deps(), { residentId: resident.id, idempotencyKey: newKey(), body: bookingBody(roomId, startInMs) });
    const mine = await submit(4 * 86_400_000);
    const theirs = await submit(4 * 86_400_000 + 2 * 3_600_000);

    const { context, page } = await newPage(portal);
    await signInWithBrowser(portal, page, resident.email);
    await page.goto(`${baseUrl}/account/bookings/${mine.id}`);
    await page.getByRole('button', { name: 'Отменить заявку' }).click();
    const summary = page.getByRole('alert');
    expect(await summary.innerText()).toContain('Укажите причину');
    expect(await summary.getByRole('link').getAttribute('href')).toBe('#f-reason');
    await page.getByLabel('Причина отмены').fill('Мероприятие перенесли');
    await page.getByRole('button', { name: 'Отменить заявку' }).click();
    await page.getByText('Заявка отменена.').waitFor();
    expect(await page.locator('[data-live] .status').first().innerText()).toBe('Отменена');
    expect(await page.locator('ol.timeline').innerText()).toContain('Мероприятие перенесли');

    // Ordering a service while that stage is open (after the operator's call).
    const third = await submit(4 * 86_400_000 + 4 * 3_600_000);
    await recordCallback(harness.deps(), harness.fixtures.operator, third.id, { outcome: 'AGREED' });
    await page.goto(`${baseUrl}/account/bookings/${third.id}`);
    await page.getByLabel(/Техническая поддержка/).check();
    await page.getByRole('button', { name: 'Заказать выбранные' }).click();
    await page.getByText('Услуги заказаны.').waitFor();
    expect(await page.getByRole('region', { name: 'Дополнительные услуги' }).innerText()).toMatch(/Техническая поддержка[\s\S]*Ждёт решения/);

    await page.goto(`${baseUrl}/account/bookings/${mine.id}?lang=en`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Application No. ${mine.code}`);
    expect(await page.locator('[data-live] .status').first().innerText()).toBe('Cancelled');
    violations.push(...(await seriousViolations(page)));
    await page.goto(`${baseUrl}/lang/ru?back=${encodeURIComponent('/operator')}`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Доступ запрещён');

    const operator = await newPage(portal);
    await signInWithBrowser(portal, operator.page, harness.fixtures.operator.email);
    await operator.page.goto(`${baseUrl}/operator/bookings/${theirs.id}`);
    await operator.page.getByRole('button', { name: 'Отклонить' }).click();
    expect(await operator.page.getByRole('alert').innerText()).toContain('Укажите причину');
    await operator.page.getByLabel('Причина отказа').fill('Зал закрыт на ремонт');
    await operator.page.getByRole('button', { name: 'Отклонить' }).click();
    await operator.page.getByText('Заявка отклонена.').waitFor();
    expect(await operator.page.locator('[data-live] .status').first().innerText()).toBe('Отклонена');
    expect((await harness.prisma.booking.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe('REJECTED');
    violations.push(...(await seriousViolations(operator.page)));

    await context.close();
    await operator.context.close();
    expect(violations).toEqual([]);
  }, 120_000);
});

describe('the portal over plain HTTP', () => {
  it('when a page is served, then it carries a strict CSP and the other security headers', async () => {
    const response = await fetch(`${portal.baseUrl}/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    const markup = await response.text();
    expect(markup).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(markup).not.toMatch(/\sstyle=/);
    expect(markup).toContain('<html lang="ru">');
  });

  it('when a form arrives without a valid CSRF token, then a 403 page in Russian and nothing happens', async () => {
    const first = await fetch(`${portal.baseUrl}/signin`);
    const cookie = (first.headers.getSetCookie?.() ?? []).map((line) => line.split(';')[0]).join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec(await first.text())?.[1];
    expect(token).toBeTruthy();
    const email = 'csrf.victim@example.test';
    const form = (extra: Record<string, string>) => new URLSearchParams({ email, next: '/', ...extra });

    const missing = await fetch(`${portal.baseUrl}/signin`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form({}) });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('Форма устарела или отправлена не с нашего сайта');
    const forged = await fetch(`${portal.baseUrl}/signin`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ _csrf: token! }) });
    expect(forged.status).toBe(403);
    expect(portal.harness.inbox.to(email)).toHaveLength(0);

    const valid = await fetch(`${portal.baseUrl}/signin`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form({ _csrf: token! }) });
    expect(valid.status).toBe(303);
    expect(valid.headers.get('location')).toMatch(/^\/signin\/code\?next=/);
  });

  it('when a page does not exist, then a friendly Russian 404 page; the API keeps problem+json; ?lang=en switches to English', async () => {
    const missing = await fetch(`${portal.baseUrl}/no-such-page`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/text\/html/);
    expect(await missing.text()).toContain('Страница не найдена');
    const venue = await fetch(`${portal.baseUrl}/venues/999999999`);
    expect(venue.status).toBe(404);
    const api = await fetch(`${portal.baseUrl}/api/no-such-thing`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const english = await fetch(`${portal.baseUrl}/?lang=en`);
    const markup = await english.text();
    expect(markup).toContain('<html lang="en">');
    expect(markup).toContain('Find a room in a House of Culture');
    const staff = await fetch(`${portal.baseUrl}/operator`, { redirect: 'manual' });
    expect(staff.status).toBe(303);
    expect(staff.headers.get('location')).toBe('/signin?next=%2Foperator');
  });

  const sessionsByAddress: Record<string, string> = {};

  /** A signed-in person's form post as the browser sends it: the session, the CSRF cookie and the page's token. */
  async function signedInForm(email: string) {
    // Each sign-in e-mails a code, and codes per address are limited: one session per address.
    const session = (sessionsByAddress[email] ??= await signIn(createAuthService({ prisma: portal.harness.prisma, mailer: portal.harness.inbox.mailer }), portal.harness.inbox, email));
    return async (pagePath: string, action: string, fields: Record<string, string>) => {
      const page = await fetch(`${portal.baseUrl}${pagePath}`, { headers: { cookie: session } });
      const cookie = [session, ...(page.headers.getSetCookie?.() ?? []).map((line) => line.split(';')[0])].join('; ');
      const markup = await page.text();
      const token = /name="_csrf" value="([^"]+)"/.exec(markup)?.[1] ?? '';
      const attempt = /name="attempt" value="(\d+)"/.exec(markup)?.[1];
      const body = new URLSearchParams({ _csrf: token, ...(attempt ? { attempt } : {}), ...fields });
      const answer = await fetch(`${portal.baseUrl}${action}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body });
      return { status: answer.status, text: await answer.text(), markup };
    };
  }

  it('when an operator submits the same "no answer" form twice, then the second is refused and one attempt is counted', async () => {
    const { harness } = portal;
    const deps = harness.deps();
    const roomId = await harness.fixtures.newRoom();
    const booking = await submitBooking(deps, { residentId: harness.fixtures.resident.id, idempotencyKey: newKey(), body: bookingBody(roomId, 2 * 86_400_000, 3_600_000) });
    const form = await signedInForm(harness.fixtures.operator.email);
    const page = `/operator/bookings/${booking.id}`;
    const withChanges = await form(page, `${page}/callback`, { outcome: 'NO_ANSWER', attempt: '1', changeTitle: 'Другое название' });
    expect(withChanges.status).toBe(422);
    expect(withChanges.text).toContain('Изменения сохраняются только вместе с исходом «Детали согласованы»');
    // Both posts carry the form as the page showed it before either was sent (a double click).
    const first = await form(page, `${page}/callback`, { outcome: 'NO_ANSWER', attempt: '1' });
    expect(first.markup).toContain('name="attempt" value="1"');
    expect(first.status).toBe(303);
    const second = await form(page, `${page}/callback`, { outcome: 'NO_ANSWER', attempt: '1' });
    expect(second.status).toBe(409);
    const row = await harness.prisma.booking.findUniqueOrThrow({ where: { id: booking.id } });
    expect(row.callbackAttempts).toBe(1);
    expect(row.status).toBe('AWAITING_CALLBACK');
  });

  it('when an operator approves a service at more than the price limit, then the form says so in Russian and nothing is decided', async () => {
    const { harness } = portal;
    const deps = harness.deps();
    const roomId = await harness.fixtures.newRoom();
    const booking = await submitBooking(deps, { residentId: harness.fixtures.resident.id, idempotencyKey: newKey(), body: bookingBody(roomId, 2 * 86_400_000, 3_600_000, { addOns: [{ code: 'CATERING', quantity: 1 }] }) });
    await recordCallback(deps, harness.fixtures.operator, booking.id, { outcome: 'AGREED' });
    const form = await signedInForm(harness.fixtures.admin.email);
    const page = `/operator/bookings/${booking.id}`;
    const tooHigh = await form(page, `${page}/addons/CATERING`, { d_CATERING_decision: 'APPROVED', d_CATERING_price: '30000000' });
    expect(tooHigh.status).toBe(422);
    expect(tooHigh.text).toContain('Цена одной услуги — не больше 1\u00a0000\u00a0000,00\u00a0₽');
    const line = await harness.prisma.bookingAddOn.findFirstOrThrow({ where: { bookingId: booking.id, code: 'CATERING' } });
    expect(line.status).toBe('REQUESTED');
    const approved = await form(page, `${page}/addons/CATERING`, { d_CATERING_decision: 'APPROVED', d_CATERING_price: '1000000' });
    expect(approved.status).toBe(303);
    expect((await harness.prisma.bookingAddOn.findFirstOrThrow({ where: { bookingId: booking.id, code: 'CATERING' } })).price).toBe(100_000_000);
  });

  it('when a request carries what no page can use (a NUL in the search, a form in an unknown charset, a room id past the integer range), then a 4xx page, never 500', async () => {
    const nul = await fetch(`${portal.baseUrl}/?q=%00`);
    expect(nul.status).toBe(400);
    expect(await nul.text()).toContain('недопустимые символы');

    const first = await fetch(`${portal.baseUrl}/signin`);
    const cookie = (first.headers.getSetCookie?.() ?? []).map((line) => line.split(';')[0]).join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec(await first.text())?.[1] ?? '';
    const charset = await fetch(`${portal.baseUrl}/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded; charset=windows-1251' },
      body: new URLSearchParams({ _csrf: token, email: 'charset@example.test' }),
    });
    expect(charset.status).toBe(415);
    expect(await charset.text()).toContain('Не удалось прочитать форму');

    const resident = await signedInForm(portal.harness.fixtures.resident.email);
    const farRoom = await resident('/', '/book', { room: '2147483648', date: 'x', start: '', end: '', action: 'review' });
    expect(farRoom.status).toBe(404);
  });

  it('when a review page is sent again with other details under its key, then the form asks to check them again (422) and the first booking stands alone', async () => {
    const { harness } = portal;
    const roomId = await harness.fixtures.newRoom();
    const send = await signedInForm(harness.fixtures.resident.email);
    const date = toMoscow(new Date(Date.now() + 4 * 86_400_000)).date;
    const fields = { room: String(roomId), date, start: '12:00', end: '13:00', eventTitle: 'Репетиция', eventType: 'MEETING', attendees: '10', phone: '+7 916 000-00-00', comment: '', action: 'submit', key: newKey() };
    expect((await send('/', '/book', fields)).status).toBe(303);
    const changed = await send('/', '/book', { ...fields, attendees: '11' });
    expect(changed.status).toBe(422);
    expect(changed.text).toContain('уже была отправлена заявка с другими данными');
    expect(await harness.prisma.booking.count({ where: { roomId } })).toBe(1);
  });
});
