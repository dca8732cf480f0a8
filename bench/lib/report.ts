import fs from 'node:fs';
import path from 'node:path';
import type { CpuUsage } from './cpu';
import type { MachineInfo } from './infra';

export interface LoadResult {
  requests: number;
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statuses: Record<string, number>;
  durationSeconds: number;
  /** Every process's CPU during the measured run (not the warm-up). */
  cpu?: CpuUsage;
}

export interface BenchResults {
  machine: MachineInfo;
  options: Record<string, unknown>;
  startedAt: string;
  finishedAt?: string;
  loadAverageAfter?: number[];
  load: Partial<Record<'a' | 'b' | 'c' | 'd' | 'search' | 'availability', LoadResult>>;
  lifecycle?: { bookings: number; concurrency: number; seconds: number; bookingsPerSecond: number; confirmed: number; failureCount: number; failures: string[]; workerRssMiB: { samples: number; first?: number; last?: number; max?: number; median?: number } };
  storm?: { requests: number; rooms: number[]; date: string; concurrency: number; seconds: number; statuses: Record<string, number>; overlappingActiveHolds: number; winners: number; activeHolds: number; everyWinnerHeld: boolean; losersWithoutCause: number };
  bulk?: { inserted: number; seconds: number; days: number };
  sql?: { venueSearchMs: number; availabilityMs: number };
}

const fixed = (value: number | undefined, digits = 0) => (value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits));
const verdict = (ok: boolean) => (ok ? '**met**' : '**missed**');

const LABELS: Record<keyof BenchResults['load'], string> = {
  a: '(a) Express app: zod schema + slot rules, no I/O',
  b: '(b) (a) + one INSERT',
  c: '(c) bare Update-with-Start, trivial workflow',
  d: '(d) real `POST /api/bookings`',
  search: 'catalog search `GET /api/venues` (text, district, capacity, add-on)',
  availability: 'room availability `GET /api/rooms/:id/availability`',
};

