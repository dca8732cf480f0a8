import { ServiceError, type Client } from '@temporalio/client';
import { toMoscow } from '../../src/domain/moscow-time';
import { fieldOf, formWithButton, pageText, useWebPortal } from './web-portal';

/**
 * Sending the check-your-answers page again after "service unavailable" is the same
 * application (the same idempotency key), never a second one; other details are another.
 */

/**
 * The Temporal client of the app, except that the answer to the next submission is lost once
 * asked to: the booking is made, then the call fails the way a dropped connection fails it.
 */
function losingNextSubmitReply(client: Client): { client: Client; loseNext(): void } {
  let lose = false;
  const workflow = new Proxy(client.workflow, {
    get(target, property) {
      if (property !== 'executeUpdateWithStart') {
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (...args: Parameters<typeof target.executeUpdateWithStart>) => {
        const result = await target.executeUpdateWithStart(...args);
        if (lose) {
          lose = false;
          throw new ServiceError('the reply to the submission was lost', { cause: Object.assign(new Error('14 UNAVAILABLE: Connection dropped'), { code: 14 }) });
        }
        return result;
      };
    },
  });
  const wrapped = new Proxy(client, {
    get(target, property) {
      if (property === 'workflow') return workflow;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { client: wrapped, loseNext: () => (lose = true) };
}

let loseNext: () => void;
const portal = useWebPortal('web-retry', {
  temporal: (client) => {
    const lossy = losingNextSubmitReply(client);
    loseNext = lossy.loseNext;
    return lossy.client;
  },
});
const date = toMoscow(new Date(Date.now() + 3 * 86_400_000)).date;
const details = { start: '12:00', end: '13:00', eventTitle: 'Собрание жильцов', attendees: '12', phone: '+7 916 000-11-22' };

it('when the reply to a submission is lost after the booking was made, then the page offers the same application again, and sending it (at once, or after looking at the details) shows that booking, not a refusal or a second one', async () => {
  const { harness } = portal;
  const roomId = await harness.fixtures.newRoom();
  const browser = await portal.signedIn(harness.fixtures.resident.email);
  const review = await browser.submit(await browser.get(`/book?room=${roomId}&date=${date}`), 'Продолжить', details);
  expect(review.status).toBe(200);
  const key = fieldOf(formWithButton(review, 'Отправить заявку'), 'key');
  expect(key).toMatch(/^[0-9a-f-]{36}$/);

  loseNext();
  const lost = await browser.submit(review, 'Отправить заявку');
  expect(lost.status).toBe(503);
  expect(pageText(lost.markup)).toContain('Сервис временно недоступен');
  const [booking] = await harness.prisma.booking.findMany({ where: { roomId } });
  expect(booking).toBeDefined();

  // The page answering the failure sends the same key again.
  expect(fieldOf(formWithButton(lost, 'Отправить заявку'), 'key')).toBe(key);

  // The person checks the details once more, changes nothing, and continues: still that key,
  // and their own hold does not read as "taken by another application".
  const edit = await browser.submit(lost, 'Изменить');
  const again = await browser.submit(edit, 'Продолжить');
  expect(again.status).toBe(200);
  expect(fieldOf(formWithButton(again, 'Отправить заявку'), 'key')).toBe(key);

  const done = await browser.submit(again, 'Отправить заявку');
  expect(done.status).toBe(200);
  expect(done.url).toBe(`/account/bookings/${booking.id}/done`);
  expect(await harness.prisma.booking.count({ where: { roomId } })).toBe(1);
});

it('when the details are changed on the way back from the check page, then the next check page carries a new key; unchanged, the same', async () => {
  const { harness } = portal;
  const roomId = await harness.fixtures.newRoom();
  const browser = await portal.signedIn(harness.fixtures.otherResident.email);
  const review = await browser.submit(await browser.get(`/book?room=${roomId}&date=${date}`), 'Продолжить', details);
  const key = fieldOf(formWithButton(review, 'Отправить заявку'), 'key');

  const unchanged = await browser.submit(await browser.submit(review, 'Изменить'), 'Продолжить');
  expect(fieldOf(formWithButton(unchanged, 'Отправить заявку'), 'key')).toBe(key);

  const changed = await browser.submit(await browser.submit(review, 'Изменить'), 'Продолжить', { attendees: '13' });
  expect(changed.status).toBe(200);
  const newKey = fieldOf(formWithButton(changed, 'Отправить заявку'), 'key');
  expect(newKey).toMatch(/^[0-9a-f-]{36}$/);
  expect(newKey).not.toBe(key);

  // A key stays with the details it was minted for: back to the first ones, yet another key.
  const back = await browser.submit(await browser.submit(changed, 'Изменить'), 'Продолжить', { attendees: '12' });
  expect(fieldOf(formWithButton(back, 'Отправить заявку'), 'key')).not.toBe(newKey);
});
