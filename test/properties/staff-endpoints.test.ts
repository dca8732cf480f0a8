import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import fc from 'fast-check';
import { ADDON_CODES } from '../../src/domain/addons';
import { testCodec } from '../support/payload-codec';
import { actionKeyHeaders, headerValue, jsonText, junkId, listPositionArb, pageNumber, type Field } from './arbitraries';
import { operatorTasksCursor } from '../../src/bookings';
import { staffJournalCursor } from '../../src/staff/journal';
import { appointmentFields, callbackFields, decisionFields, noteFields, reasonFields } from './bodies';
import { BookingPool, endpointCases, refreshTargets, withQuery } from './cases';
import { fuzz, type GeneratedCase, Tally } from './contract';
import { dismissalRegressions, staffRegressions } from './regressions';
import { fuzzRoute } from './routes';
import { CODEC_UI_ORIGIN, startApiWorld, type ApiWorld } from './world';

/**
 * Every operator and administrator endpoint under generated input, aimed at real bookings of
 * the operator's district in each state, and the administrators' codec server for the Temporal
 * UI: 2xx or 4xx only, a 4xx is a problem document, and a 4xx
 * leaves the database and the workflow history exactly as they were.
 */

// Each property sends a few hundred requests: normally 5–15 s, more on a busy shared machine.
jest.setTimeout(120_000);

let world: ApiWorld;
let pool: BookingPool;
let regressions: Record<string, GeneratedCase[]>;
const tally = new Tally();

beforeAll(async () => {
  world = await startApiWorld('props-staff');
  pool = await BookingPool.create(world, ['AWAITING_CALLBACK', 'ADDONS', 'AWAITING_CONFIRMATION', 'CONFIRMED', 'CANCELLED']);
  regressions = staffRegressions(world, { awaitingCallback: pool.in('AWAITING_CALLBACK'), addons: pool.in('ADDONS'), awaitingConfirmation: pool.in('AWAITING_CONFIRMATION') });
}, 60_000);

// Each property starts with a booking in every state, and replaces at most a few it moves on.
beforeEach(() => pool.restore(4));

afterAll(async () => {
  tally.print('staff endpoints');
  await world?.close();
});

const calendarDay = (min: string, max: string) => fc.date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true }).map((day) => day.toISOString().slice(0, 10));
/** Mostly days of three years, so that a fair share of the generated ranges are valid and reach the statistics. */
const date = fc.oneof(
  { weight: 4, arbitrary: calendarDay('2025-01-01', '2027-12-31') },
  { weight: 2, arbitrary: calendarDay('2000-01-01', '2100-01-01') },
  { weight: 1, arbitrary: fc.constantFrom('0000-01-01', '0001-01-01', '1969-12-31', '9999-12-31', '2026-02-29', '2028-02-29', '2026-13-01', '2026-1-1', '20260101', '2026-01-01T00:00:00Z', '') },
);

/** An administrator's GET whose query parameters are generated from `params`. */
function fuzzAdminQuery(path: string, params: Record<string, fc.Arbitrary<string>>, numRuns: number) {
  return fuzz(world, tally, {
    endpoint: `GET ${path}`,
    numRuns,
    cases: endpointCases(world, {
      method: 'GET',
      path: (_id, query) => withQuery(path, query),
      persona: 'admin',
      query: Object.entries(params).map(([key, value]) => ({ key, value })),
    }),
  });
}

/** Which add-on a decision names: mostly the ordered one, sometimes another code, sometimes junk. */
const addOnSegment = fc.oneof(
  { weight: 6, arbitrary: fc.constant('CATERING') },
  { weight: 2, arbitrary: fc.constantFrom(...ADDON_CODES) },
  { weight: 2, arbitrary: fc.oneof(fc.constantFrom('catering', 'CATERING%00', '%43ATERING', '__proto__', 'constructor', '..', '%E0%A4%A'), junkId) },
);