export function writeReport(file: string, results: BenchResults): void {
  const { machine, load } = results;
  const lines: string[] = [];
  lines.push('# Benchmarks', '');
  lines.push('Written by `npm run bench` (`bench/run.ts`); raw figures of the last run are in `.data/bench/run/results.json`.', '');
  lines.push(`- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, ${machine.os}`);
  lines.push(`- Versions: Node ${machine.node}; ${machine.postgres.split(',')[0]}; ${machine.temporal.replace(/\n/g, ' ')}`);
  lines.push(`- Run: ${results.startedAt} → ${results.finishedAt ?? '?'}; load average before ${machine.loadAverage.join(' / ')}, after ${(results.loadAverageAfter ?? []).join(' / ')}`);
  const o = results.options as Record<string, number>;
  lines.push(`- Load: autocannon in its own process, no pipelining, ${o.connections} connections (${o.catalogConnections} for the catalog), ${o.durationSeconds} s measured after ${o.warmupSeconds} s of warm-up per scenario`);
  lines.push('');
  lines.push('| scenario | req/s | p50 ms | p99 ms | max ms | requests | statuses | errors |', '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
  for (const key of Object.keys(LABELS) as (keyof BenchResults['load'])[]) {
    const row = load[key];
    if (!row) continue;
    lines.push(`| ${LABELS[key]} | ${fixed(row.throughput)} | ${row.p50} | ${row.p99} | ${row.max} | ${row.requests} | ${Object.entries(row.statuses).map(([code, count]) => `${code}×${count}`).join(' ')} | ${row.errors + row.timeouts} |`);
  }
  lines.push('');
  lines.push(...cpuTable(load));

  lines.push('## Targets', '');
  const { a, b, c, d, search, availability } = load;
  if (a && b && c && d) {
    const floor = Math.min(a.throughput, b.throughput, c.throughput);
    const throughputRatio = d.throughput / floor;
    const p99Ratio = d.p99 / c.p99;
    lines.push(`- (d) throughput / min(a, b, c) = ${fixed(d.throughput)} / ${fixed(floor)} = **${fixed(throughputRatio, 2)}** (target ≥ 0.80): ${verdict(throughputRatio >= 0.8)}`);
    lines.push(`- (d) p99 / (c) p99 = ${d.p99} / ${c.p99} ms = **${fixed(p99Ratio, 2)}** (target ≤ 1.50): ${verdict(p99Ratio <= 1.5)}`);
  }
  if (a && search) lines.push(`- catalog search / (a) = ${fixed(search.throughput)} / ${fixed(a.throughput)} = **${fixed(search.throughput / a.throughput, 2)}** (target ≥ 0.30): ${verdict(search.throughput / a.throughput >= 0.3)}, p99 ${search.p99} ms`);
  if (a && availability) lines.push(`- availability / (a) = ${fixed(availability.throughput)} / ${fixed(a.throughput)} = **${fixed(availability.throughput / a.throughput, 2)}** (target ≥ 0.30): ${verdict(availability.throughput / a.throughput >= 0.3)}, p99 ${availability.p99} ms`);
  if (results.bulk) lines.push(`- The catalog figures ran with ${results.bulk.inserted.toLocaleString('en')} bookings and their active holds in the database (inserted in ${fixed(results.bulk.seconds, 1)} s with INSERT … SELECT generate_series).`);
  if (results.sql) lines.push(`- The statements behind them alone (EXPLAIN ANALYZE in PostgreSQL, median of 5): venue search with text, capacity and add-on filters ${fixed(results.sql.venueSearchMs, 2)} ms; a room's holds on a day ${fixed(results.sql.availabilityMs, 2)} ms.`);
  lines.push('');

  if (results.lifecycle) {
    const l = results.lifecycle;
    lines.push('## Full lifecycle', '');
    lines.push(`${l.bookings} bookings, ${l.concurrency} at a time, each submitted by a resident with one add-on, then called back (AGREED), the add-on approved with a price, the add-on stage closed by the resident and the booking confirmed by a scripted operator — all over HTTP.`, '');
    lines.push(`- **${fixed(l.bookingsPerSecond, 1)} bookings/s** end to end (${fixed(l.seconds, 1)} s); ${l.confirmed} CONFIRMED; ${l.failureCount} failures${l.failures.length ? ` (${l.failures.join('; ')})` : ''}`);
    lines.push(`- Worker RSS (sampled every 250 ms, ${l.workerRssMiB.samples} samples): first ${fixed(l.workerRssMiB.first)} MiB, median ${fixed(l.workerRssMiB.median)} MiB, max ${fixed(l.workerRssMiB.max)} MiB, last ${fixed(l.workerRssMiB.last)} MiB`, '');
  }
  if (results.storm) {
    const s = results.storm;
    lines.push('## Contention storm', '');
    lines.push(`${s.requests} submissions with random overlapping slots (1–3 h, half-hour steps) over rooms ${s.rooms.join(', ')} on ${s.date}, ${s.concurrency} in flight, through the real API and worker (${fixed(s.seconds, 1)} s).`, '');
    lines.push(`- Statuses: ${Object.entries(s.statuses).map(([code, count]) => `${code}×${count}`).join(', ')}`);
    lines.push(`- Overlapping active holds (self-join on slot_holds): **${s.overlappingActiveHolds}**`);
    lines.push(`- 201 answers: ${s.winners}; active holds in those rooms: ${s.activeHolds}; every 201 has exactly its hold: ${s.everyWinnerHeld ? 'yes' : '**no**'}`);
    lines.push(`- 409 answers whose slot overlaps no active hold: ${s.losersWithoutCause}`);
    const fiveHundreds = Object.entries(s.statuses).filter(([code]) => code.startsWith('5')).reduce((sum, [, count]) => sum + count, 0);
    if (fiveHundreds > 0) {
      lines.push(
        `- ${fiveHundreds} answers were 5xx: the API answers 503 with Retry-After when a Temporal call passes its 10 s deadline (src/infra/temporal-connection.ts) or no database connection frees up within 5 s; ` +
          `${s.activeHolds - s.winners} of those requests had their slot held all the same, after the deadline (a retry with the same Idempotency-Key returns that booking). Under this load the storm is past the service's capacity on this machine.`,
      );
    }
    lines.push('');
  }
  lines.push(...NOTES);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

/**
 * CPU milliseconds per request, by process: all servers share the machine's cores, so a
 * scenario's throughput is bounded by what one request costs all of them together.
 */
function cpuTable(load: BenchResults['load']): string[] {
  const rows = (Object.keys(LABELS) as (keyof BenchResults['load'])[]).flatMap((key) => (load[key]?.cpu ? [[key, load[key]!] as const] : []));
  if (rows.length === 0) return [];
  const groups = [...new Set(rows.flatMap(([, row]) => Object.keys(row.cpu!.msByGroup)))].sort();
  const lines = ['### CPU per request', '', 'CPU milliseconds per answered request during the measured run, by process (from /proc; `other` is everything else on the machine).', ''];
  lines.push(`| scenario | ${groups.join(' | ')} | total | cores busy |`, `| --- |${' ---: |'.repeat(groups.length + 2)}`);
  for (const [key, row] of rows) {
    const perRequest = (ms: number | undefined) => fixed((ms ?? 0) / Math.max(row.requests, 1), 2);
    const total = Object.values(row.cpu!.msByGroup).reduce((sum, ms) => sum + ms, 0);
    lines.push(`| ${key} | ${groups.map((group) => perRequest(row.cpu!.msByGroup[group])).join(' | ')} | ${perRequest(total)} | ${fixed(row.cpu!.machineBusy * 100)}% |`);
  }
  lines.push('');
  return lines;
}

const NOTES = [
  '## How to read it',
  '',
  '- Every server runs in a process of its own (tsx as an import hook): (a)/(b) `bench/servers/validate-server.ts` (the service\'s `createApp` with the route\'s own zod schema and the domain slot rules), (c) `bench/servers/uws-server.ts` plus `bench/servers/trivial-worker.ts` (a bench-only workflow on its own task queue, the booking worker\'s tuning and payload codec), (d) and the rest the real `src/api/main.ts` and `src/worker/main.ts`. PostgreSQL is the embedded one, Temporal the CLI\'s dev server (SQLite in memory), both started by the bench.',
  '- All servers log at `warn` (`BENCH_LOG_LEVEL`), so the figures do not measure log volume.',
  '- (d): 200 residents with sessions stored as the auth service stores them; every request a distinct free slot that passes the production slot rules and a fresh Idempotency-Key, so every answer is a 201 with a new booking and its workflow.',
  '- The machine may be shared with other work (the load averages above, on 2 cores, tell how busy it was), so absolute figures move from run to run; the ratios, taken within one run, are what the targets are about.',
];
