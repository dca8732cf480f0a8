import fc from 'fast-check';
import { ADDON_CODES } from '../../src/domain/addons';
import { anyString, headersArb, junkId } from './arbitraries';
import { emailFields, sessionFields } from './bodies';
import { endpointCases, fixedTarget, withQuery } from './cases';
import { fuzz, type GeneratedCase, Tally } from './contract';
import { publicRegressions } from './regressions';
import { PERSONAS, startApiWorld, type ApiWorld } from './world';

/**
 * The catalog, sign-in and account endpoints, and paths or methods outside the API table, under
 * generated input: 2xx or 4xx only, a 4xx is a problem document, and a 4xx (or any read) leaves
 * the database as it was.
 */

// Each property sends a few hundred requests: normally 5–15 s, more on a busy shared machine.
jest.setTimeout(120_000);

let world: ApiWorld;
let roomId: number;
const KNOWN_EMAIL = 'known.property@example.test';
const tally = new Tally();

beforeAll(async () => {
  world = await startApiWorld('props-public');
  roomId = await world.harness.fixtures.newRoom();
  // A live code for one address, so generated sign-ins with it reach the code check itself.
  const asked = await world.send({ method: 'POST', path: '/api/auth/code', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: KNOWN_EMAIL }) });
  expect(asked.status).toBe(202);
}, 60_000);

afterAll(async () => {
  tally.print('public endpoints');
  await world?.close();
});

const day = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
const oddDay = fc.constantFrom('0000-01-01', '9999-12-31', '2026-02-29', '2028-02-29', '2026-02-30', '2026-13-01', '2026-1-1', '20260101', '2026-01-01T00:00:00Z', '');
const intText = (valid: number) => fc.oneof({ weight: 3, arbitrary: fc.constant(String(valid)) }, { weight: 1, arbitrary: fc.constantFrom('0', '-1', '1.5', '1e3', '0x10', '2147483648', '1e999', 'NaN', '') });

