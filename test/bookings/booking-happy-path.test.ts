import { confirmBooking, decideAddOn, getBookingForActor, orderAddOns, recordCallback, submitAddOns, submitBooking } from '../../src/bookings';
import { waitFor } from '../support/wait';
import { startBookingHarness, type BookingHarness } from './harness';
import { bookingBody, newKey } from './requests';

let h: BookingHarness;
beforeAll(async () => {
  h = await startBookingHarness('happy');
}, 120_000);
afterAll(() => h?.close());

test('when staff agree on the phone, decide the add-ons and confirm, then the booking is CONFIRMED with an invitation, the resident is reminded, and it is COMPLETED after the event', async () => {
  const { fixtures, inbox } = h;
  const deps = h.deps({ residentReminderBefore: { ms: 3_000 } });
  const roomId = await fixtures.newRoom();
  const body = bookingBody(roomId, 15_000, 2_000, { addOns: [{ code: 'TECH_SUPPORT', quantity: 2 }] });

  const submitted = await submitBooking(deps, { residentId: fixtures.resident.id, idempotencyKey: newKey(), body });
  expect(submitted.status).toBe('AWAITING_CALLBACK');
  expect(submitted.contactPhone).toBe('+79161234567');
  expect(submitted.addOns.map((line) => [line.code, line.quantity, line.status, line.listTotal])).toEqual([['TECH_SUPPORT', 2, 'REQUESTED', 1_000_000]]);
  await inbox.waitForMessages(fixtures.resident.email, 1);
  await inbox.waitForMessages(fixtures.operator.email, 1);

  const agreed = await recordCallback(deps, fixtures.operator, submitted.id, { outcome: 'AGREED', note: 'Договорились' });
  expect(agreed.status).toBe('ADDONS');
  await orderAddOns(deps, fixtures.resident, submitted.id, { items: [{ code: 'CATERING' }] });
  await decideAddOn(deps, fixtures.operator, submitted.id, { code: 'TECH_SUPPORT', decision: 'APPROVED', price: 900_000 });
  await decideAddOn(deps, fixtures.operator, submitted.id, { code: 'CATERING', decision: 'DECLINED', note: 'Нет поставщика' });
  expect((await submitAddOns(deps, fixtures.resident, submitted.id)).status).toBe('AWAITING_CONFIRMATION');
  const confirmed = await confirmBooking(deps, fixtures.operator, submitted.id);

  expect(confirmed.status).toBe('CONFIRMED');
  expect(confirmed.prices).toEqual({ room: submitted.prices.room, addOns: 900_000, total: submitted.prices.room + 900_000 });
  expect(confirmed.addOns.map((line) => [line.code, line.status, line.price])).toEqual([
    ['TECH_SUPPORT', 'APPROVED', 900_000],
    ['CATERING', 'DECLINED', null],
  ]);
  // The event is 15 s away, so the call-back's reminder (half-way to its deadline) may come on a slow machine.
  expect(confirmed.timeline.map((event) => event.type).filter((type) => !type.startsWith('SLA_'))).toEqual([
    'SUBMITTED',
    'CALLBACK_AGREED',
    'ADDONS_ORDERED',
    'ADDON_APPROVED',
    'ADDON_DECLINED',
    'ADDONS_SUBMITTED',
    'CONFIRMED',
  ]);

  const confirmation = await waitFor(
    () => inbox.to(fixtures.resident.email).find((mail) => mail.subject?.startsWith(`Заявка ${confirmed.code}: бронь подтверждена / `)),
    { timeoutMs: 10_000, description: 'the confirmation e-mail' },
  );
  const ics = confirmation.attachments.find((attachment) => attachment.contentType.startsWith('text/calendar'));
  const icsText = ics!.content.toString('utf8');
  expect(icsText).toContain('METHOD:REQUEST');
  expect(icsText).toContain(`UID:booking-${submitted.id}@opendk`);
  expect(icsText).toContain('SEQUENCE:0');
  expect(icsText).toContain(`DTSTART:${submitted.startsAt.replace(/[-:]/g, '').replace('.000', '')}`);

  await waitFor(() => inbox.to(fixtures.resident.email).some((mail) => mail.subject?.startsWith('Напоминание')), {
    timeoutMs: 20_000,
    description: 'the reminder before the event',
  });
  const completed = await waitFor(
    async () => {
      const view = await getBookingForActor(deps, fixtures.resident, submitted.id);
      return view.status === 'COMPLETED' && view;
    },
    { timeoutMs: 30_000, intervalMs: 200, description: 'COMPLETED after the event' },
  );
  expect(completed.timeline.map((event) => event.type).slice(-2)).toEqual(['RESIDENT_REMINDED', 'COMPLETED']);
  const hold = await h.prisma.slotHold.findUniqueOrThrow({ where: { bookingId: submitted.id } });
  expect(hold.active).toBe(true);
  const description = await h.client.workflow.getHandle(submitted.workflowId).describe();
  await waitFor(async () => (await h.client.workflow.getHandle(submitted.workflowId).describe()).status.name === 'COMPLETED', {
    description: 'the workflow to close',
  });
  expect(await description.staticSummary()).toContain('ДК «Тестовый»');
}, 90_000);
