/**
 * `npm run bench` — throughput and latency of the booking path and its parts, written to
 * docs/BENCHMARKS.md. Every server runs in its own process; the load comes from autocannon in
 * another process (bench/lib/load-child.ts): no pipelining, fixed connections and duration.
 *
 *   npm run bench                 # 10 s per scenario, 32 connections (50 for the catalog)
 *   npm run bench -- --quick      # 3 s per scenario, smaller lifecycle and storm
 *   BENCH_DURATION=5 BENCH_CONNECTIONS=32 BENCH_STORM=10000 BENCH_LIFECYCLE=300 npm run bench
 *   BENCH_ONLY=a,b,c,d npm run bench   # a subset (a b c d lifecycle storm catalog)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { moscowInstant } from '../src/domain/moscow-time';
import { createResidentSessions, createStaffSession, freeSlots, insertBulkBookings, loadRooms, moscowDate, overlappingHolds, withPg, bodyFor, type RoomRow } from './lib/data';
import { findFreePort, onStopSignal } from '../src/infra/process-tools';
import { describeMachine, PROJECT_ROOT, startBenchInfra, type BenchInfra, type MachineInfo } from './lib/infra';
import { sampleRss, startTs, type BenchProcess } from './lib/processes';
import { writeReport, type BenchResults, type LoadResult } from './lib/report';
import { cpuBetween, snapshotCpu, type CpuSnapshot, type CpuUsage } from './lib/cpu';

const quick = process.argv.includes('--quick');
const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const options = {
  durationSeconds: num('BENCH_DURATION', quick ? 3 : 10),
  warmupSeconds: num('BENCH_WARMUP', quick ? 1 : 3),
  connections: num('BENCH_CONNECTIONS', 32),
  catalogConnections: num('BENCH_CATALOG_CONNECTIONS', 50),
  lifecycleBookings: num('BENCH_LIFECYCLE', quick ? 40 : 150),
  lifecycleConcurrency: num('BENCH_LIFECYCLE_CONCURRENCY', 16),
  stormRequests: num('BENCH_STORM', quick ? 1000 : 10_000),
  stormRooms: num('BENCH_STORM_ROOMS', 3),
  stormConcurrency: num('BENCH_STORM_CONCURRENCY', 64),
  bulkBookings: num('BENCH_BULK', 100_000),
  only: new Set((process.env.BENCH_ONLY ?? 'a,b,c,d,lifecycle,storm,catalog').split(',')),
  output: process.env.BENCH_OUTPUT ?? path.join(PROJECT_ROOT, 'docs', 'BENCHMARKS.md'),
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'warn',
};
const say = (message: string) => console.log(`[bench] ${message}`);
const runDir = path.join(PROJECT_ROOT, '.data', 'bench', 'run');
const LOAD_CHILD = path.join(__dirname, 'lib', 'load-child.ts');

/** Days ahead used by each scenario, so no two scenarios ever ask for the same slot. */
const DAYS = { d: [3, 60], lifecycle: [60, 90], storm: [100, 101], bulk: 120 } as const;

/** The bench's own processes by pid, so the CPU figures can name them. */
const namedPids: Record<number, string> = {};

async function runLoad(label: string, spec: Record<string, unknown>): Promise<LoadResult> {
  const file = path.join(runDir, `load-${label}.json`);
  fs.writeFileSync(file, JSON.stringify(spec));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOAD_CHILD, file], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let before: CpuSnapshot | undefined;
    let cpu: CpuUsage | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // Snapshots taken while the generator is alive, so its own CPU is counted too.
      if (!before && out.includes('STARTED\n')) before = snapshotCpu();
      if (before && !cpu && out.includes('RESULT ')) cpu = cpuBetween(before, snapshotCpu(), { ...namedPids, [child.pid!]: 'load generator' });
    });
    child.once('exit', (code) => {
      const line = out.split('\n').find((candidate) => candidate.startsWith('RESULT '));
      if (code !== 0 || !line) return reject(new Error(`load generator for ${label} exited with ${code}: ${out.slice(-500)}`));
      resolve({ ...(JSON.parse(line.slice('RESULT '.length)) as LoadResult), cpu });
    });
  });
}

