import fc from 'fast-check';
import { bookingIdFor, workflowIdFor } from '../../src/bookings/ids';
import type { BookingStatus } from '../../src/domain/status';
import { bodyArb, headersArb, junkId, queryArb, type Field, type QueryParam } from './arbitraries';
import type { GeneratedCase } from './contract';
import { PERSONAS, type ApiWorld, type Persona, type RawRequest, type RawResponse, type TargetBooking } from './world';

/** What generated ids aim at: a resource with its id (and its workflow, for a booking). */
export interface Targets {
  pick(at: number): { id: string; workflowId?: string };
}

/** Always the same resource, e.g. the fixture venue. */
export const fixedTarget = (id: string | number): Targets => ({ pick: () => ({ id: String(id) }) });

/**
 * Bookings to aim generated requests at, one per wanted state. A request that turns out to be
 * valid (2xx) may move its target on; the pool then waits for the workflow to be quiet and puts
 * a fresh booking in the wanted state in its place, a few times per property (each replacement
 * costs a second of workflow updates), after which a moved booking stays where it went.
 * `restore()` puts every booking back in its wanted state before the next property.
 */
export class BookingPool implements Targets {
  private replacementsLeft = Number.POSITIVE_INFINITY;

  private constructor(
    private readonly world: ApiWorld,
    private readonly entries: { booking: TargetBooking; wanted: BookingStatus; owner: Persona }[],
  ) {}

  static async create(world: ApiWorld, wanted: BookingStatus[], owner: Persona = 'resident'): Promise<BookingPool> {
    const entries = [];
    for (const status of wanted) entries.push({ booking: await world.bookingIn(status, owner), wanted: status, owner });
    return new BookingPool(world, entries);
  }

  pick(at: number): TargetBooking {
    return this.entries[at % this.entries.length].booking;
  }

  /** The current target in `status`. */
  in(status: BookingStatus): TargetBooking {
    const entry = this.entries.find((candidate) => candidate.wanted === status);
    if (!entry) throw new Error(`the pool has no booking in ${status}`);
    return entry.booking;
  }

  /** Every booking back in its wanted state; then at most `replacements` replacements until the next restore. */
  async restore(replacements: number): Promise<void> {
    for (const entry of this.entries) {
      const row = await this.world.harness.prisma.booking.findUniqueOrThrow({ where: { id: entry.booking.id } });
      if (row.status !== entry.wanted) entry.booking = await this.world.bookingIn(entry.wanted, entry.owner);
    }
    this.replacementsLeft = replacements;
  }

  /** After a 2xx aimed at `workflowId`: let it settle; replace the booking if it left its state. */
  async refresh(workflowId: string): Promise<void> {
    const entry = this.entries.find((candidate) => candidate.booking.workflowId === workflowId);
    if (!entry) return;
    await this.world.settle(workflowId);
    const row = await this.world.harness.prisma.booking.findUniqueOrThrow({ where: { id: entry.booking.id } });
    if (row.status === entry.wanted || this.replacementsLeft <= 0) return;
    this.replacementsLeft -= 1;
    entry.booking = await this.world.bookingIn(entry.wanted, entry.owner);
  }
}

export type IdChoice = { kind: 'exact' } | { kind: 'upper' } | { kind: 'suffix'; suffix: string } | { kind: 'junk'; id: string };

/** Mostly the target's own id, sometimes a near miss of it, often an id that names nothing. */
export const idChoice: fc.Arbitrary<IdChoice> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<IdChoice>({ kind: 'exact' }) },
  { weight: 1, arbitrary: fc.constant<IdChoice>({ kind: 'upper' }) },
  { weight: 1, arbitrary: fc.constantFrom('%20', '%00', 'x', '.json', '%2F', ';', ',1', '%0A', '0').map((suffix): IdChoice => ({ kind: 'suffix', suffix })) },
  { weight: 4, arbitrary: junkId.map((id): IdChoice => ({ kind: 'junk', id })) },
);

export function idFrom(choice: IdChoice, realId: string): string {
  switch (choice.kind) {
    case 'exact':
      return realId;
    case 'upper':
      return realId.toUpperCase();
    case 'suffix':
      return realId + choice.suffix;
    case 'junk':
      return choice.id;
  }
}

