import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface CpuSnapshot {
  /** `/proc/stat` jiffies of all cores: busy (not idle, not iowait) and total; absent off Linux. */
  machine?: { busy: number; total: number };
  /** This process's CPU time, microseconds. */
  ownMicroseconds: number;
  at: number;
}

export interface CpuShare {
  /** Cores busy on the whole machine during the run (0 … cores); `undefined` off Linux. */
  machineBusyCores?: number;
  /** Cores used by the Strapi process and by the load generator. */
  strapiCores: number;
  loadGeneratorCores: number;
  /**
   * What else kept the machine busy: the Twilio server, the PostgreSQL server (its share
   * of the bench) and anything not part of the bench (other jobs on a shared machine).
   */
  otherCores?: number;
}

function readMachine(): CpuSnapshot['machine'] {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, total: busy + idle + iowait };
  } catch {
    return undefined;
  }
}

export function snapshotCpu(): CpuSnapshot {
  const usage = process.cpuUsage();
  return { machine: readMachine(), ownMicroseconds: usage.user + usage.system, at: performance.now() };
}

/** Shares of the CPU between `before` and now; `loadGeneratorMicroseconds` as it reported them. */
export function cpuShareSince(before: CpuSnapshot, loadGeneratorMicroseconds: number): CpuShare {
  const after = snapshotCpu();
  const wallMicroseconds = Math.max(1, (after.at - before.at) * 1000);
  const strapiCores = (after.ownMicroseconds - before.ownMicroseconds) / wallMicroseconds;
  const loadGeneratorCores = loadGeneratorMicroseconds / wallMicroseconds;
  const round2 = (value: number): number => Math.round(value * 100) / 100;
  if (before.machine === undefined || after.machine === undefined) {
    return { strapiCores: round2(strapiCores), loadGeneratorCores: round2(loadGeneratorCores) };
  }
  const total = after.machine.total - before.machine.total;
  const machineBusyCores = total > 0 ? ((after.machine.busy - before.machine.busy) / total) * os.cpus().length : 0;
  return {
    machineBusyCores: round2(machineBusyCores),
    strapiCores: round2(strapiCores),
    loadGeneratorCores: round2(loadGeneratorCores),
    otherCores: round2(Math.max(0, machineBusyCores - strapiCores - loadGeneratorCores)),
  };
}

let clockTicksPerSecond: number | undefined;

/** `getconf CLK_TCK`: the unit of `/proc/<pid>/stat`'s CPU times (100 on Linux as built). */
function ticksPerSecond(): number {
  if (clockTicksPerSecond !== undefined) return clockTicksPerSecond;
  const answer = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim());
  clockTicksPerSecond = Number.isFinite(answer) && answer > 0 ? answer : 100;
  return clockTicksPerSecond;
}

/**
 * Another process's CPU time (user + system), microseconds, from `/proc/<pid>/stat`; its
 * resolution is a clock tick (10 ms), so read it around runs of seconds, not single requests.
 * `undefined` off Linux.
 */
export function processCpuMicroseconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: the fields that follow start after its closing ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are the stat file's 14th and 15th fields: here 11 and 12 (0-based).
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks / ticksPerSecond()) * 1_000_000;
  } catch {
    return undefined;
  }
}
