import fs from 'node:fs';

/**
 * Where a scenario's CPU goes: user+system time of every process on the machine, read from
 * /proc before and after the measured run, grouped into the bench's own processes (by pid) and
 * the servers it started (PostgreSQL backends and Temporal by their command name). With two
 * cores shared by every server, the throughput of a scenario is bounded by its CPU per request.
 */
export interface CpuSnapshot {
  at: number;
  /** pid → [command, clock ticks used so far] */
  processes: Map<number, [string, number]>;
  /** All cores together, from /proc/stat: [busy ticks, total ticks]. */
  machine: [number, number];
}

export interface CpuUsage {
  /** Wall time of the measured run, seconds. */
  seconds: number;
  /** Share of all cores busy during the run (0–1). */
  machineBusy: number;
  /** CPU milliseconds per group over the run. */
  msByGroup: Record<string, number>;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function readStat(pid: string): [string, number] | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command is in parentheses and may contain spaces; fields resume after the last ')'.
    const close = text.lastIndexOf(')');
    const command = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    return [command, Number(fields[11]) + Number(fields[12])];
  } catch {
    return undefined; // the process ended between readdir and read
  }
}

export function snapshotCpu(): CpuSnapshot {
  const processes = new Map<number, [string, number]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat) processes.set(Number(entry), stat);
  }
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + cpu[4];
  const total = cpu.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { at: Date.now(), processes, machine: [total - idle, total] };
}

/**
 * CPU between two snapshots. `named` labels the bench's processes by pid; the rest are grouped
 * as `postgres`, `temporal` or `other`. A process that ended in between is not counted (the
 * bench's servers and PostgreSQL's pooled backends live through a run).
 */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, named: Record<number, string>): CpuUsage {
  const msByGroup: Record<string, number> = {};
  for (const [pid, [command, ticks]] of after.processes) {
    const used = ticks - (before.processes.get(pid)?.[1] ?? 0);
    if (used <= 0) continue;
    const group = named[pid] ?? (command === 'postgres' ? 'postgres' : command === 'temporal' ? 'temporal' : 'other');
    msByGroup[group] = (msByGroup[group] ?? 0) + (used * 1000) / TICKS_PER_SECOND;
  }
  const busy = after.machine[0] - before.machine[0];
  const total = after.machine[1] - before.machine[1];
  return { seconds: (after.at - before.at) / 1000, machineBusy: total > 0 ? busy / total : 0, msByGroup };
}