describe('public and account endpoints under generated input', () => {
  it('when GET /api/health and GET /api/districts get generated headers and query strings, then they answer 2xx/4xx and change nothing', async () => {
    for (const path of ['/api/health', '/api/districts']) {
      await fuzz(world, tally, {
        endpoint: `GET ${path}`,
        numRuns: 50,
        cases: endpointCases(world, { method: 'GET', path: (_id, query) => withQuery(path, query), persona: undefined }),
      });
    }
  });

  it('when GET /api/venues gets generated query strings, then it answers 2xx/4xx and changes nothing', async () => {
    const { districtId } = world.harness.fixtures;
    await fuzz(world, tally, {
      endpoint: 'GET /api/venues',
      examples: publicRegressions(world)['GET /api/venues'],
      numRuns: 200,
      cases: endpointCases(world, {
        method: 'GET',
        path: (_id, query) => withQuery('/api/venues', query),
        persona: undefined,
        query: [
          { key: 'district', value: intText(districtId) },
          { key: 'q', value: fc.oneof(fc.constantFrom(...['тест', 'ДК', 'ё', '%', '_', '\\', '\u0000', 'a\u0000b'].map(encodeURIComponent)), anyString.map((text) => encodeURIComponent(text.slice(0, 120).replace(/[\ud800-\udfff]/g, '?')))) },
          { key: 'minCapacity', value: intText(10) },
          { key: 'addOn', value: fc.oneof(fc.constantFrom(...ADDON_CODES), fc.constantFrom('catering', '')) },
          { key: 'page', value: intText(1) },
          { key: 'pageSize', value: intText(20) },
        ],
      }),
    });
  });

  it('when GET /api/venues/:id gets generated ids, then it answers 2xx/4xx and changes nothing', async () => {
    await fuzz(world, tally, {
      endpoint: 'GET /api/venues/:id',
      examples: publicRegressions(world)['GET /api/venues/:id'],
      numRuns: 120,
      cases: endpointCases(world, { method: 'GET', path: (id, query) => withQuery(`/api/venues/${id}`, query), persona: undefined }, fixedTarget(world.harness.fixtures.venueId)),
    });
  });

  it('when GET /api/rooms/:id/availability gets generated ids and dates, then it answers 2xx/4xx and changes nothing', async () => {
    await fuzz(world, tally, {
      endpoint: 'GET /api/rooms/:id/availability',
      numRuns: 150,
      cases: endpointCases(
        world,
        { method: 'GET', path: (id, query) => withQuery(`/api/rooms/${id}/availability`, query), persona: undefined, query: [{ key: 'date', value: fc.oneof({ weight: 4, arbitrary: day }, { weight: 1, arbitrary: oddDay }) }] },
        fixedTarget(roomId),
      ),
    });
  });

  it('when POST /api/auth/code gets generated bodies and headers, then it answers 2xx/4xx and a refusal changes nothing', async () => {
    await fuzz(world, tally, {
      endpoint: 'POST /api/auth/code',
      examples: publicRegressions(world)['POST /api/auth/code'],
      numRuns: 150,
      cases: endpointCases(world, { method: 'POST', path: (_id, query) => withQuery('/api/auth/code', query), persona: undefined, fields: emailFields(KNOWN_EMAIL), validWeight: 6 }),
    });
  });

  it('when POST /api/auth/session gets generated bodies and headers, then it answers 2xx/4xx and a refusal changes nothing', async () => {
    await fuzz(world, tally, {
      endpoint: 'POST /api/auth/session',
      numRuns: 150,
      cases: endpointCases(world, { method: 'POST', path: (_id, query) => withQuery('/api/auth/session', query), persona: undefined, fields: sessionFields(KNOWN_EMAIL), validWeight: 4 }),
    });
  });

  it('when DELETE /api/auth/session and GET /api/me get generated cookies and headers, then they answer 2xx/4xx and a refusal changes nothing', async () => {
    // Only junk or no cookies for DELETE: a real session would be revoked (a legitimate 204).
    await fuzz(world, tally, {
      endpoint: 'DELETE /api/auth/session',
      numRuns: 60,
      cases: endpointCases(world, { method: 'DELETE', path: (_id, query) => withQuery('/api/auth/session', query), persona: undefined, personas: [undefined] }),
    });
    await fuzz(world, tally, {
      endpoint: 'GET /api/me',
      numRuns: 60,
      cases: endpointCases(world, { method: 'GET', path: (_id, query) => withQuery('/api/me', query), persona: 'resident', personas: [...PERSONAS, undefined] }),
    });
  });

  it('when paths and methods outside the API table are called, then they answer 2xx/4xx (404 for what does not exist) and change nothing', async () => {
    const segment = fc.oneof(junkId, fc.constantFrom('api', 'bookings', 'operator', 'admin', 'auth', 'venues', 'rooms', 'codec', 'tasks', 'stats', '..', '.', '', '%2e%2e', 'API', 'Bookings'));
    const cases = fc
      .record({
        method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND'),
        path: fc.oneof(
          fc.array(segment, { minLength: 1, maxLength: 5 }).map((segments) => `/api/${segments.join('/')}`),
          fc.array(segment, { minLength: 0, maxLength: 4 }).map((segments) => `/${segments.join('/')}`),
          fc.constantFrom('/api', '/api/', '//api//bookings', '/API/BOOKINGS', '/api/bookings/', '/api/me/', '/api/health/../admin/stats', '/api/%2e%2e/admin/stats', '/api/venues?%', '/*', '/api/bookings;a=b'),
        ),
        headers: headersArb(undefined),
        cookie: fc.constantFrom(...PERSONAS, undefined),
      })
      .map(({ method, path, headers, cookie }): GeneratedCase => ({ request: { method, path, headers: { ...headers, ...(cookie ? { Cookie: world.cookies[cookie] } : {}) } }, workflowIds: [] }));
    await fuzz(world, tally, {
      endpoint: 'unknown paths and methods',
      numRuns: 150,
      cases: cases.filter(({ request }) => !isRealRoute(request.method, request.path)),
    });
  });
});

/** Real routes are fuzzed above; this test is about everything else. */
function isRealRoute(method: string, path: string): boolean {
  const bare = path.split('?')[0];
  if (method === 'DELETE' && /^\/api\/auth\/session\/?$/i.test(bare)) return true;
  if (method === 'POST' && /^\/api\/(auth\/(code|session)|bookings|bookings\/[^/]+\/(cancel|addons|addons\/submit)|operator\/bookings\/[^/]+\/(callback|confirm|reject|addons\/[^/]+\/decision))\/?$/i.test(bare)) return true;
  return false;
}
