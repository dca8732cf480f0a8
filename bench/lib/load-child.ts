/**
 * The load generator, run as its own process so it never shares an event loop with a server:
 * autocannon, no pipelining, fixed connections and duration. Argument: a JSON file with
 * { url, connections, durationSeconds, kind, data }. Prints one line `RESULT <json>`.
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

interface LoadSpec {
  url: string;
  connections: number;
  durationSeconds: number;
  kind: 'booking-body' | 'booking-insert' | 'trivial-uws' | 'bookings' | 'venue-search' | 'availability';
  data: {
    bodies?: unknown[];
    cookies?: string[];
    searches?: string[];
    availability?: string[];
  };
}

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as LoadSpec;
let next = 0;
/** Each body once (bookings need distinct free slots)… */
const take = <T>(list: T[] | undefined, what: string): T => {
  if (!list || next >= list.length) throw new Error(`load generator ran out of ${what} after ${next} requests`);
  return list[next++];
};

/** …or round the list (validation only: nothing is held, a body may come again). */
const cycle = <T>(list: T[] | undefined): T => list![next++ % list!.length];

function request(): autocannon.Request {
  const json = { 'content-type': 'application/json' };
  switch (spec.kind) {
    case 'booking-body':
      return { method: 'POST', path: '/api/bench/validate', setupRequest: (req) => ({ ...req, headers: json, body: JSON.stringify(cycle(spec.data.bodies)) }) };
    case 'booking-insert':
      return { method: 'POST', path: '/api/bench/insert', setupRequest: (req) => ({ ...req, headers: json, body: JSON.stringify(cycle(spec.data.bodies)) }) };
    case 'trivial-uws':
      return { method: 'POST', path: '/bench/uws', setupRequest: (req) => ({ ...req, headers: json, body: JSON.stringify({ id: randomUUID() }) }) };
    case 'bookings': {
      const cookies = spec.data.cookies!;
      return {
        method: 'POST',
        path: '/api/bookings',
        setupRequest: (req) => {
          const index = next;
          const body = take(spec.data.bodies, 'free slots');
          return { ...req, headers: { ...json, cookie: cookies[index % cookies.length], 'idempotency-key': randomUUID() }, body: JSON.stringify(body) };
        },
      };
    }
    case 'venue-search': {
      const searches = spec.data.searches!;
      return { method: 'GET', setupRequest: (req) => ({ ...req, path: searches[next++ % searches.length] }) };
    }
    case 'availability': {
      const paths = spec.data.availability!;
      return { method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) };
    }
  }
}

// The bench reads every process's CPU between this line and RESULT (bench/lib/cpu.ts).
console.log('STARTED');
const instance = autocannon(
  {
    url: spec.url,
    connections: spec.connections,
    pipelining: 1,
    duration: spec.durationSeconds,
    requests: [request()],
    timeout: 30,
  },
  (error, result) => {
    if (error) {
      console.error(error);
      process.exit(1);
    }
    const statuses: Record<string, number> = {};
    for (const [code, value] of Object.entries((result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})) statuses[code] = value.count;
    console.log(
      `RESULT ${JSON.stringify({
        requests: result.requests.total,
        throughput: result.requests.average,
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        statuses,
        durationSeconds: result.duration,
      })}`,
    );
  },
);
process.once('SIGINT', () => instance.stop());
