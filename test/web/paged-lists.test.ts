import { toMoscow } from '../../src/domain/moscow-time';
import { insertHeldBooking } from '../support/held-booking';
import { pageText, useWebPortal } from './web-portal';

/** Lists a page at a time (the operator's queue, a resident's applications), and the administrator's statistics period. */
const portal = useWebPortal('web-paged-lists');


const rowsOf = (markup: string) => markup.match(/<tr class="queue-row/g)?.length ?? 0;

/** The queue's order (src/bookings/readers.ts), or its reverse. */
const queueOrder = (sort: 'asc' | 'desc') => [{ dueAt: { sort, nulls: sort === 'asc' ? ('last' as const) : ('first' as const) } }, { createdAt: sort }, { id: sort }];

/** Where the page's "next" link leads. */
const nextLink = (markup: string) => /<a [^>]*rel="next" href="([^"]+)"/.exec(markup)?.[1].replace(/&amp;/g, '&');

it('when an operator has more open tasks than a page holds, then the queue says how many, and next shows the rest even after tasks were handled meanwhile', async () => {
  const { harness } = portal;
  const roomId = await harness.fixtures.newRoom();
  const start = Date.now() + 7 * 86_400_000;
  const tasks = 105;
  for (let index = 0; index < tasks; index++) {
    const startsAt = new Date(start + index * 2 * 3_600_000);
    await insertHeldBooking(harness.prisma, { roomId, residentId: harness.fixtures.resident.id, startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(), active: true });
  }
  const browser = await portal.signedIn(harness.fixtures.operator.email);
  const first = await browser.get('/operator');
  expect(first.status).toBe(200);
  expect(pageText(first.markup)).toContain(`Задачи 1–100 из ${tasks}`);
  expect(rowsOf(first.markup)).toBe(100);
  const next = nextLink(first.markup);
  expect(next).toMatch(/^\/operator\?after=[\w-]+$/);

  // A page past the end (tasks done since the link was made) leads to the last one.
  const past = await browser.get('/operator?page=7');
  expect(past.redirects).toEqual(['/operator?page=2']);
  expect(rowsOf(past.markup)).toBe(tasks - 100);

  // Colleagues handle ten tasks of the first page: by number, page 2 would now begin five tasks late.
  const handled = await harness.prisma.booking.findMany({ where: { roomId }, orderBy: queueOrder('asc'), take: 10, select: { id: true } });
  await harness.prisma.booking.updateMany({ where: { id: { in: handled.map((row) => row.id) } }, data: { status: 'CONFIRMED' } });
  const second = await browser.get(next!);
  expect(second.status).toBe(200);
  expect(pageText(second.markup)).toContain(`Задачи 91–95 из 95`);
  expect(rowsOf(second.markup)).toBe(tasks - 100);
  expect(second.markup).toContain('href="/operator?page=1"');
  expect(nextLink(second.markup)).toBeUndefined();

  // Once nothing is left after the position (the five on page 2 handled too), the link leads to the last page.
  const pageTwo = await harness.prisma.booking.findMany({ where: { roomId }, orderBy: queueOrder('desc'), take: 5, select: { id: true } });
  await harness.prisma.booking.updateMany({ where: { id: { in: pageTwo.map((row) => row.id) } }, data: { status: 'CONFIRMED' } });
  expect((await browser.get(next!)).redirects).toEqual(['/operator']);
});

it('when a resident has more applications than a page holds, then the account says how many, pages through them newest first, and a page past the end leads to the last', async () => {
  const { harness } = portal;
  const resident = await harness.fixtures.newResident();
  const roomId = await harness.fixtures.newRoom();
  const start = Date.now() + 9 * 86_400_000;
  const applications = 103;
  for (let index = 0; index < applications; index++) {
    const startsAt = new Date(start + index * 2 * 3_600_000);
    await insertHeldBooking(harness.prisma, { roomId, residentId: resident.id, startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(), active: true });
  }
  const browser = await portal.signedIn(resident.email);
  const first = await browser.get('/account');
  expect(pageText(first.markup)).toContain(`Заявки 1–100 из ${applications}`);
  expect(first.markup.match(/href="\/account\/bookings\//g)).toHaveLength(100);
  expect(first.markup).toContain('href="/account?after=');
  const second = await browser.get('/account?page=2');
  expect(pageText(second.markup)).toContain(`Заявки 101–${applications} из ${applications}`);
  expect(second.markup.match(/href="\/account\/bookings\//g)).toHaveLength(applications - 100);
  expect((await browser.get('/account?page=9')).redirects).toEqual(['/account?page=2']);
});

it('when an administrator asks for statistics over more than three years, then the form says so (422); a single day is a period', async () => {
  const browser = await portal.signedIn(portal.harness.fixtures.admin.email);
  const tooLong = await browser.get('/admin?from=2023-01-01&to=2026-01-01');
  expect(tooLong.status).toBe(422);
  expect(pageText(tooLong.markup)).toContain('Период — не больше трёх лет');
  const today = toMoscow(new Date()).date;
  expect((await browser.get(`/admin?from=${today}&to=${today}`)).status).toBe(200);
});
