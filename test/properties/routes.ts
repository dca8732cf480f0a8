import type fc from 'fast-check';
import type { Field, QueryParam } from './arbitraries';
import { endpointCases, refreshTargets, withQuery, type BookingPool } from './cases';
import { fuzz, type GeneratedCase, type Tally } from './contract';
import type { ApiWorld, Persona } from './world';

export interface RouteSpec {
  method: 'GET' | 'POST';
  /** The Express pattern; `:id` is filled with the pool's bookings (and junk ids). */
  route: string;
  persona: Persona;
  /** Fields of the valid body, for routes that take one. */
  fields?: Field[];
  numRuns: number;
  /** Aim at these bookings; a 2xx that moved one on gets it replaced. */
  pool?: BookingPool;
  /** Query parameters the route knows (for GETs). */
  query?: QueryParam[];
  /** Headers the route reads, e.g. an action's Idempotency-Key. */
  headers?: Record<string, fc.Arbitrary<string | string[] | undefined>>;
}

/**
 * One route under generated ids, bodies, headers and query strings, held to the contract, after
 * the requests once found failing for it (`regressions`, keyed by "<method> <route>").
 */
export async function fuzzRoute(world: ApiWorld, tally: Tally, regressions: Record<string, GeneratedCase[]>, spec: RouteSpec): Promise<void> {
  const endpoint = `${spec.method} ${spec.route}`;
  await fuzz(world, tally, {
    endpoint,
    examples: regressions[endpoint],
    numRuns: spec.numRuns,
    cases: endpointCases(
      world,
      { method: spec.method, path: (id, query) => withQuery(spec.route.replace(':id', id), query), persona: spec.persona, fields: spec.fields, query: spec.query, headers: spec.headers },
      spec.pool,
    ),
    onSuccess: spec.pool && spec.method !== 'GET' ? refreshTargets(spec.pool) : undefined,
  });
}