describe('operator and admin endpoints under generated input', () => {
  it('when GET /api/operator/tasks gets generated positions, headers and query strings, then it answers 2xx/4xx and changes nothing', async () => {
    const query = [{ key: 'limit', value: pageNumber }, { key: 'after', value: listPositionArb(operatorTasksCursor) }];
    await fuzzRoute(world, tally, regressions, { method: 'GET', route: '/api/operator/tasks', persona: 'operator', numRuns: 100, query });
  });

  it('when POST /api/operator/bookings/:id/callback gets generated input, then it answers 2xx/4xx and a refusal changes nothing', async () => {
    await fuzzRoute(world, tally, regressions, { method: 'POST', route: '/api/operator/bookings/:id/callback', persona: 'operator', fields: callbackFields, numRuns: 200, pool, headers: actionKeyHeaders });
  });

  it('when POST /api/operator/bookings/:id/addons/:code/decision gets generated input, then it answers 2xx/4xx and a refusal changes nothing', async () => {
    const cases = fc
      .tuple(
        addOnSegment,
        endpointCases(world, { method: 'POST', path: (id, query) => withQuery(`/api/operator/bookings/${id}/addons/{code}/decision`, query), persona: 'operator', fields: decisionFields, headers: actionKeyHeaders }, pool),
      )
      .map(([code, generated]) => ({ ...generated, request: { ...generated.request, path: generated.request.path.replace('{code}', code) } }));
    await fuzz(world, tally, {
      endpoint: 'POST /api/operator/bookings/:id/addons/:code/decision',
      examples: regressions['POST /api/operator/bookings/:id/addons/:code/decision'],
      numRuns: 200,
      cases,
      onSuccess: refreshTargets(pool),
    });
  });

  it('when POST /api/operator/bookings/:id/confirm gets generated input, then it answers 2xx/4xx and a refusal changes nothing', async () => {
    await fuzzRoute(world, tally, regressions, { method: 'POST', route: '/api/operator/bookings/:id/confirm', persona: 'operator', fields: noteFields, numRuns: 200, pool, headers: actionKeyHeaders });
  });

  it('when POST /api/operator/bookings/:id/reject gets generated input, then it answers 2xx/4xx and a refusal changes nothing', async () => {
    await fuzzRoute(world, tally, regressions, { method: 'POST', route: '/api/operator/bookings/:id/reject', persona: 'operator', fields: reasonFields, numRuns: 200, pool, headers: actionKeyHeaders });
  });

  it('when GET /api/admin/stats gets generated ranges, headers and query strings, then it answers 2xx/4xx and changes nothing', async () => {
    await fuzzAdminQuery('/api/admin/stats', { from: date, to: date }, 150);
  });

  it('when GET /api/admin/staff gets generated headers and query strings, then it answers 2xx/4xx and changes nothing', async () => {
    await fuzzRoute(world, tally, regressions, { method: 'GET', route: '/api/admin/staff', persona: 'admin', numRuns: 60 });
  });

  it('when GET /api/admin/staff/changes gets generated pages, headers and query strings, then it answers 2xx/4xx and changes nothing', async () => {
    await fuzzAdminQuery('/api/admin/staff/changes', { offset: pageNumber, limit: pageNumber }, 100);
    await fuzzAdminQuery('/api/admin/staff/changes', { limit: pageNumber, after: listPositionArb(staffJournalCursor) }, 100);
  });

  it('when POST /api/admin/staff/operators gets generated input, then it answers 2xx/4xx and a refusal changes nothing', async () => {
    const { districtId, otherDistrictId } = world.harness.fixtures;
    await fuzzRoute(world, tally, regressions, { method: 'POST', route: '/api/admin/staff/operators', persona: 'admin', fields: appointmentFields([districtId, otherDistrictId]), numRuns: 200 });
  });

  it('when POST /api/admin/staff/operators/:id/dismiss gets generated ids and input, then it answers 2xx/4xx and a refusal changes nothing', async () => {
    // Aimed at operators made for it (not the personas the other properties act as), so a 204 happens too.
    const { districtId } = world.harness.fixtures;
    const operatorIds = await Promise.all(
      [1, 2, 3, 4].map(async (n) => (await world.harness.prisma.user.create({ data: { email: `fuzz.dismiss.${n}.${Date.now()}@example.test`, role: 'OPERATOR', operatorDistricts: { create: [{ districtId }] } } })).id),
    );
    await fuzz(world, tally, {
      endpoint: 'POST /api/admin/staff/operators/:id/dismiss',
      examples: dismissalRegressions(world, operatorIds[0]),
      numRuns: 80,
      cases: endpointCases(world, { method: 'POST', path: (id, query) => withQuery(`/api/admin/staff/operators/${id}/dismiss`, query), persona: 'admin' }, { pick: (at) => ({ id: operatorIds[at % operatorIds.length] }) }),
    });
  });

  it('when POST /codec/decode and /codec/encode get generated payloads, tokens and origins, then they answer 2xx/4xx and change nothing', async () => {
    const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');
    const [sealed] = await testCodec().encode([defaultPayloadConverter.toPayload({ eventTitle: 'Юбилей', contactPhone: '+79031112233' })]);
    const sealedJson = JSON.stringify(temporal.api.common.v1.Payload.fromObject(sealed).toJSON());
    const encryptedMeta = (keyId: string) => `{"encoding":"${b64('binary/encrypted')}","encryption-key-id":"${b64(keyId)}"}`;
    const base64ish = fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map((bytes) => JSON.stringify(b64(bytes))),
      fc.constantFrom('""', '"A"', '"AB"', '"ABC"', '"===="', '"-_-_"', '"QQ=="', '"QQ"', '"Q=Q="', `"${'A'.repeat(4001)}"`),
    );
    const oddPayload = fc.oneof(
      { weight: 4, arbitrary: base64ish.map((data) => `{"metadata":${encryptedMeta('test-only-1')},"data":${data}}`) },
      { weight: 2, arbitrary: base64ish.map((data) => `{"metadata":${encryptedMeta('no-such-key')},"data":${data}}`) },
      { weight: 2, arbitrary: fc.tuple(base64ish, base64ish).map(([key, data]) => `{"metadata":{"encoding":${key}},"data":${data}}`) },
      { weight: 2, arbitrary: fc.constantFrom('{}', '{"metadata":null,"data":null}', '{"metadata":{}}', '{"externalPayloads":"x"}', '{"externalPayloads":[{"sizeBytes":"junk"}]}', '{"metadata":{"__proto__":"QQ=="}}', '{"data":"QQ==","extra":{"a":1}}', 'null', '[]', '"QQ=="') },
      { weight: 1, arbitrary: jsonText },
    );
    const payloadsField: Field[] = [
      {
        key: 'payloads',
        valid: fc.constantFrom(`[${sealedJson}]`, `[${sealedJson},{"metadata":{"encoding":"${b64('json/plain')}"},"data":"${b64('{}')}"}]`, '[]'),
        odd: fc.oneof(fc.array(oddPayload, { minLength: 1, maxLength: 2 }).map((items) => `[${items.join(',')}]`), fc.constantFrom('null', '{}', '"x"', `[${Array.from({ length: 10_001 }, () => '{}').join(',')}]`)),
      },
    ];
    const adminToken = world.cookies.admin.split('=')[1];
    for (const action of ['decode', 'encode']) {
      await fuzz(world, tally, {
        endpoint: `POST /codec/${action}`,
        examples: regressions[`POST /codec/${action}`],
        numRuns: 100,
        cases: endpointCases(world, {
          method: 'POST',
          path: (_id, query) => withQuery(`/codec/${action}`, query),
          persona: 'admin',
          fields: payloadsField,
          headers: {
            Authorization: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(`Bearer ${adminToken}`, `bearer  ${adminToken} `, `Bearer ${world.cookies.operator.split('=')[1]}`, 'Bearer', 'Basic YWRtaW46YWRtaW4=') }, { weight: 1, arbitrary: headerValue(100) }),
            'X-Namespace': fc.oneof(fc.constant('default'), headerValue(50)),
            Origin: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(CODEC_UI_ORIGIN, 'https://evil.example', 'null') }),
          },
        }),
      });
    }
  });
});
