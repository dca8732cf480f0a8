import { randomUUID } from 'node:crypto';

/** An answer no retry mends: the drill fails. */
class Refused extends Error {}

/** What the API answered the drill's people, counted by answerKind. */
export const answered = new Map<string, number>();

/** An answer as the drill counts it: its status, a refusal's problem code, whether a 503 said when to retry. */
function answerKind(response: Response, body: { code?: string } | undefined): string {
  if (response.status === 503) return response.headers.get('retry-after') ? '503 with Retry-After' : '503';
  // A booking's own `code` is no problem's.
  return !response.ok && body?.code ? `${response.status} ${body.code}` : String(response.status);
}

/**
 * A person at the site keeps trying through outages, as pressing the button again would (the
 * request, its Idempotency-Key included, sent again): an answer of 5xx or none is tried again,
 * any other 4xx than a 409 is a failure of the drill. With its key, a step whose answer was lost
 * gets that answer; "not possible at this stage" (409 invalid-state) says the booking has not
 * reached that stage yet (tried again), or, for a request without a key, that it was done before
 * its answer was lost (then `done()` says so).
 */
export async function persist<T>(what: string, request: () => Promise<Response>, done: () => Promise<boolean> = async () => false, deadlineMs = 240_000): Promise<T | 'ALREADY_DONE'> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    let failure: string;
    try {
      const response = await request();
      const body = (await response.json().catch(() => undefined)) as { code?: string } | undefined;
      const kind = answerKind(response, body);
      answered.set(kind, (answered.get(kind) ?? 0) + 1);
      if (response.ok) return body as T;
      const notYet = response.status === 409 && body?.code === 'invalid-state';
      if (notYet && (await done().catch(() => false))) return 'ALREADY_DONE';
      failure = `${response.status} ${JSON.stringify(body)}`;
      if (response.status < 500 && !notYet) throw new Refused(`${what}: ${failure}`);
    } catch (error) {
      if (error instanceof Refused) throw error;
      failure = (error as Error).message; // no answer: the connection failed or timed out
    }
    if (Date.now() > deadline) throw new Error(`${what}: gave up: ${failure}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * A step a person takes: a POST to the API as whoever `cookie` signs in, sent again as it is
 * when `persist` presses again, its Idempotency-Key included.
 */
export const stepsAt = (apiUrl: string) => (cookie: string, route: string, body: unknown) => {
  const headers = { 'content-type': 'application/json', cookie, 'idempotency-key': randomUUID() };
  return () => fetch(`${apiUrl}/api${route}`, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
};
