import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { createAuthService } from '../../src/auth/auth-service';
import type { BookingStatus } from '../../src/domain/status';
import { bookingBody, newKey } from '../bookings/requests';
import { signIn } from '../support/app';
import { headersArb } from './arbitraries';
import { changedTables, startApiWorld, type ApiWorld, type Persona, type RawResponse, type TargetBooking } from './world';

/**
 * Access probes: every caller who may not do a thing is refused, whatever state the booking is
 * in, and the refusal leaves no trace. Someone else's booking, or one outside an operator's
 * districts, is 404 (nothing is learnt about it); a route for another role is 403; no valid
 * session is 401. "No trace" is the same database fingerprint and the same workflow history
 * length for every booking before and after the probe.
 */

// Each property sends a few hundred requests: normally 5–15 s, more on a busy shared machine.
jest.setTimeout(120_000);

const STATES: BookingStatus[] = ['AWAITING_CALLBACK', 'ADDONS', 'AWAITING_CONFIRMATION', 'CONFIRMED'];

/** Callers besides the signed-in personas: nobody, a signed-out session, an expired one, junk. */
type Caller = Persona | 'anonymous' | 'revokedSession' | 'expiredSession' | 'forgedSession';

interface Probe {
  what: string;
  caller: Caller;
  method: 'GET' | 'POST';
  path: (id: string) => string;
  body?: unknown;
  headers?: Record<string, string>;
  status: 401 | 403 | 404;
}

const PROBLEM_CODE = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not-found' } as const;

const bookingActions = {
  read: { method: 'GET', path: (id: string) => `/api/bookings/${id}` },
  cancel: { method: 'POST', path: (id: string) => `/api/bookings/${id}/cancel`, body: { reason: 'Чужая заявка' } },
  orderAddOns: { method: 'POST', path: (id: string) => `/api/bookings/${id}/addons`, body: { addOns: [{ code: 'TECH_SUPPORT', quantity: 1 }] } },
  submitAddOns: { method: 'POST', path: (id: string) => `/api/bookings/${id}/addons/submit`, body: {} },
} as const;

const operatorActions = {
  callback: { method: 'POST', path: (id: string) => `/api/operator/bookings/${id}/callback`, body: { outcome: 'AGREED', attempt: 1, note: 'Созвонились' } },
  decision: { method: 'POST', path: (id: string) => `/api/operator/bookings/${id}/addons/CATERING/decision`, body: { decision: 'APPROVED', price: 250_000 } },
  confirm: { method: 'POST', path: (id: string) => `/api/operator/bookings/${id}/confirm`, body: { note: 'Подтверждаю' } },
  reject: { method: 'POST', path: (id: string) => `/api/operator/bookings/${id}/reject`, body: { reason: 'Зал занят' } },
} as const;

const PHRASE: Record<string, string> = {
  read: 'read it',
  cancel: 'cancel it',
  orderAddOns: 'order add-ons on it',
  submitAddOns: 'finish its add-ons stage',
  callback: 'record a call-back on it',
  decision: 'decide its add-on',
  confirm: 'confirm it',
  reject: 'reject it',
};

const probe = (what: string, caller: Caller, action: { method: string; path: (id: string) => string; body?: unknown }, status: Probe['status']): Probe => ({
  what,
  caller,
  method: action.method as Probe['method'],
  path: action.path,
  body: 'body' in action ? action.body : undefined,
  status,
});