/** A warm-up run (discarded), then the measured run, both against the same server. */
async function measure(label: string, spec: Record<string, unknown>, warmupData?: Record<string, unknown>): Promise<LoadResult> {
  if (options.warmupSeconds > 0) await runLoad(`${label}-warmup`, { ...spec, durationSeconds: options.warmupSeconds, ...(warmupData ? { data: warmupData } : {}) });
  const result = await runLoad(label, { ...spec, durationSeconds: options.durationSeconds });
  say(`${label}: ${result.throughput.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, statuses ${JSON.stringify(result.statuses)}, errors ${result.errors}`);
  return result;
}

const listeningPort = async (process: BenchProcess) => Number((await process.waitFor(/^LISTENING \d+/)).split(' ')[1]);

async function waitForHttp(url: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not yet listening
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function call(base: string, method: string, url: string, cookie: string, body?: unknown, key?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { 'content-type': 'application/json', cookie, ...(key ? { 'idempotency-key': key } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Runs `items` through `worker` with at most `concurrency` in flight. */
async function pool<T, R>(items: T[], concurrency: number, worker: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await worker(items[index], index);
      }
    }),
  );
  return results;
}

async function main() {
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  say(`options: ${JSON.stringify({ ...options, only: [...options.only] })}`);
  const infra: BenchInfra = await startBenchInfra();
  const processes: BenchProcess[] = [];
  const track = (child: BenchProcess) => {
    processes.push(child);
    namedPids[child.pid] = child.name;
  };
  const started = new Date();
  // Ctrl-C or a kill stops the servers, the worker, Temporal and PostgreSQL before exiting.
  onStopSignal((signal) => {
    say(`${signal}: stopping`);
    void Promise.all(processes.map((child) => child.stop().catch(() => undefined)))
      .then(() => infra.stop())
      .finally(() => process.exit(130));
  });
  try {
    const machine: MachineInfo = await describeMachine(infra.databaseUrl, infra.temporalCli);
    say(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, load ${machine.loadAverage.join(' ')}`);
    const payloadKeys = `bench-${randomBytes(3).toString('hex')}:${randomBytes(32).toString('base64')}`;
    const common = { DATABASE_URL: infra.databaseUrl, TEMPORAL_ADDRESS: infra.temporalAddress, PAYLOAD_KEYS: payloadKeys, LOG_LEVEL: options.logLevel, DATA_DIR: runDir, NODE_ENV: 'development' };
    const rooms = await loadRooms(infra.databaseUrl);
    const results: BenchResults = { machine, options: { ...options, only: [...options.only] }, startedAt: started.toISOString(), load: {} };
    const base = { connections: options.connections };

    // (a) and (b): validation only, then validation plus one INSERT.
    if (options.only.has('a') || options.only.has('b')) {
      await withPg(infra.databaseUrl, (client) =>
        client.query('CREATE TABLE IF NOT EXISTS bench_inserts (id uuid PRIMARY KEY, room_id int NOT NULL, starts_at timestamptz NOT NULL, ends_at timestamptz NOT NULL, request_hash text NOT NULL, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())'),
      );
      const server = startTs('validate-server', 'bench/servers/validate-server.ts', common, runDir);
      track(server);
      const url = `http://127.0.0.1:${await listeningPort(server)}`;
      const bodies = freeSlots(rooms, 5000, DAYS.d[0], DAYS.d[1]);
      if (options.only.has('a')) results.load.a = await measure('a-validate', { ...base, url, kind: 'booking-body', data: { bodies } });
      if (options.only.has('b')) results.load.b = await measure('b-validate-insert', { ...base, url, kind: 'booking-insert', data: { bodies } });
      await server.stop();
    }

    // (c): bare Update-with-Start of a trivial workflow, worker in its own process.
    if (options.only.has('c')) {
      const env = { ...common, TEMPORAL_TASK_QUEUE: 'bench-trivial' };
      const worker = startTs('trivial-worker', 'bench/servers/trivial-worker.ts', env, runDir);
      track(worker);
      await worker.waitFor(/WORKER READY/);
      const server = startTs('uws-server', 'bench/servers/uws-server.ts', env, runDir);
      track(server);
      const url = `http://127.0.0.1:${await listeningPort(server)}`;
      results.load.c = await measure('c-update-with-start', { ...base, url, kind: 'trivial-uws', data: {} });
      await server.stop();
      await worker.stop();
    }

    const needsService = ['d', 'lifecycle', 'storm', 'catalog'].some((name) => options.only.has(name));
    if (needsService) {
      // The real service: the worker process and the API process, as `npm run worker` / `npm run api` run them.
      const ports = async () => ({ METRICS_PORT: String(await findFreePort()), TEMPORAL_SDK_METRICS_PORT: String(await findFreePort()) });
      const worker = startTs('worker', 'src/worker/main.ts', { ...common, ...(await ports()) }, runDir);
      track(worker);
      const apiPort = await findFreePort();
      const api = startTs('api', 'src/api/main.ts', { ...common, ...(await ports()), PORT: String(apiPort) }, runDir);
      track(api);
      const url = `http://127.0.0.1:${apiPort}`;
      await waitForHttp(`${url}/api/health`);
      const cookies = await createResidentSessions(infra.databaseUrl, 200, 'bench');
      // The worker bundles the workflows at start: wait for the first booking to be held.
      const warmSlots = freeSlots(rooms, 50_000, DAYS.d[0], DAYS.d[1]);
      let slot = 0;
      for (const deadline = Date.now() + 180_000; ; ) {
        const first = await call(url, 'POST', '/api/bookings', cookies[0], warmSlots[slot++], randomUUID()).catch(() => ({ status: 0, body: null }));
        if (first.status === 201) break;
        if (Date.now() > deadline) throw new Error(`the first booking was not held within 180 s (last status ${first.status})`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      say(`service ready (worker pid ${worker.pid}, API pid ${api.pid})`);

      if (options.only.has('d')) {
        const warmupCount = 20_000;
        results.load.d = await measure(
          'd-post-bookings',
          { ...base, url, kind: 'bookings', data: { bodies: warmSlots.slice(slot + warmupCount), cookies } },
          { bodies: warmSlots.slice(slot, slot + warmupCount), cookies },
        );
      }

      if (options.only.has('lifecycle')) results.lifecycle = await lifecycle(url, infra, rooms, cookies, worker.pid);
      if (options.only.has('storm')) results.storm = await storm(url, infra, rooms, cookies);
      if (options.only.has('catalog')) {
        const bulk = await insertBulkBookings(infra.databaseUrl, options.bulkBookings, DAYS.bulk);
        say(`bulk: ${bulk.inserted} bookings with holds in ${bulk.seconds.toFixed(1)} s`);
        results.bulk = bulk;
        const spec = { connections: options.catalogConnections, url };
        results.load.search = await measure('catalog-search', { ...spec, kind: 'venue-search', data: { searches: await venueSearches(infra) } });
        const availability = Array.from({ length: 5000 }, (_, index) => `/api/rooms/${rooms[(index * 7919) % rooms.length].id}/availability?date=${moscowDate(DAYS.bulk + (index % bulk.days))}`);
        results.load.availability = await measure('room-availability', { ...spec, kind: 'availability', data: { availability } });
        results.sql = await sqlTimings(infra, rooms[0].id, moscowDate(DAYS.bulk));
        say(`SQL alone: ${JSON.stringify(results.sql)}`);
      }
      await api.stop();
      await worker.stop();
    }

    results.finishedAt = new Date().toISOString();
    results.loadAverageAfter = os.loadavg().map((value) => Math.round(value * 100) / 100);
    fs.writeFileSync(path.join(runDir, 'results.json'), JSON.stringify(results, null, 2));
    writeReport(options.output, results);
    say(`wrote ${path.relative(PROJECT_ROOT, options.output)} (raw figures in ${path.relative(PROJECT_ROOT, runDir)}/results.json)`);
    // Figures are figures; these are correctness, so the run fails on them.
    const broken = correctnessProblems(results);
    for (const problem of broken) say(`FAILED: ${problem}`);
    if (broken.length > 0) process.exitCode = 1;
  } finally {
    for (const child of processes.reverse()) await child.stop().catch(() => undefined);
    await infra.stop();
  }
}

/** What the lifecycle and the storm must show whatever the machine's speed. */
function correctnessProblems({ lifecycle, storm }: BenchResults): string[] {
  const problems: string[] = [];
  if (lifecycle && (lifecycle.failureCount > 0 || lifecycle.confirmed !== lifecycle.bookings)) problems.push(`lifecycle: ${lifecycle.confirmed}/${lifecycle.bookings} confirmed, ${lifecycle.failureCount} failures`);
  if (storm) {
    const unexpected = Object.keys(storm.statuses).filter((status) => status !== '201' && status !== '409');
    if (unexpected.length > 0) problems.push(`storm: answers other than 201 and 409: ${unexpected.map((status) => `${status}×${storm.statuses[status]}`).join(', ')}`);
    if (storm.overlappingActiveHolds > 0) problems.push(`storm: ${storm.overlappingActiveHolds} overlapping active holds`);
    if (!storm.everyWinnerHeld) problems.push(`storm: ${storm.winners} winners but ${storm.activeHolds} active holds`);
    if (storm.losersWithoutCause > 0) problems.push(`storm: ${storm.losersWithoutCause} 409s overlap no active hold`);
  }
  return problems;
}

/** N bookings, each driven by a scripted operator through call-back, an add-on decision and confirmation. */
async function lifecycle(url: string, infra: BenchInfra, rooms: RoomRow[], cookies: string[], workerPid: number) {
  const operator = await createStaffSession(infra.databaseUrl, 'operator@opendk.test');
  const bodies = freeSlots(rooms, options.lifecycleBookings, DAYS.lifecycle[0], DAYS.lifecycle[1], (room) => (room.addOns.length ? { addOns: [{ code: room.addOns[0] as never, quantity: 1 }] } : null));
  const rss = sampleRss(workerPid);
  const startedAt = Date.now();
  const failures: string[] = [];
  await pool(bodies, options.lifecycleConcurrency, async (body, index) => {
    const resident = cookies[index % cookies.length];
    const code = body.addOns![0].code;
    const steps: [string, () => Promise<{ status: number; body: any }>, number][] = [];
    const created = await call(url, 'POST', '/api/bookings', resident, body, randomUUID());
    if (created.status !== 201) return void failures.push(`submit ${created.status}`);
    const id = created.body.id as string;
    steps.push(
      ['callback', () => call(url, 'POST', `/api/operator/bookings/${id}/callback`, operator, { outcome: 'AGREED', attempt: 1, note: 'Созвонились' }), 200],
      ['decision', () => call(url, 'POST', `/api/operator/bookings/${id}/addons/${code}/decision`, operator, { decision: 'APPROVED', price: 250_000 }), 200],
      ['addons', () => call(url, 'POST', `/api/bookings/${id}/addons/submit`, resident, {}), 200],
      ['confirm', () => call(url, 'POST', `/api/operator/bookings/${id}/confirm`, operator, {}), 200],
    );
    for (const [name, step, expected] of steps) {
      const response = await step();
      if (response.status !== expected) return void failures.push(`${name} ${response.status} ${response.body?.code ?? ''}`);
    }
  });
  const seconds = (Date.now() - startedAt) / 1000;
  const memory = rss.stop();
  const confirmed = await withPg(infra.databaseUrl, async (client) => Number((await client.query(`SELECT count(*) FROM bookings WHERE status = 'CONFIRMED'`)).rows[0].count));
  const result = { bookings: bodies.length, concurrency: options.lifecycleConcurrency, seconds, bookingsPerSecond: bodies.length / seconds, confirmed, failures: failures.slice(0, 10), failureCount: failures.length, workerRssMiB: memory };
  say(`lifecycle: ${result.bookingsPerSecond.toFixed(1)} bookings/s (${bodies.length} in ${seconds.toFixed(1)} s), ${failures.length} failures, worker RSS max ${memory.max?.toFixed(0)} MiB`);
  return result;
}

/** A random storm of overlapping requests over a few rooms; then the database is checked. */
async function storm(url: string, infra: BenchInfra, rooms: RoomRow[], cookies: string[]) {
  const date = moscowDate(DAYS.storm[0]);
  const candidates = rooms.filter((room) => room.weekdays.length === 7 && room.closes - room.opens >= 8 * 60);
  const chosen = candidates.slice(0, options.stormRooms);
  const requests = Array.from({ length: options.stormRequests }, () => {
    const room = chosen[Math.floor(Math.random() * chosen.length)];
    const duration = [60, 90, 120, 180][Math.floor(Math.random() * 4)];
    const steps = Math.floor((room.closes - room.opens - duration) / 30);
    const start = room.opens + 30 * Math.floor(Math.random() * (steps + 1));
    return bodyFor(room, date, start, duration);
  });
  const startedAt = Date.now();
  const responses = await pool(requests, options.stormConcurrency, async (body, index) => {
    const response = await call(url, 'POST', '/api/bookings', cookies[index % cookies.length], body, randomUUID()).catch((error: Error) => ({ status: 0, body: { error: error.message } }));
    return { status: response.status, id: response.status === 201 ? (response.body.id as string) : undefined };
  });
  const seconds = (Date.now() - startedAt) / 1000;
  const statuses: Record<string, number> = {};
  for (const response of responses) statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  const roomIds = chosen.map((room) => room.id);
  const overlaps = await overlappingHolds(infra.databaseUrl, roomIds);
  const winners = responses.flatMap((response) => (response.id ? [response.id] : []));
  const holds = await withPg(infra.databaseUrl, async (client) => {
    const { rows } = await client.query<{ booking_id: string; room_id: number; starts_at: Date; ends_at: Date }>('SELECT booking_id, room_id, starts_at, ends_at FROM slot_holds WHERE active AND room_id = ANY($1::int[])', [roomIds]);
    return rows;
  });
  const heldIds = new Set(holds.map((hold) => hold.booking_id));
  const everyWinnerHeld = winners.length === holds.length && winners.every((id) => heldIds.has(id));
  // Every 409 must have lost to a real hold: its slot overlaps one of the winners' holds.
  const losersWithoutCause = requests.filter((body, index) => {
    if (responses[index].status !== 409) return false;
    const [start, end] = [Date.parse(body.startsAt), Date.parse(body.endsAt)];
    return !holds.some((hold) => hold.room_id === body.roomId && hold.starts_at.getTime() < end && hold.ends_at.getTime() > start);
  }).length;
  const result = { requests: requests.length, rooms: roomIds, date, concurrency: options.stormConcurrency, seconds, statuses, overlappingActiveHolds: overlaps, winners: winners.length, activeHolds: holds.length, everyWinnerHeld, losersWithoutCause };
  say(`storm: ${JSON.stringify(result)}`);
  return result;
}

/** The catalog's heaviest statements on their own (EXPLAIN ANALYZE, median of 5): is the database the limit? */
async function sqlTimings(infra: BenchInfra, roomId: number, date: string) {
  return withPg(infra.databaseUrl, async (client) => {
    const median = async (sql: string, params: unknown[]) => {
      const times: number[] = [];
      for (let run = 0; run < 5; run += 1) {
        const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
        times.push((rows[0]['QUERY PLAN'] as { 'Execution Time': number }[])[0]['Execution Time']);
      }
      return times.sort((a, b) => a - b)[2];
    };
    const dayStart = moscowInstant(date, 0);
    const dayEnd = moscowInstant(date, 24 * 60);
    return {
      venueSearchMs: await median(
        `SELECT count(*) FROM venues v WHERE v.search_text LIKE '%' || $1 || '%'
            AND EXISTS (SELECT 1 FROM rooms r WHERE r.venue_id = v.id AND r.capacity >= 50)
            AND EXISTS (SELECT 1 FROM venue_addons a WHERE a.venue_id = v.id AND a.code = 'CATERING')`,
        ['культур'],
      ),
      availabilityMs: await median(
        'SELECT starts_at, ends_at FROM slot_holds WHERE room_id = $1 AND active AND starts_at < $3 AND ends_at > $2 ORDER BY starts_at',
        [roomId, dayStart, dayEnd],
      ),
    };
  });
}

async function venueSearches(infra: BenchInfra): Promise<string[]> {
  return withPg(infra.databaseUrl, async (client) => {
    const districts = (await client.query<{ id: number }>('SELECT id FROM districts ORDER BY id')).rows.map((row) => row.id);
    const names = (await client.query<{ name: string }>('SELECT name FROM venues ORDER BY id')).rows.map((row) => row.name);
    const words = [...new Set(names.flatMap((name) => name.split(/[^\p{L}]+/u)).filter((word) => word.length >= 5))];
    const addOns = ['TECH_SUPPORT', 'EVENT_ORGANIZATION', 'CATERING', 'MUSIC_RECORDING', 'TURNKEY_DECOR'];
    const searches: string[] = [];
    for (let index = 0; index < 2000; index += 1) {
      const word = encodeURIComponent(words[(index * 31) % words.length].slice(0, 6).toLowerCase());
      const district = districts[(index * 7) % districts.length];
      const addOn = addOns[index % addOns.length];
      const capacity = [20, 50, 100, 200][index % 4];
      searches.push(
        [
          `/api/venues?q=${word}`,
          `/api/venues?district=${district}&minCapacity=${capacity}`,
          `/api/venues?addOn=${addOn}&minCapacity=${capacity}&page=2`,
          `/api/venues?q=${word}&district=${district}&addOn=${addOn}&minCapacity=${capacity}`,
        ][index % 4],
      );
    }
    return searches;
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