/** The persona an endpoint is for, most of the time; any other (or nobody) now and then. */
export function personaArb(usual: Persona | undefined): fc.Arbitrary<Persona | undefined> {
  return fc.oneof({ weight: 9, arbitrary: fc.constant<Persona | undefined>(usual) }, { weight: 1, arbitrary: fc.constantFrom<Persona | undefined>(...PERSONAS, undefined) });
}

export interface EndpointShape {
  method: string;
  /** The path for an id (already a path segment), and the query string (without `?`). */
  path: (id: string, query: string) => string;
  /** Who the endpoint is for (undefined: anyone, signed in or not). */
  persona: Persona | undefined;
  /** Only these callers (default: mostly `persona`, now and then anyone). */
  personas?: (Persona | undefined)[];
  /** Fields of the valid body; undefined for an endpoint without one (junk is still sent). */
  fields?: Field[];
  /** How often the valid body itself is sent, against each kind of damage (default 1). */
  validWeight?: number;
  /** Query parameters the endpoint knows (for GETs). */
  query?: QueryParam[];
  /** Extra headers, e.g. Idempotency-Key. */
  headers?: Record<string, fc.Arbitrary<string | string[] | undefined>>;
  /** Send a body at all (GETs send one only now and then). */
  body?: boolean;
}

/** Generated requests for one endpoint, aimed at the targets' ids (or at junk ids without targets). */
export function endpointCases(world: ApiWorld, shape: EndpointShape, targets?: Targets): fc.Arbitrary<GeneratedCase> {
  const usually = (yes: boolean) => fc.oneof({ weight: 9, arbitrary: fc.constant(yes) }, { weight: 1, arbitrary: fc.constant(!yes) });
  const bodyChance = shape.body === false ? fc.constant(false) : shape.body === true ? fc.constant(true) : usually(shape.method !== 'GET');
  return fc
    .record({
      at: fc.nat(),
      id: idChoice,
      persona: shape.personas ? fc.constantFrom(...shape.personas) : personaArb(shape.persona),
      query: shape.query ? queryArb(shape.query) : fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: queryArb([]) }),
      withBody: bodyChance,
    })
    .chain((choice) =>
      fc
        .record({ headers: headersArb(choice.persona ? world.cookies[choice.persona] : undefined, shape.headers), body: bodyArb(shape.fields, shape.validWeight) })
        .map(({ headers, body }): GeneratedCase => {
          const target = targets?.pick(choice.at);
          const id = idFrom(choice.id, target?.id ?? '1');
          return {
            request: {
              method: shape.method,
              path: shape.path(id, choice.query),
              headers: { ...headers, ...(choice.withBody ? body.headers : {}) },
              body: choice.withBody ? body.body : undefined,
            },
            workflowIds: target?.workflowId ? [target.workflowId] : [],
          };
        }),
    );
}

/** After a 2xx on a booking action: wait for its effects and keep the pool's states. */
export const refreshTargets = (pool: BookingPool) => async (generated: GeneratedCase, _response: RawResponse) => {
  for (const workflowId of generated.workflowIds) await pool.refresh(workflowId);
};

export const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path);

/**
 * The workflows a submission could address: one per signed-in persona and spelling of its
 * Idempotency-Key (a repeated header reaches the app joined). A refused submission must start
 * none of them (Update-with-Start starts its workflow even when the update is then refused) and
 * touch none that exists.
 */
export function submissionWorkflowIds(world: ApiWorld, request: RawRequest): string[] {
  const header = Object.entries(request.headers ?? {}).find(([name]) => name.toLowerCase() === 'idempotency-key')?.[1];
  if (header === undefined) return [];
  const spellings = Array.isArray(header) ? [...header, header.join(', ')] : [header];
  const keys = new Set(spellings.flatMap((key) => [key, key.trim()]));
  return PERSONAS.flatMap((persona) => [...keys].map((key) => workflowIdFor(bookingIdFor(world.harness.fixtures[persona].id, key))));
}