/** Probes aimed at one booking (of `resident`, in the district of `operator`). */
const BOOKING_PROBES: Probe[] = [
  // Another resident: the booking does not exist for them.
  ...Object.entries(bookingActions).map(([name, action]) => probe(`another resident tries to ${PHRASE[name]}`, 'otherResident', action, 404)),
  // An operator of another district: the booking does not exist for them either.
  probe('an operator of another district tries to read it', 'otherOperator', bookingActions.read, 404),
  probe('an operator of another district tries to cancel it', 'otherOperator', bookingActions.cancel, 404),
  ...Object.entries(operatorActions).map(([name, action]) => probe(`an operator of another district tries to ${PHRASE[name]}`, 'otherOperator', action, 404)),
  // Residents (the owner too) on operator routes.
  ...Object.entries(operatorActions).map(([name, action]) => probe(`the owner tries to ${PHRASE[name]} on the operator's route`, 'resident', action, 403)),
  ...Object.entries(operatorActions).map(([name, action]) => probe(`another resident tries to ${PHRASE[name]} on the operator's route`, 'otherResident', action, 403)),
  // Staff on the owner's own routes.
  probe("the district's operator tries the owner's add-on order", 'operator', bookingActions.orderAddOns, 403),
  probe("the district's operator tries the owner's add-on submit", 'operator', bookingActions.submitAddOns, 403),
  probe("an admin tries the owner's add-on order", 'admin', bookingActions.orderAddOns, 403),
  // No valid session at all.
  ...(['anonymous', 'revokedSession', 'expiredSession', 'forgedSession'] as const).flatMap((caller) =>
    [...Object.entries(bookingActions), ...Object.entries(operatorActions)].map(([name, action]) => probe(`${callerName(caller)} tries to ${PHRASE[name]}`, caller, action, 401)),
  ),
];

/** Probes of routes that name no booking. */
const ROUTE_PROBES: Probe[] = [
  { what: 'a resident asks for operator tasks', caller: 'resident', method: 'GET', path: () => '/api/operator/tasks', status: 403 },
  { what: 'a resident asks for admin statistics', caller: 'resident', method: 'GET', path: () => '/api/admin/stats?from=2020-01-01&to=2100-01-01', status: 403 },
  { what: 'an operator asks for admin statistics', caller: 'operator', method: 'GET', path: () => '/api/admin/stats?from=2020-01-01&to=2100-01-01', status: 403 },
  { what: 'an operator of another district asks for admin statistics', caller: 'otherOperator', method: 'GET', path: () => '/api/admin/stats?from=2020-01-01&to=2100-01-01', status: 403 },
  ...(['resident', 'operator', 'otherOperator'] as const).flatMap((caller): Probe[] => [
    { what: `${callerName(caller)} asks for the staff list`, caller, method: 'GET', path: () => '/api/admin/staff', status: 403 },
    { what: `${callerName(caller)} reads the staff journal`, caller, method: 'GET', path: () => '/api/admin/staff/changes', status: 403 },
    { what: `${callerName(caller)} appoints an operator`, caller, method: 'POST', path: () => '/api/admin/staff/operators', body: 'own-appointment', status: 403 },
    { what: `${callerName(caller)} dismisses the district's operator`, caller, method: 'POST', path: () => '/api/admin/staff/operators/{operator}/dismiss', status: 403 },
  ]),
  ...(['operator', 'admin'] as const).map((caller): Probe => ({ what: `${callerName(caller)} submits a booking`, caller, method: 'POST', path: () => '/api/bookings', body: 'valid-booking', headers: { 'Idempotency-Key': 'access-probe' }, status: 403 })),
  ...(['anonymous', 'revokedSession', 'expiredSession', 'forgedSession'] as const).flatMap((caller): Probe[] => [
    { what: `${callerName(caller)} submits a booking`, caller, method: 'POST', path: () => '/api/bookings', body: 'valid-booking', headers: { 'Idempotency-Key': 'access-probe' }, status: 401 },
    { what: `${callerName(caller)} lists bookings`, caller, method: 'GET', path: () => '/api/bookings', status: 401 },
    { what: `${callerName(caller)} asks for operator tasks`, caller, method: 'GET', path: () => '/api/operator/tasks', status: 401 },
    { what: `${callerName(caller)} asks for admin statistics`, caller, method: 'GET', path: () => '/api/admin/stats?from=2020-01-01&to=2100-01-01', status: 401 },
    { what: `${callerName(caller)} asks who they are`, caller, method: 'GET', path: () => '/api/me', status: 401 },
    { what: `${callerName(caller)} reads the staff journal`, caller, method: 'GET', path: () => '/api/admin/staff/changes', status: 401 },
    { what: `${callerName(caller)} appoints an operator`, caller, method: 'POST', path: () => '/api/admin/staff/operators', body: 'own-appointment', status: 401 },
    { what: `${callerName(caller)} dismisses the district's operator`, caller, method: 'POST', path: () => '/api/admin/staff/operators/{operator}/dismiss', status: 401 },
  ]),
];

