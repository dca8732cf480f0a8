import { submitBooking } from '../../src/bookings';
import { bookingBody, newKey } from '../bookings/requests';
import { waitFor } from '../support/wait';
import { pageText, useWebPortal } from './web-portal';

/** The link in a booking's e-mails opens that booking's page for the person who got it. */
const portal = useWebPortal('web-email-links');


function linkIn(text: string | undefined): string {
  const url = /Подробности: (\S+)/.exec(text ?? '')?.[1];
  if (!url) throw new Error('no link in the e-mail');
  return new URL(url).pathname;
}

it('when a booking is submitted, then the resident\'s and the operator\'s e-mails link to pages they can open', async () => {
  const { harness } = portal;
  const roomId = await harness.fixtures.newRoom();
  const resident = harness.fixtures.resident;
  const view = await submitBooking(harness.deps(), { residentId: resident.id, idempotencyKey: newKey(), body: bookingBody(roomId, 5 * 86_400_000, 3_600_000) });
  const submitted = (address: string) => harness.inbox.to(address).find((mail) => mail.subject?.includes(view.code));
  const [toResident, toOperator] = await waitFor(
    () => {
      const both = [submitted(resident.email), submitted(harness.fixtures.operator.email)];
      return both.every(Boolean) && both;
    },
    { timeoutMs: 30_000, description: 'the submission e-mails to the resident and the operator' },
  );

  const residentPage = await (await portal.signedIn(resident.email)).get(linkIn(toResident!.text));
  expect(residentPage.status).toBe(200);
  expect(pageText(residentPage.markup)).toContain(view.code);
  const operatorPage = await (await portal.signedIn(harness.fixtures.operator.email)).get(linkIn(toOperator!.text));
  expect(operatorPage.status).toBe(200);
  expect(pageText(operatorPage.markup)).toContain(view.code);
});
