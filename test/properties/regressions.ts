import type { GeneratedCase } from './contract';
import type { ApiWorld, Persona, RawRequest, TargetBooking } from './world';

/**
 * Requests the properties once found failing, replayed first on every run (fast-check's
 * `examples`), so each fixed bug stays fixed whatever the random seed. Each names its bug.
 */

const json = (value: unknown) => JSON.stringify(value);

function request(world: ApiWorld, persona: Persona | undefined, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): RawRequest {
  return {
    method,
    path,
    headers: { ...(persona ? { Cookie: world.cookies[persona] } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body,
  };
}

const aimedAt = (target: TargetBooking | undefined, built: RawRequest): GeneratedCase => ({ request: built, workflowIds: target ? [target.workflowId] : [] });

/** A gzip header promising compressed JSON in front of plain text: zlib fails, which was a 500. */
export const NOT_GZIP = { body: '{"reason":"x"}', headers: { 'Content-Encoding': 'gzip' } };

export function residentRegressions(world: ApiWorld, targets: { awaitingCallback: TargetBooking; addons: TargetBooking }, valid: Record<string, unknown>, roomId: number): Record<string, GeneratedCase[]> {
  const { awaitingCallback, addons } = targets;
  return {
    'POST /api/bookings': [
      // roomId beyond PostgreSQL's integer reached Prisma: 500.
      aimedAt(undefined, request(world, 'resident', 'POST', '/api/bookings', json({ ...valid, roomId: 1e15 }), { 'Idempotency-Key': 'regression-room-id' })),
      aimedAt(undefined, request(world, 'resident', 'POST', '/api/bookings', json({ ...valid, roomId: 2 ** 31 }), { 'Idempotency-Key': 'regression-room-id-2' })),
      // A NUL in the title got past validation; the slot-hold insert failed ten times: 503, a dead workflow.
      aimedAt(undefined, request(world, 'resident', 'POST', '/api/bookings', json({ ...valid, roomId, eventTitle: 'Репетиция\u0000хора' }), { 'Idempotency-Key': 'regression-nul-title' })),
      aimedAt(undefined, request(world, 'resident', 'POST', '/api/bookings', json({ ...valid, roomId, addOns: [{ code: 'CATERING', note: 'без\u0000глютена' }] }), { 'Idempotency-Key': 'regression-nul-note' })),
    ],
    'GET /api/bookings': [aimedAt(undefined, request(world, 'resident', 'GET', '/api/bookings', NOT_GZIP.body, NOT_GZIP.headers))],
    'GET /api/bookings/:id': [
      // A path whose %-escapes do not decode: the router's URIError was a 500.
      aimedAt(awaitingCallback, request(world, 'resident', 'GET', '/api/bookings/%E0%A4%A')),
      aimedAt(awaitingCallback, request(world, 'resident', 'GET', '/api/bookings/%')),
    ],
    'POST /api/bookings/:id/cancel': [
      // A NUL in the reason: the projection activity failed for ever, the request hung, the booking wedged.
      aimedAt(awaitingCallback, request(world, 'resident', 'POST', `/api/bookings/${awaitingCallback.id}/cancel`, json({ reason: 'a\u0000b' }))),
      aimedAt(awaitingCallback, request(world, 'resident', 'POST', `/api/bookings/${awaitingCallback.id}/cancel`, NOT_GZIP.body, NOT_GZIP.headers)),
    ],
    'POST /api/bookings/:id/addons': [
      aimedAt(addons, request(world, 'resident', 'POST', `/api/bookings/${addons.id}/addons`, NOT_GZIP.body, NOT_GZIP.headers)),
      aimedAt(addons, request(world, 'resident', 'POST', `/api/bookings/${addons.id}/addons`, json({ addOns: [{ code: 'TECH_SUPPORT', note: '\ud800' }] }))),
    ],
    'POST /api/bookings/:id/addons/submit': [
      // A body in another media type was read as "no body": the stage closed, the note was lost.
      aimedAt(addons, request(world, 'resident', 'POST', `/api/bookings/${addons.id}/addons/submit`, json({ note: 'Готово' }), { 'Content-Type': 'text/plain' })),
      aimedAt(addons, request(world, 'resident', 'POST', `/api/bookings/${addons.id}/addons/submit`, 'note=Готово', { 'Content-Type': 'application/x-www-form-urlencoded' })),
    ],
  };
}

export function staffRegressions(world: ApiWorld, targets: { awaitingCallback: TargetBooking; addons: TargetBooking; awaitingConfirmation: TargetBooking }): Record<string, GeneratedCase[]> {
  const { awaitingCallback, addons, awaitingConfirmation } = targets;
  const path = (target: TargetBooking, action: string) => `/api/operator/bookings/${target.id}/${action}`;
  return {
    'POST /api/operator/bookings/:id/callback': [
      // An unpaired surrogate in the agreed changes: the event's jsonb refused it, the booking wedged.
      aimedAt(awaitingCallback, request(world, 'operator', 'POST', path(awaitingCallback, 'callback'), json({ outcome: 'AGREED', attempt: 1, changes: { comment: 'x\ud800' } }))),
      aimedAt(awaitingCallback, request(world, 'operator', 'POST', path(awaitingCallback, 'callback'), json({ outcome: 'NO_ANSWER', attempt: 1, note: '\u0000' }))),
      aimedAt(awaitingCallback, request(world, 'operator', 'POST', path(awaitingCallback, 'callback'), NOT_GZIP.body, NOT_GZIP.headers)),
    ],
    'POST /api/operator/bookings/:id/addons/:code/decision': [
      aimedAt(addons, request(world, 'operator', 'POST', path(addons, 'addons/CATERING/decision'), json({ decision: 'DECLINED', note: 'нет\u0000' }))),
      aimedAt(addons, request(world, 'operator', 'POST', path(addons, 'addons/%E0%A4%A/decision'), json({ decision: 'DECLINED' }))),
    ],
    'POST /api/operator/bookings/:id/confirm': [
      aimedAt(awaitingConfirmation, request(world, 'operator', 'POST', path(awaitingConfirmation, 'confirm'), json({ note: 'Подтверждаю' }), { 'Content-Type': 'text/plain' })),
    ],
    'POST /api/operator/bookings/:id/reject': [aimedAt(awaitingCallback, request(world, 'operator', 'POST', path(awaitingCallback, 'reject'), json({ reason: 'Занято\u0000' })))],
    // Base64 protobufjs cannot decode (a lone character, padding too early) and a Payload field of the wrong
    // type got past the codec server's schema; Payload.fromObject threw: 500.
    'POST /codec/decode': [
      aimedAt(undefined, request(world, 'admin', 'POST', '/codec/decode', json({ payloads: [{ metadata: { encoding: '' }, data: 'A' }] }))),
      aimedAt(undefined, request(world, 'admin', 'POST', '/codec/decode', json({ payloads: [{ data: 'QUJD=' }] }))),
      aimedAt(undefined, request(world, 'admin', 'POST', '/codec/decode', json({ payloads: [{ externalPayloads: 'x' }] }))),
    ],
    'POST /codec/encode': [aimedAt(undefined, request(world, 'admin', 'POST', '/codec/encode', json({ payloads: [{ metadata: { encoding: 'Q=Q=' } }] })))],
  };
}

/** The dismissal of `operatorId` (an operator the property made to aim at). */
export function dismissalRegressions(world: ApiWorld, operatorId: string): GeneratedCase[] {
  const path = `/api/admin/staff/operators/${operatorId}/dismiss`;
  return [
    // A body that is not JSON was ignored and the operator dismissed.
    aimedAt(undefined, request(world, 'admin', 'POST', path, 'x', { 'Content-Type': 'text/plain' })),
    aimedAt(undefined, request(world, 'admin', 'POST', path, json({ reason: 'Уволен' }))),
  ];
}

export function publicRegressions(world: ApiWorld): Record<string, GeneratedCase[]> {
  return {
    // A NUL in the search text reached PostgreSQL's LIKE: 500.
    'GET /api/venues': [aimedAt(undefined, request(world, undefined, 'GET', '/api/venues?q=%00')), aimedAt(undefined, request(world, undefined, 'GET', '/api/venues?q=a%00b'))],
    'GET /api/venues/:id': [aimedAt(undefined, request(world, undefined, 'GET', '/api/venues/%E0%A4%A'))],
    'POST /api/auth/code': [aimedAt(undefined, request(world, undefined, 'POST', '/api/auth/code', NOT_GZIP.body, NOT_GZIP.headers))],
  };
}
