import type { Page } from 'playwright-core';
import { recordCallback, submitBooking } from '../../src/bookings';
import { bookingBody, newKey } from '../bookings/requests';
import { newPage, signInWithBrowser, startPortal, type Portal } from './portal';

/**
 * A booking's page follows changes made elsewhere (the script polls and swaps the facts and the
 * forms) also when it answers a refused form, and never throws away what the person typed.
 */
let portal: Portal;

beforeAll(async () => {
  portal = await startPortal('e2e-live');
}, 120_000);

afterAll(async () => {
  await portal?.close();
});

/** A resident's booking awaiting the operator's call, and the resident's page on it. */
async function openBooking(): Promise<{ page: Page; bookingId: string; close(): Promise<void>; notFound: string[] }> {
  const { harness, baseUrl } = portal;
  const roomId = await harness.fixtures.newRoom();
  const resident = await harness.fixtures.newResident();
  const booking = await submitBooking(harness.deps(), { residentId: resident.id, idempotencyKey: newKey(), body: bookingBody(roomId, 4 * 86_400_000) });
  const { context, page } = await newPage(portal);
  const notFound: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 404) notFound.push(response.url());
  });
  await signInWithBrowser(portal, page, resident.email);
  await page.goto(`${baseUrl}/account/bookings/${booking.id}`);
  return { page, bookingId: booking.id, notFound, close: () => context.close() };
}

const statusOf = (page: Page) => page.locator('[data-live] .status').first();

it('when the operator calls back while the resident has typed a cancellation reason and clicked away, then the page shows the new stage and its forms, and the reason stays', async () => {
  const { page, bookingId, notFound, close } = await openBooking();
  await page.getByLabel('Причина отмены').fill('Не сможем прийти');
  await page.getByRole('heading', { level: 1 }).click();

  await recordCallback(portal.harness.deps(), portal.harness.fixtures.operator, bookingId, { outcome: 'AGREED' });
  await statusOf(page).filter({ hasText: 'Выбор дополнительных услуг' }).waitFor({ timeout: 20_000 });
  await page.getByRole('heading', { name: 'Заказать услуги' }).waitFor({ timeout: 5_000 });
  expect(await page.getByLabel('Причина отмены').inputValue()).toBe('Не сможем прийти');
  expect(notFound).toEqual([]);
  await close();
}, 90_000);

it('when the page answers a refused cancellation (at the form\'s address), then it still follows the booking, and the reason typed after the refusal stays', async () => {
  const { page, bookingId, notFound, close } = await openBooking();
  await page.getByRole('button', { name: 'Отменить заявку' }).click();
  await page.getByRole('alert').filter({ hasText: 'Укажите причину' }).waitFor();
  expect(new URL(page.url()).pathname).toBe(`/account/bookings/${bookingId}/cancel`);
  await page.getByLabel('Причина отмены').fill('Перенесли мероприятие');
  await page.getByRole('heading', { level: 1 }).click();

  await recordCallback(portal.harness.deps(), portal.harness.fixtures.operator, bookingId, { outcome: 'AGREED' });
  await statusOf(page).filter({ hasText: 'Выбор дополнительных услуг' }).waitFor({ timeout: 20_000 });
  expect(await page.getByLabel('Причина отмены').inputValue()).toBe('Перенесли мероприятие');
  expect(notFound).toEqual([]);
  await close();
}, 90_000);
