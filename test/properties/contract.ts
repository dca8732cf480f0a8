import fc from 'fast-check';
import { changedTables, type ApiWorld, type RawRequest, type RawResponse } from './world';

/**
 * The contract every generated request is held to:
 * - the answer is 2xx or 4xx, never 5xx (nor 1xx/3xx, nor no answer);
 * - a 4xx is `application/problem+json` with a `title`, a `code` and its own `status`;
 * - a 4xx changes nothing: the same database fingerprint and the same workflow history length
 *   before and after; a read (GET) changes nothing whatever its status;
 * - a POST whose body is not JSON is refused, never carried out as if it had no body.
 */

export interface GeneratedCase {
  request: RawRequest;
  /** Workflows the request addresses; their history must not grow on a refusal (from 0: none may start). */
  workflowIds: string[];
}

export interface Observation {
  response: RawResponse;
  changed: string[];
  history: { workflowId: string; before: number; after: number }[];
}

export async function observe(world: ApiWorld, { request, workflowIds }: GeneratedCase): Promise<Observation> {
  // The database and Temporal are asked at once: nothing else runs while a property probes.
  const state = () => Promise.all([world.fingerprint(), Promise.all(workflowIds.map((id) => world.historyLength(id)))]);
  const [before, historyBefore] = await state();
  const response = await world.send(request);
  const [after, historyAfter] = await state();
  return {
    response,
    changed: changedTables(before, after),
    history: workflowIds.map((workflowId, at) => ({ workflowId, before: historyBefore[at], after: historyAfter[at] })),
  };
}

const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

export function describeCase(request: RawRequest, response?: RawResponse): string {
  const body = request.body === undefined ? '(none)' : clip(JSON.stringify(Buffer.isBuffer(request.body) ? `<${request.body.length} bytes>` : request.body));
  const headers = clip(JSON.stringify(request.headers ?? {}), 600);
  const answer = response ? `\n→ ${response.status} ${response.headers['content-type'] ?? '(no content-type)'} ${clip(response.text)}` : '';
  return `${request.method} ${clip(request.path, 200)}\nheaders: ${headers}\nbody: ${body}${answer}`;
}

export function assertContract(request: RawRequest, { response, changed, history }: Observation): void {
  const fail = (why: string) => {
    throw new Error(`${why}\n${describeCase(request, response)}`);
  };
  const { status } = response;
  if (!((status >= 200 && status < 300) || (status >= 400 && status < 500))) fail(`status ${status} is neither 2xx nor 4xx`);
  if (status >= 400) {
    if (!/^application\/problem\+json\b/.test(String(response.headers['content-type']))) fail('a 4xx without application/problem+json');
    let problem: { title?: unknown; code?: unknown; status?: unknown };
    try {
      problem = JSON.parse(response.text);
    } catch {
      return fail('a 4xx whose body is not JSON');
    }
    if (typeof problem.title !== 'string' || problem.title.length === 0) fail('a problem without a title');
    if (typeof problem.code !== 'string' || problem.code.length === 0) fail('a problem without a code');
    if (problem.status !== status) fail(`a problem whose status ${String(problem.status)} is not the response's`);
  }
  if (request.method === 'POST' && status < 300 && hasBody(request) && !isJson(request)) fail('a body that is not JSON was ignored and the request carried out');
  const refused = status >= 400;
  const read = request.method === 'GET';
  if ((refused || read) && changed.length > 0) fail(`a ${refused ? 'refused request' : 'read'} changed ${changed.join(', ')}`);
  const grown = history.filter((entry) => entry.after !== entry.before);
  if ((refused || read) && grown.length > 0) {
    fail(`a ${refused ? 'refused request' : 'read'} grew workflow history: ${grown.map((entry) => `${entry.workflowId} ${entry.before}→${entry.after}`).join(', ')}`);
  }
}

const hasBody = (request: RawRequest) => request.body !== undefined && request.body.length > 0;

function isJson(request: RawRequest): boolean {
  const type = Object.entries(request.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  return typeof type === 'string' && /^application\/json\s*(;|$)/i.test(type.trim());
}

/** Status counts per endpoint, printed once per file: how much of each answer the generators reached. */
export class Tally {
  private readonly counts = new Map<string, Map<number, number>>();

  add(endpoint: string, status: number): void {
    const byStatus = this.counts.get(endpoint) ?? new Map<number, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.counts.set(endpoint, byStatus);
  }

  total(): number {
    return [...this.counts.values()].reduce((sum, byStatus) => sum + [...byStatus.values()].reduce((a, b) => a + b, 0), 0);
  }

  print(label: string): void {
    const lines = [...this.counts].map(([endpoint, byStatus]) => {
      const parts = [...byStatus].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
      return `  ${endpoint}: ${parts.join(' ')}`;
    });
    process.stderr.write(`[properties] ${label}: ${this.total()} generated requests\n${lines.join('\n')}\n`);
  }
}

export interface FuzzSpec {
  endpoint: string;
  numRuns: number;
  cases: fc.Arbitrary<GeneratedCase>;
  /** Requests once found failing: replayed before the generated ones on every run. */
  examples?: GeneratedCase[];
  /** After a 2xx (the request was fine after all): let its effects land, replace used-up targets. */
  onSuccess?: (generated: GeneratedCase, response: RawResponse) => Promise<void>;
}

/** Runs `numRuns` generated requests against the endpoint, each held to the contract. */
export async function fuzz(world: ApiWorld, tally: Tally, { endpoint, numRuns, cases, examples = [], onSuccess }: FuzzSpec): Promise<void> {
  await fc.assert(
    fc.asyncProperty(cases, async (generated) => {
      const observation = await observe(world, generated);
      tally.add(endpoint, observation.response.status);
      assertContract(generated.request, observation);
      if (observation.response.status < 300) {
        // A change's e-mails land after its answer: sent before the next request's "nothing changed" is read.
        if (generated.request.method !== 'GET') await world.settleMail();
        if (onSuccess) await onSuccess(generated, observation.response);
      }
    }),
    { numRuns, examples: examples.map((example): [GeneratedCase] => [example]) },
  );
}
