import { availableParallelism, cpus } from 'node:os';
import { round4 } from './volume-watcher.js';

/** Summed CPU time of all cores, ms. */
export interface CpuTimes {
  idle: number;
  total: number;
}

/** Tick totals from os.cpus(): ≈60 µs, no process spawned (si.currentLoad() execSyncs `cat /proc/stat`). */
export function osCpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const c of cpus()) {
    const t = c.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

/** Whole-machine CPU utilization between two readings of the tick counters. */
export class SystemCpuMeter {
  private last: CpuTimes | undefined;

  constructor(private readonly read: () => CpuTimes = osCpuTimes) {
    this.last = this.safeRead();
  }

  /** Utilization 0..1 since the previous call (or construction); undefined when unknown. */
  next(): number | undefined {
    const now = this.safeRead();
    const prev = this.last;
    this.last = now;
    if (now === undefined || prev === undefined || now.total <= prev.total) return undefined;
    return round4(Math.min(1, Math.max(0, 1 - (now.idle - prev.idle) / (now.total - prev.total))));
  }

  private safeRead(): CpuTimes | undefined {
    try {
      return this.read();
    } catch {
      return undefined;
    }
  }
}

/** This process's CPU utilization from process.cpuUsage() deltas, against the CPUs it may use. */
export class ProcessCpuMeter {
  private last: { at: number; usage: NodeJS.CpuUsage };

  constructor(at: number) {
    this.last = { at, usage: process.cpuUsage() };
  }

  /** Utilization 0..1 since the previous call; `cores` is the cgroup CPU limit when there is one. */
  next(at: number, cores: number | undefined): number | undefined {
    const usage = process.cpuUsage();
    const prev = this.last;
    this.last = { at, usage };
    const elapsedUs = (at - prev.at) * 1000;
    if (elapsedUs <= 0) return undefined;
    const used = usage.user - prev.usage.user + (usage.system - prev.usage.system);
    return round4(Math.min(1, used / elapsedUs / (cores ?? availableParallelism())));
  }
}
