import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { cancelBooking, decideAddOn, recordCallback, submitBooking, workflowIdFor } from '../../src/bookings';
import { BOOKING_SEARCH_ATTRIBUTES } from '../../src/infra/search-attributes';
import { testCodec } from '../support/payload-codec';
import { createTestClient } from '../support/temporal';
import { waitForQuietHistory } from './flow';
import { startBookingHarness, type BookingHarness } from './harness';
import { bookingBody, newKey } from './requests';

/**
 * What the Temporal server stores about a booking, read RAW (a client without the codec, as
 * the server's database, its Web UI without a codec server or anyone with namespace access
 * would see it): none of the resident's personal data may be in it, in any form.
 */
let h: BookingHarness;
let raw: Client;
beforeAll(async () => {
  h = await startBookingHarness('personal-data');
  raw = await createTestClient();
}, 120_000);
afterAll(async () => {
  await raw?.connection.close();
  await h?.close();
});

const FULL_NAME = 'Снежана Вышеславцева';
const EVENT_TITLE = 'Свадьба Вышеславцевых в узком кругу';
const AGREED_TITLE = 'Венчальный вечер Снежаны';
/** One number, written the ways people write it; digit runs shorter than 10 could occur in timestamps by chance. */
const PHONE_FORMS = ['+7 (916) 555-72-48', '8 (916) 555-72-48', '8 916 555 72 48', '+7 916 555-72-48', '+79165557248', '79165557248', '89165557248', '9165557248', '(916) 555-72-48', '916 555-72-48', '916-555-72-48', '555-72-48', '555 72 48'];

test('when a resident books and staff and resident act on it, then the raw history and search attributes hold no e-mail, phone, name or event title', async () => {
  const deps = h.deps();
  const resident = await h.fixtures.newResident();
  await h.prisma.user.update({ where: { id: resident.id }, data: { fullName: FULL_NAME } });
  const roomId = await h.fixtures.newRoom();
  const body = bookingBody(roomId, 86_400_000, 3_600_000, {
    eventTitle: EVENT_TITLE,
    contactPhone: PHONE_FORMS[0],
    contactName: FULL_NAME,
    comment: `Звонить Снежане Вышеславцевой: ${PHONE_FORMS[2]}, ${resident.email}`,
    addOns: [{ code: 'TECH_SUPPORT', note: `Микрофон для ${FULL_NAME}` }],
  });

  // Act: the resident submits, the operator agrees new details on the phone and approves the
  // add-on, the resident cancels; notes and reasons are free text with personal data in them.
  const booking = await submitBooking(deps, { residentId: resident.id, idempotencyKey: newKey(), body });
  await recordCallback(deps, h.fixtures.operator, booking.id, {
    outcome: 'AGREED',
    note: `Дозвонился Снежане по ${PHONE_FORMS[4]}`,
    changes: { eventTitle: AGREED_TITLE, comment: `Почта ${resident.email}` },
  });
  await decideAddOn(deps, h.fixtures.operator, booking.id, { code: 'TECH_SUPPORT', decision: 'APPROVED', price: 500_000, note: `Для ${FULL_NAME}` });
  await cancelBooking(deps, resident, booking.id, { reason: `${FULL_NAME} заболела, звоните ${PHONE_FORMS[1]}` });
  const workflowId = workflowIdFor(booking.id);
  expect(await h.client.workflow.getHandle(workflowId).result()).toBe('CANCELLED');
  await waitForQuietHistory(h, workflowId);

  // Assert: everything the server keeps about this workflow, read without the codec.
  const handle = raw.workflow.getHandle(workflowId);
  const history = temporal.api.history.v1.History.fromObject(await handle.fetchHistory());
  const described = (await handle.describe()).raw;
  const searchAttributes = described.workflowExecutionInfo?.searchAttributes?.indexedFields ?? {};
  const memo = described.workflowExecutionInfo?.memo?.fields ?? {};

  const json = JSON.stringify(history.toJSON());
  const wire = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
  const payloadTexts = payloadsIn(history.toJSON()).map((payload) => Buffer.concat([Buffer.from(payload.data ?? '', 'base64'), ...Object.values(payload.metadata ?? {}).map((value) => Buffer.from(value, 'base64'))]));
  const attributeTexts = Object.values(searchAttributes).map((payload) => Buffer.from(payload.data ?? []).toString('utf8'));

  const emailLocalPart = resident.email.split('@')[0];
  const needles = [resident.email, emailLocalPart, FULL_NAME, 'Вышеславцев', 'Снежан', EVENT_TITLE, AGREED_TITLE, 'Свадьба', ...PHONE_FORMS];
  const found = needles.flatMap((needle) => {
    const bytes = Buffer.from(needle, 'utf8');
    const where = [
      json.includes(needle) && 'history JSON',
      wire.includes(bytes) && 'history protobuf bytes',
      payloadTexts.some((text) => text.includes(bytes)) && 'decoded payload bytes',
      attributeTexts.some((text) => text.includes(needle)) && 'search attributes',
    ].filter(Boolean);
    return where.length > 0 ? [`${needle}: ${where.join(', ')}`] : [];
  });
  expect(found).toEqual([]);

  // Search attributes: only the booking's own, none of them personal; no memo at all.
  expect(Object.keys(searchAttributes).filter((name) => !(name in BOOKING_SEARCH_ATTRIBUTES) && !name.startsWith('Temporal') && name !== 'BuildIds')).toEqual([]);
  expect(Object.keys(memo)).toEqual([]);

  // Control: the data is in the history, encrypted: the codec turns the submission back into it.
  expect(payloadTexts.length).toBeGreaterThan(20);
  const submission = history.events.find((event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'submit');
  const [encrypted] = submission!.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!.payloads!;
  expect(Buffer.from(encrypted.metadata!.encoding!).toString()).toBe('binary/encrypted');
  const [decrypted] = await testCodec().decode([encrypted]);
  expect(defaultPayloadConverter.fromPayload(decrypted)).toMatchObject({ eventTitle: EVENT_TITLE, contactPhone: PHONE_FORMS[4], contactName: FULL_NAME });
});

/** Every Payload in protobufjs JSON (bytes as base64). */
function payloadsIn(value: unknown): { metadata?: Record<string, string>; data?: string }[] {
  if (Array.isArray(value)) return value.flatMap(payloadsIn);
  if (typeof value !== 'object' || value === null) return [];
  const candidate = value as { metadata?: Record<string, string>; data?: string };
  if (candidate.metadata && typeof candidate.metadata === 'object' && 'encoding' in candidate.metadata) return [candidate];
  return Object.values(value).flatMap(payloadsIn);
}