function callerName(caller: Caller): string {
  const names: Record<Caller, string> = {
    resident: 'the owner',
    otherResident: 'another resident',
    operator: "the district's operator",
    otherOperator: 'an operator of another district',
    admin: 'an admin',
    anonymous: 'an anonymous caller',
    revokedSession: 'a signed-out session',
    expiredSession: 'an expired session',
    forgedSession: 'a forged session cookie',
  };
  return names[caller];
}

let world: ApiWorld;
const bookings = {} as Record<BookingStatus, TargetBooking>;
const cookieOf = {} as Record<Caller, string | undefined>;
let probeRoomId: number;

beforeAll(async () => {
  world = await startApiWorld('props-access');
  for (const status of STATES) bookings[status] = await world.bookingIn(status);
  probeRoomId = await world.harness.fixtures.newRoom();

  for (const persona of ['resident', 'otherResident', 'operator', 'otherOperator', 'admin'] as const) cookieOf[persona] = world.cookies[persona];
  cookieOf.anonymous = undefined;
  cookieOf.forgedSession = 'opendk_session=' + 'A'.repeat(43);
  const auth = createAuthService({ prisma: world.harness.prisma, mailer: world.harness.inbox.mailer });
  // A resident who signed out: the cookie is still sent, the session is revoked.
  const leaver = await world.harness.fixtures.newResident();
  cookieOf.revokedSession = await signIn(auth, world.harness.inbox, leaver.email);
  const signedOut = await world.send({ method: 'DELETE', path: '/api/auth/session', headers: { Cookie: cookieOf.revokedSession } });
  expect(signedOut.status).toBe(204);
  // An operator of the district whose session ran out.
  const expired = await signIn(auth, world.harness.inbox, world.harness.fixtures.operator.email);
  const token = expired.slice('opendk_session='.length);
  await world.harness.prisma.session.update({ where: { id: createHash('sha256').update(token).digest('hex') }, data: { expiresAt: new Date(Date.now() - 60_000) } });
  cookieOf.expiredSession = expired;
}, 60_000);

afterAll(async () => {
  await world?.close();
});

const workflowIds = () => STATES.map((status) => bookings[status].workflowId);

async function historyLengths(): Promise<number[]> {
  return Promise.all(workflowIds().map((id) => world.historyLength(id)));
}

