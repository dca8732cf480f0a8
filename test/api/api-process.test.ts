import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { DEFAULT_SLOT_RULES } from '../../src/domain/slot-rules';
import { undecreedYears } from '../../src/domain/work-calendar';
import { findFreePort } from '../../src/infra/process-tools';
import { testDatabaseUrl } from '../support/db';
import { TEST_PAYLOAD_KEYS_ENV } from '../support/payload-codec';
import { loggedPorts } from '../support/process-log';
import { waitFor } from '../support/wait';

/**
 * The API process as deployed (`src/api/main.ts`): it starts while Temporal is unreachable
 * (lazy connection) and serves what needs only PostgreSQL, reports Temporal down on
 * /api/health, serves /metrics on its own port behind the bearer token, and stops cleanly on a
 * signal, even when it comes twice. It warns when the production calendar lacks a decree.
 */

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const TOKEN = 'api-metrics-token-0123456789';
let api: ChildProcess | undefined;
let output = '';

afterAll(() => {
  if (api && api.exitCode === null) api.kill('SIGKILL');
});

it('when Temporal is unreachable at start, then the API still starts, reports it, serves metrics on its own port, warns of calendar years without a decree, and stops cleanly', async () => {
  // Temporal's address is meant to be unreachable: a port found free and left so.
  const nobodyListens = await findFreePort();
  api = spawn(process.execPath, ['--import', 'tsx', 'src/api/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info', // the ports it bound, given 0
      PORT: '0',
      DATABASE_URL: testDatabaseUrl(),
      TEMPORAL_ADDRESS: `127.0.0.1:${nobodyListens}`,
      PAYLOAD_KEYS: TEST_PAYLOAD_KEYS_ENV,
      METRICS_PORT: '0',
      METRICS_TOKEN: TOKEN,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  api.stdout!.on('data', (chunk) => (output += chunk));
  api.stderr!.on('data', (chunk) => (output += chunk));
  const { port, metricsPort } = await waitFor(() => loggedPorts(output, 'API listening'), {
    timeoutMs: 60_000,
    description: `the API to log its ports (output: ${output.slice(-1_000)})`,
  });
  const base = `http://127.0.0.1:${port}`;

  await waitFor(async () => (await fetch(`${base}/api/districts`)).status === 200, {
    timeoutMs: 60_000,
    intervalMs: 250,
    description: `the API to serve the catalog (output: ${output.slice(-1_000)})`,
  });

  // The probe's own timeout, not a client-side one, ends this: the answer names Temporal down.
  const health = await fetch(`${base}/api/health`);
  expect(health.status).toBe(503);
  expect(health.headers.get('retry-after')).toBe('5');
  expect(await health.json()).toMatchObject({ database: 'up', temporal: 'down' });

  expect((await fetch(`${base}/metrics`)).status).toBe(404); // never on the public port
  expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(401);
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
  expect(metrics).toMatch(/^opendk_http_requests_total\{method="GET",route="\/api\/districts",status="200",service="api"\} [1-9]\d*$/m);
  expect(metrics).toMatch(/^opendk_http_requests_total\{method="GET",route="\/api\/health",status="503",service="api"\} 1$/m);

  // Ctrl-C under tsx: the signal comes twice (from the terminal and relayed by tsx). A request in
  // flight (its body half sent) holds the stop open; the second signal must not cut it short.
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => api!.once('exit', (code, signal) => resolve([code, signal])));
  const slow = net.connect(port, '127.0.0.1');
  let answer = '';
  slow.on('data', (chunk) => (answer += chunk));
  slow.on('error', () => undefined);
  await new Promise((resolve) => slow.once('connect', resolve));
  slow.write('POST /api/no-such-route HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n{"a":');
  api.kill('SIGINT');
  await waitFor(async () => !(await fetch(`${base}/api/districts`).then(() => true, () => false)), { timeoutMs: 10_000, description: 'the API to stop accepting connections' });
  api.kill('SIGINT');
  slow.write('1}\n');
  await waitFor(() => answer.startsWith('HTTP/1.1 404'), { timeoutMs: 10_000, description: `the request in flight answered (got ${JSON.stringify(answer.slice(0, 40))})` });
  expect(await exited).toEqual([0, null]);
  // Deadlines of bookings up to the horizon may fall in a year whose decree is not listed yet.
  const undecreed = undecreedYears(new Date(), new Date(Date.now() + DEFAULT_SLOT_RULES.horizonMs));
  expect(output.includes('production calendar: no decree listed')).toBe(undecreed.length > 0);
});
