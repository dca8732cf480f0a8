import { cancelBooking, confirmBooking, decideAddOn, orderAddOns, recordCallback, submitAddOns } from '../../src/bookings';
import type { BookingView } from '../../src/bookings';
import { startBookingHarness, type BookingHarness } from './harness';
import { submitFresh, waitForMail } from './flow';

let h: BookingHarness;
beforeAll(async () => {
  h = await startBookingHarness('cancel');
}, 120_000);
afterAll(() => h?.close());

type Stage = 'AWAITING_CALLBACK' | 'ADDONS' | 'AWAITING_CONFIRMATION' | 'CONFIRMED';

/** A booking driven to `stage` with TECH_SUPPORT approved, CATERING declined, TURNKEY_DECOR approved (in that order of ordering). */
async function bookingAt(stage: Stage): Promise<BookingView> {
  const deps = h.deps();
  const { operator, resident } = h.fixtures;
  const booking = await submitFresh(h, deps, { addOns: [{ code: 'TECH_SUPPORT' }, { code: 'CATERING' }] });
  if (stage === 'AWAITING_CALLBACK') return booking;
  await recordCallback(deps, operator, booking.id, { outcome: 'AGREED' });
  await orderAddOns(deps, resident, booking.id, { items: [{ code: 'TURNKEY_DECOR', quantity: 1 }] });
  await decideAddOn(deps, operator, booking.id, { code: 'TURNKEY_DECOR', decision: 'APPROVED', price: 1_800_000 });
  await decideAddOn(deps, operator, booking.id, { code: 'CATERING', decision: 'DECLINED' });
  let view = await decideAddOn(deps, operator, booking.id, { code: 'TECH_SUPPORT', decision: 'APPROVED', price: 400_000 });
  if (stage === 'ADDONS') return view;
  view = await submitAddOns(deps, resident, booking.id);
  if (stage === 'AWAITING_CONFIRMATION') return view;
  return confirmBooking(deps, operator, booking.id);
}

test.each<[Stage, 'resident' | 'operator' | 'admin', string[]]>([
  ['AWAITING_CALLBACK', 'resident', []],
  ['ADDONS', 'operator', ['TURNKEY_DECOR', 'TECH_SUPPORT']],
  ['AWAITING_CONFIRMATION', 'admin', ['TURNKEY_DECOR', 'TECH_SUPPORT']],
  ['CONFIRMED', 'resident', ['TURNKEY_DECOR', 'TECH_SUPPORT']],
])('when a booking in %s is cancelled by the %s, then approved add-ons are cancelled newest first, then the hold is released', async (stage, who, compensated) => {
  const deps = h.deps();
  const booking = await bookingAt(stage);
  expect(booking.status).toBe(stage);

  const cancelled = await cancelBooking(deps, h.fixtures[who], booking.id, { reason: 'Планы изменились' });

  expect(cancelled.status).toBe('CANCELLED');
  const tail = cancelled.timeline.slice(-(compensated.length + 1));
  expect(tail.map((event) => [event.type, (event.data as { code?: string }).code ?? null])).toEqual([
    ...compensated.map((code) => ['ADDON_CANCELLED', code]),
    ['CANCELLED', null],
  ]);
  expect(tail.at(-1)).toMatchObject({ fromStatus: stage, toStatus: 'CANCELLED', actorRole: h.fixtures[who].role, note: 'Планы изменились' });
  for (const line of cancelled.addOns) {
    expect(line.status).toBe(compensated.includes(line.code) ? 'CANCELLED' : line.code === 'CATERING' && stage !== 'AWAITING_CALLBACK' ? 'DECLINED' : 'REQUESTED');
  }
  const hold = await h.prisma.slotHold.findUniqueOrThrow({ where: { bookingId: booking.id } });
  expect(hold.active).toBe(false);
  expect(hold.releasedAt).not.toBeNull();

  const mail = await waitForMail(h, h.fixtures.resident.email, (m) => m.subject?.startsWith(`Заявка ${booking.code} отменена / `));
  const ics = mail.attachments.find((attachment) => attachment.contentType.startsWith('text/calendar'));
  if (stage === 'CONFIRMED') {
    const text = ics!.content.toString('utf8');
    expect(text).toContain('METHOD:CANCEL');
    expect(text).toContain('SEQUENCE:1');
    expect(text).toContain(`UID:booking-${booking.id}@opendk`);
  } else {
    expect(ics).toBeUndefined();
  }
});

test('when a booking is cancelled, then the same slot can be booked again at once', async () => {
  const deps = h.deps();
  const booking = await submitFresh(h, deps);
  await cancelBooking(deps, h.fixtures.resident, booking.id, { reason: 'Ошибся датой' });
  const { submitBooking } = await import('../../src/bookings');
  const again = await submitBooking(deps, {
    residentId: h.fixtures.otherResident.id,
    idempotencyKey: 'again-' + booking.id,
    body: {
      roomId: booking.room.id,
      startsAt: booking.startsAt,
      endsAt: booking.endsAt,
      eventTitle: 'Другое мероприятие',
      eventType: 'MEETING',
      attendees: 5,
      contactPhone: '+7 916 000-00-00',
    },
  });
  expect(again.status).toBe('AWAITING_CALLBACK');
});