/** Sends the probe; checks the status, the problem document, and that nothing changed anywhere. */
async function expectRefused(probeToRun: Probe, path: string, extraHeaders: Record<string, string | string[]> = {}, refusal: { status: number; code: string } = { status: probeToRun.status, code: PROBLEM_CODE[probeToRun.status] }): Promise<RawResponse> {
  const cookie = cookieOf[probeToRun.caller];
  const body =
    probeToRun.body === 'valid-booking'
      ? bookingBody(probeRoomId, 3 * 86_400_000)
      : // Someone who may not appoint operators tries to make themselves the district's.
        probeToRun.body === 'own-appointment'
        ? { email: world.harness.fixtures.resident.email, districtIds: [world.harness.fixtures.districtId] }
        : probeToRun.body;
  const [before, historyBefore] = await Promise.all([world.fingerprint(), historyLengths()]);
  const response = await world.send({
    method: probeToRun.method,
    path,
    headers: {
      ...extraHeaders,
      ...(cookie ? { Cookie: cookie } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...probeToRun.headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const [after, historyAfter] = await Promise.all([world.fingerprint(), historyLengths()]);
  const context = `${probeToRun.method} ${path} as ${probeToRun.caller} → ${response.status} ${response.text.slice(0, 300)}`;
  expect({ context, status: response.status }).toEqual({ context, status: refusal.status });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(response.text);
  expect(problem).toMatchObject({ status: refusal.status, code: refusal.code, title: expect.any(String) });
  expect({ context, changed: changedTables(before, after) }).toEqual({ context, changed: [] });
  expect({ context, history: historyAfter }).toEqual({ context, history: historyBefore });
  return response;
}

describe.each(STATES)('a booking in %s', (status) => {
  it.each(BOOKING_PROBES.map((entry) => [entry.what, entry.status, entry] as const))('when %s, then %i and nothing changes', async (_what, _status, entry) => {
    const { id } = bookings[status];
    await expectRefused(entry, entry.path(id));
    // The same booking spelled in upper case names the same row: refused the same way.
    if (entry.status === 404) await expectRefused(entry, entry.path(id.toUpperCase()));
  });
});

describe('routes that name no booking', () => {
  it.each(ROUTE_PROBES.map((entry) => [entry.what, entry.status, entry] as const))('when %s, then %i and nothing changes', async (_what, _status, entry) => {
    await expectRefused(entry, entry.path('').replace('{operator}', world.harness.fixtures.operator.id));
  });
});

describe('refusals under generated noise', () => {
  it('when any refused caller sends any probe to a booking in any state with junk headers, then it is refused the same way and nothing changes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BOOKING_PROBES),
        fc.constantFrom(...STATES),
        headersArb(undefined).map(({ Cookie: _ignored, ...rest }) => rest),
        async (entry, status, headers) => {
          // Every Origin the noise sends is another site's: a browser's write from there is refused first.
          const crossSite = entry.method !== 'GET' && headers.Origin !== undefined;
          await expectRefused(entry, entry.path(bookings[status].id), headers, crossSite ? { status: 403, code: 'cross-site-request' } : undefined);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('the probes are not refused for the wrong reason', () => {
  it('when the rightful callers send the same requests, then they are accepted', async () => {
    const submit = async () => {
      const roomId = await world.harness.fixtures.newRoom();
      const created = await world.send({
        method: 'POST',
        path: '/api/bookings',
        headers: { Cookie: world.cookies.resident, 'Content-Type': 'application/json', 'Idempotency-Key': newKey() },
        body: JSON.stringify(bookingBody(roomId, 2 * 86_400_000, 3_600_000, { addOns: [{ code: 'CATERING', quantity: 1 }] })),
      });
      expect(created.status).toBe(201);
      return JSON.parse(created.text).id as string;
    };
    const as = (persona: Persona, id: string, action: { method: string; path: (bookingId: string) => string; body?: unknown }) =>
      world.send({
        method: action.method,
        path: action.path(id),
        headers: { Cookie: world.cookies[persona], ...('body' in action ? { 'Content-Type': 'application/json' } : {}) },
        body: 'body' in action ? JSON.stringify(action.body) : undefined,
      });

    const walked = await submit();
    expect((await as('resident', walked, bookingActions.read)).status).toBe(200);
    expect((await as('operator', walked, bookingActions.read)).status).toBe(200);
    expect((await as('operator', walked, operatorActions.callback)).status).toBe(200);
    expect((await as('resident', walked, bookingActions.orderAddOns)).status).toBe(200);
    expect((await as('operator', walked, operatorActions.decision)).status).toBe(200);
    expect((await as('admin', walked, { method: 'POST', path: (id) => `/api/operator/bookings/${id}/addons/TECH_SUPPORT/decision`, body: { decision: 'DECLINED' } })).status).toBe(200);
    expect((await as('resident', walked, bookingActions.submitAddOns)).status).toBe(200);
    expect((await as('operator', walked, operatorActions.confirm)).status).toBe(200);
    expect((await as('resident', walked, bookingActions.cancel)).status).toBe(200);

    const rejected = await submit();
    expect((await as('operator', rejected, operatorActions.reject)).status).toBe(200);
    await world.settle(`booking-${walked}`);
    await world.settle(`booking-${rejected}`);
  });
});
