import fc from 'fast-check';
import { bookingBody } from '../bookings/requests';
import { actionKeyHeaders, idempotencyKey, listPositionArb, pageNumber } from './arbitraries';
import { residentBookingsCursor } from '../../src/bookings';
import { bookingFields, noteFields, orderFields, reasonFields } from './bodies';
import { BookingPool, endpointCases, submissionWorkflowIds, withQuery } from './cases';
import { fuzz, type GeneratedCase, Tally } from './contract';
import { residentRegressions } from './regressions';
import { fuzzRoute } from './routes';
import { startApiWorld, type ApiWorld } from './world';

/**
 * Every resident endpoint under generated input (bodies, headers, ids, query strings), aimed at
 * real bookings in each state: the answer is 2xx or 4xx, a 4xx is a problem document, and a 4xx
 * leaves the database and the workflow history exactly as they were.
 */

// Each property sends a few hundred requests: normally 5–15 s, more on a busy shared machine.
jest.setTimeout(120_000);

let world: ApiWorld;
let pool: BookingPool;
let regressions: Record<string, GeneratedCase[]>;
const tally = new Tally();

beforeAll(async () => {
  world = await startApiWorld('props-resident');
  pool = await BookingPool.create(world, ['AWAITING_CALLBACK', 'ADDONS', 'AWAITING_CONFIRMATION', 'CONFIRMED', 'CANCELLED', 'REJECTED']);
  const roomId = await world.harness.fixtures.newRoom();
  regressions = residentRegressions(world, { awaitingCallback: pool.in('AWAITING_CALLBACK'), addons: pool.in('ADDONS') }, { ...bookingBody(roomId, 3 * 86_400_000) }, roomId);
}, 60_000);

// Each property starts with a booking in every state, and replaces at most a few it moves on.
beforeEach(() => pool.restore(4));

afterAll(async () => {
  tally.print('resident endpoints');
  await world?.close();
});

describe('resident endpoints under generated input', () => {
  it('when POST /api/bookings gets generated bodies, keys and headers, then it answers 2xx/4xx and a refusal changes nothing', async () => {
    const roomId = await world.harness.fixtures.newRoom();
    const valid = bookingBody(roomId, 3 * 86_400_000);
    const usedKey = 'property-replayed-key';
    const requests = endpointCases(world, {
      method: 'POST',
      path: (_id, query) => withQuery('/api/bookings', query),
      persona: 'resident',
      fields: bookingFields(roomId, valid.startsAt, valid.endsAt),
      validWeight: 3,
      body: true,
      headers: {
        'Idempotency-Key': fc.oneof(
          { weight: 6, arbitrary: idempotencyKey },
          { weight: 2, arbitrary: fc.constant(usedKey) },
          { weight: 1, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.tuple(fc.uuid(), fc.uuid()).map((keys) => keys as string[]) },
        ),
      },
    });
    const withSubmissionWorkflows = (generated: GeneratedCase): GeneratedCase => ({ ...generated, workflowIds: [...generated.workflowIds, ...submissionWorkflowIds(world, generated.request)] });
    await fuzz(world, tally, {
      endpoint: 'POST /api/bookings',
      examples: regressions['POST /api/bookings'].map(withSubmissionWorkflows),
      numRuns: 300,
      cases: requests.map(withSubmissionWorkflows),
      onSuccess: async (_generated, response) => world.settle(`booking-${JSON.parse(response.text).id}`),
    });
  });

  it('when GET /api/bookings gets generated positions, headers and query strings, then it answers 2xx/4xx and changes nothing', async () => {
    const query = [{ key: 'limit', value: pageNumber }, { key: 'after', value: listPositionArb(residentBookingsCursor) }];
    await fuzzRoute(world, tally, regressions, { method: 'GET', route: '/api/bookings', persona: 'resident', numRuns: 100, query });
  });

  it('when GET /api/bookings/:id gets generated ids and headers, then it answers 2xx/4xx and changes nothing', async () => {
    await fuzzRoute(world, tally, regressions, { method: 'GET', route: '/api/bookings/:id', persona: 'resident', numRuns: 150, pool });
  });

  it('when POST /api/bookings/:id/cancel gets generated input, then it answers 2xx/4xx and a refusal changes nothing', async () => {
    await fuzzRoute(world, tally, regressions, { method: 'POST', route: '/api/bookings/:id/cancel', persona: 'resident', fields: reasonFields, numRuns: 200, pool, headers: actionKeyHeaders });
  });

  it('when POST /api/bookings/:id/addons gets generated input, then it answers 2xx/4xx and a refusal changes nothing', async () => {
    await fuzzRoute(world, tally, regressions, { method: 'POST', route: '/api/bookings/:id/addons', persona: 'resident', fields: orderFields, numRuns: 200, pool, headers: actionKeyHeaders });
  });

  it('when POST /api/bookings/:id/addons/submit gets generated input, then it answers 2xx/4xx and a refusal changes nothing', async () => {
    await fuzzRoute(world, tally, regressions, { method: 'POST', route: '/api/bookings/:id/addons/submit', persona: 'resident', fields: noteFields, numRuns: 200, pool, headers: actionKeyHeaders });
  });
});
