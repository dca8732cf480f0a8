import { recordCallback, submitAddOns } from '../../src/bookings';
import { parseRubles } from '../../src/web/format';
import { submitFresh } from '../bookings/flow';
import { waitFor } from '../support/wait';
import { fieldOf, formsOf, pageText, useWebPortal } from './web-portal';

/** The operator's booking page offers only what can be done now, and says why when it cannot. */

const portal = useWebPortal('web-operator-page');

it('when a service still awaits a decision, then the page asks for it before offering to confirm; once decided, confirm is offered and the history names the service', async () => {
  const { harness } = portal;
  const deps = harness.deps();
  const booking = await submitFresh(harness, deps, { addOns: [{ code: 'CATERING', quantity: 1 }] });
  await recordCallback(deps, harness.fixtures.operator, booking.id, { outcome: 'AGREED' });
  await submitAddOns(deps, harness.fixtures.resident, booking.id);
  const operator = await portal.signedIn(harness.fixtures.operator.email);
  const path = `/operator/bookings/${booking.id}`;

  const pending = await operator.get(path);
  expect(pageText(pending.markup)).toContain('Сначала примите решение по каждой заказанной услуге, затем подтвердите бронь.');
  expect(formsOf(pending.markup).map((form) => form.action)).not.toContain(`${path}/confirm`);
  // The price field starts at the list price, written as a person would type it.
  const decision = formsOf(pending.markup).find((form) => form.action === `${path}/addons/CATERING`)!;
  const listTotal = booking.addOns[0].listTotal;
  expect(parseRubles(fieldOf(decision, 'd_CATERING_price') ?? '')).toBe(listTotal);
  expect(fieldOf(decision, 'd_CATERING_price')).toMatch(/^\d+(,\d\d)?$/);

  const decided = await operator.submit(pending, 'Записать решение', { d_CATERING_decision: 'APPROVED' });
  expect(decided.status).toBe(200);
  expect(formsOf(decided.markup).map((form) => form.action)).toContain(`${path}/confirm`);
  expect(pageText(decided.markup)).toContain('Услуга «Кейтеринг» одобрена');
  // The phone as people write it, not as it is stored.
  expect(pageText(decided.markup)).toContain('+7 916 123-45-67');
});

it('when a resident opens a booking whose operator was reminded of the deadline, then the resident’s history does not show it', async () => {
  const { harness } = portal;
  const deps = harness.deps({ callbackSla: { ms: 1_500 } });
  const booking = await submitFresh(harness, deps);
  const operator = await portal.signedIn(harness.fixtures.operator.email);
  const resident = await portal.signedIn(harness.fixtures.resident.email);
  await waitForText(() => operator.get(`/operator/bookings/${booking.id}`), 'Оператору отправлено напоминание');
  const own = await resident.get(`/account/bookings/${booking.id}`);
  expect(own.status).toBe(200);
  expect(pageText(own.markup)).toContain('Заявка подана, время закреплено');
  expect(pageText(own.markup)).not.toContain('Оператору отправлено напоминание');
});

async function waitForText(load: () => Promise<{ markup: string }>, text: string): Promise<void> {
  await waitFor(async () => pageText((await load()).markup).includes(text), { description: `a page saying “${text}”`, intervalMs: 200 });
}

it('when a resident with an application is appointed an operator, then «Мои заявки» still lists it and they can cancel it there; an operator without applications is told why the list is empty', async () => {
  const { harness } = portal;
  const person = await harness.fixtures.newResident();
  const booking = await submitFresh(harness, harness.deps(), { resident: person });
  await harness.prisma.user.update({ where: { id: person.id }, data: { role: 'OPERATOR', operatorDistricts: { create: [{ districtId: harness.fixtures.otherDistrictId }] } } });

  // The district's operator works it on /operator; «Мои заявки» pages are the applicant's only.
  const districtOperator = await portal.signedIn(harness.fixtures.operator.email);
  expect((await districtOperator.get(`/account/bookings/${booking.id}`)).status).toBe(404);
  const page = await districtOperator.get(`/operator/bookings/${booking.id}`);
  expect((await districtOperator.post(`/account/bookings/${booking.id}/cancel`, [['_csrf', fieldOf(formsOf(page.markup)[0], '_csrf') ?? ''], ['reason', 'Не моя']])).status).toBe(404);

  const browser = await portal.signedIn(person.email);
  const account = await browser.get('/account');
  expect(account.status).toBe(200);
  expect(pageText(account.markup)).toContain(booking.code);
  expect(account.markup).toContain('href="/account"');
  const detail = await browser.get(`/account/bookings/${booking.id}`);
  const cancelled = await browser.submit(detail, 'Отменить заявку', { reason: 'Теперь работаю в другом округе' });
  expect(cancelled.status).toBe(200);
  expect(cancelled.url).toBe(`/account/bookings/${booking.id}?done=cancel`);
  await waitFor(async () => (await harness.prisma.booking.findUniqueOrThrow({ where: { id: booking.id } })).status === 'CANCELLED', { description: 'the booking to be cancelled' });

  const staff = await portal.signedIn(harness.fixtures.otherOperator.email);
  expect(pageText((await staff.get('/account')).markup)).toContain('Сотрудники заявок не подают');
});

it('when staff send a form again after its answer was lost, then the page shows it done, not refused, and it is done once; the form without its key is refused as done already', async () => {
  const { harness } = portal;
  const deps = harness.deps();
  const booking = await submitFresh(harness, deps);
  await recordCallback(deps, harness.fixtures.operator, booking.id, { outcome: 'AGREED' });
  await submitAddOns(deps, harness.fixtures.resident, booking.id);
  // An administrator: the district's operator has asked for as many sign-in codes as an address may.
  const staff = await portal.signedIn(harness.fixtures.admin.email);
  const path = `/operator/bookings/${booking.id}`;
  const page = await staff.get(path);
  expect(fieldOf(formsOf(page.markup).find((form) => form.action === `${path}/confirm`)!, 'actionKey')).toMatch(/^[0-9a-f-]{36}$/);

  const confirmed = await staff.submit(page, 'Подтвердить', { confirmNote: 'Зал готов' });
  expect({ status: confirmed.status, url: confirmed.url }).toEqual({ status: 200, url: `${path}?done=confirm` });
  // The same form again, as a browser resends it when the first answer never came.
  const resent = await staff.submit(page, 'Подтвердить', { confirmNote: 'Зал готов' });
  expect({ status: resent.status, url: resent.url }).toEqual({ status: 200, url: `${path}?done=confirm` });
  const unkeyed = await staff.submit(page, 'Подтвердить', { confirmNote: 'Зал готов', actionKey: '' });
  expect(unkeyed.status).toBe(409);
  expect(await harness.prisma.bookingEvent.count({ where: { bookingId: booking.id, type: 'CONFIRMED' } })).toBe(1);
});
