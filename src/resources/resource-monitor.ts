import { availableParallelism, cpus, freemem, loadavg, totalmem } from 'node:os';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { reportInternalError, reportOnce } from '../diag/diagnostics.js';
import type { JsonObject } from '../record.js';
import { type CgroupPaths, readCgroupLimits, readCgroupMemoryUsage } from './cgroup-limits.js';
import { HeapSnapshotter } from './heap-snapshotter.js';
import { MemoryTrajectory } from './memory-trajectory.js';
import { procMeminfoPort } from './proc-meminfo.js';
import {
  type ResolvedResourceOptions,
  type ResourceOptions,
  resolveResourceOptions,
} from './resource-options.js';
import type { ContainerLimits, ResourceSnapshot } from './resource-snapshot.js';
import { snapshotJson } from './snapshot-json.js';
import {
  loadSystemInformation,
  type SystemInformationLoader,
  type SystemInformationPort,
  withTimeout,
} from './system-information-port.js';
import { type DeviceOf, round4, type StatFs, VolumeWatcher } from './volume-watcher.js';

/** Seams for tests and embedding; all optional. */
export interface ResourceMonitorDeps {
  /** Loads the memory source. @default per `memorySource`: /proc/meminfo on Linux, else a lazy `import('systeminformation')` */
  loadSystemInformation?: SystemInformationLoader;
  /** Clock in ms. @default Date.now */
  now?: () => number;
  /** Where the cgroup files are. @default the real /sys/fs/cgroup and /proc/self/cgroup */
  cgroup?: CgroupPaths;
  statfs?: StatFs;
  /** Device id of a path. @default `fs.promises.stat(path).dev` */
  deviceOf?: DeviceOf;
  /** Summed CPU ticks of all cores. @default from os.cpus() (≈60 µs, no process spawned) */
  cpuTimes?: () => CpuTimes;
  /** Told once, the first time a sample degrades. @default the diagnostics sink (one stderr line) */
  onFirstDegraded?: (reason: string) => void;
}

/** Summed CPU time of all cores, ms. */
export interface CpuTimes {
  idle: number;
  total: number;
}

function osCpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const c of cpus()) {
    const t = c.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

const NS_PER_MS = 1e6;

/** The histogram records whole timer periods; the delay is what exceeds the resolution. */
function loopDelayMs(ns: number, resolutionMs: number): number {
  return round4(Math.max(0, ns / NS_PER_MS - resolutionMs));
}

function reasonOf(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function reportDegraded(reason: string): void {
  reportOnce('resources:degraded', `resource sampling degraded to os/process figures (${reason})`);
}

/**
 * Samples CPU, memory, disks and the event loop in the background (unref'd timers) and hands the
 * error path a small JSON object built from the latest sample: the error path never calls
 * systeminformation and does no sync I/O.
 */
export class ResourceMonitor {
  readonly options: ResolvedResourceOptions;
  /** Writes heap snapshots for memory errors; present when `heapSnapshots.enabled`. */
  readonly heapSnapshotter: HeapSnapshotter | undefined;
  /** Background samples that fell back to os/process figures. */
  degradedSamples = 0;
  private readonly now: () => number;
  private readonly loader: SystemInformationLoader;
  private readonly cgroupPaths: CgroupPaths | undefined;
  private readonly onFirstDegraded: (reason: string) => void;
  private readonly volumes: VolumeWatcher;
  private readonly trajectory: MemoryTrajectory;
  private si: Promise<SystemInformationPort> | undefined;
  private snapshot: ResourceSnapshot | undefined;
  private snapshotJsonCache: JsonObject = {};
  private trajectoryJson: JsonObject | undefined;
  private limits: Promise<ContainerLimits | undefined> | undefined;
  private containerLimits: ContainerLimits | undefined;
  private histogram: IntervalHistogram | undefined;
  private sampleTimer: NodeJS.Timeout | undefined;
  private trajectoryTimer: NodeJS.Timeout | undefined;
  private sampling: Promise<ResourceSnapshot> | undefined;
  private lastCpu: { at: number; usage: NodeJS.CpuUsage };
  private readonly cpuTimes: () => CpuTimes;
  private lastCpuTimes: CpuTimes | undefined;

  constructor(options?: ResourceOptions, deps: ResourceMonitorDeps = {}) {
    this.options = resolveResourceOptions(options);
    this.now = deps.now ?? Date.now;
    this.loader =
      deps.loadSystemInformation ??
      (this.options.memorySource === 'auto' && process.platform === 'linux'
        ? async () => procMeminfoPort()
        : loadSystemInformation);
    this.cgroupPaths = deps.cgroup;
    this.onFirstDegraded = deps.onFirstDegraded ?? reportDegraded;
    this.volumes = new VolumeWatcher(this.options.volumes, this.now, deps.statfs, deps.deviceOf);
    this.trajectory = new MemoryTrajectory(this.options.trajectoryLength);
    this.lastCpu = { at: this.now(), usage: process.cpuUsage() };
    const h = this.options.heapSnapshots;
    this.heapSnapshotter = h.enabled ? new HeapSnapshotter(h, { now: this.now }) : undefined;
    this.cpuTimes = deps.cpuTimes ?? osCpuTimes;
    this.lastCpuTimes = this.safeCpuTimes();
  }

  /** Starts the background timers (full mode, enabled only); idempotent; never throws. */
  start(): void {
    if (!this.options.enabled || this.options.mode === 'light' || this.sampleTimer !== undefined) return;
    try {
      const resolution = this.options.eventLoopResolutionMs;
      if (resolution > 0) {
        this.histogram = monitorEventLoopDelay({ resolution });
        this.histogram.enable();
      }
      this.sampleTimer = setInterval(() => void this.sample(), this.options.intervalMs);
      this.sampleTimer.unref();
      this.trajectoryTimer = setInterval(() => this.pushTrajectory(), this.options.trajectoryIntervalMs);
      this.trajectoryTimer.unref();
      this.pushTrajectory();
      void this.sample();
    } catch (e) {
      this.onFirstDegraded(`could not start the sampler: ${reasonOf(e)}`);
    }
  }

  /** Stops the timers and the event-loop histogram; idempotent. */
  stop(): void {
    clearInterval(this.sampleTimer);
    clearInterval(this.trajectoryTimer);
    this.sampleTimer = undefined;
    this.trajectoryTimer = undefined;
    this.histogram?.disable();
    this.histogram = undefined;
  }

  /** The latest background sample, if one finished. */
  latest(): ResourceSnapshot | undefined {
    return this.snapshot;
  }

  /** Container limits read at start, once that read finished. */
  container(): ContainerLimits | undefined {
    return this.containerLimits;
  }

  /**
   * Hot path, called for every error: builds `record.resources` from cached figures (the shape is
   * in docs/resources.md). No systeminformation call and no sync I/O; it may kick an async
   * refresh of the volume figures. `mode` overrides the configured mode for this call.
   */
  errorTimeResources(mode: 'full' | 'light' = this.options.mode): JsonObject {
    if (!this.options.enabled) return {};
    try {
      return mode === 'light' ? lightResources() : this.fullResources();
    } catch (e) {
      // A record without resources beats a lost record; say so once.
      reportInternalError('resources.errorTimeResources', e);
      return {};
    }
  }

  private safeNow(): number {
    try {
      return this.now();
    } catch {
      return Date.now();
    }
  }

  private fullResources(): JsonObject {
    const t = this.now();
    const out: JsonObject = Object.assign({}, this.snapshotJsonCache);
    const s = this.snapshot;
    if (s === undefined) out.sample_pending = true;
    else out.sample_age_ms = Math.max(0, t - s.at);
    const h = this.histogram;
    // max is a field read (0.1 µs); percentiles cost 5-30 µs, so they come from the sample.
    if (h !== undefined && h.count > 0)
      out['nodejs.eventloop.delay.max_since_sample'] = loopDelayMs(h.max, this.options.eventLoopResolutionMs);
    const vAt = this.volumes.at;
    if (vAt !== undefined) {
      out.volumes = this.volumes.latestJson();
      out.volumes_age_ms = Math.max(0, t - vAt);
    }
    this.volumes.kick();
    const trAt = this.trajectory.latestAt;
    if (this.trajectoryJson !== undefined && trAt !== undefined) {
      out['memory.trajectory'] = this.trajectoryJson;
      out['memory.trajectory_age_ms'] = Math.max(0, t - trAt);
    }
    return out;
  }

  /**
   * For a memory-related error: writes a heap snapshot if enabled, not rate-limited and within
   * budget, and returns its path for the record (`resources.heap_snapshot`). Blocks while writing.
   */
  heapSnapshotFor(fingerprint: string, category: string): string | undefined {
    return this.heapSnapshotter?.maybeWrite(fingerprint, category);
  }

  /** Takes one background sample now; never rejects. Overlapping calls share one sample. */
  sample(): Promise<ResourceSnapshot> {
    if (this.sampling !== undefined) return this.sampling;
    this.sampling = this.takeSample()
      .catch((e: unknown) => {
        // Timers call this with `void`: a rejection here would crash the host (Node >= 15).
        reportInternalError('resources.sample', e);
        return this.snapshot ?? osFallbackSnapshot(this.safeNow(), reasonOf(e));
      })
      .finally(() => {
        this.sampling = undefined;
      });
    return this.sampling;
  }

  private async takeSample(): Promise<ResourceSnapshot> {
    const { timeoutMs } = this.options;
    this.limits ??= readCgroupLimits(this.cgroupPaths).catch(() => undefined);
    const volumes = this.volumes.refresh();
    let mem: Awaited<ReturnType<SystemInformationPort['mem']>> | undefined;
    let degradedReason: string | undefined;
    try {
      this.si ??= this.loader();
      const si = await withTimeout(this.si, timeoutMs, 'loading the memory source');
      const call = `${si.name ?? 'systeminformation'}.mem()`;
      mem = await withTimeout(si.mem(), timeoutMs, call);
      if (!Number.isFinite(mem.total) || !(mem.total > 0) || !Number.isFinite(mem.available)) {
        throw new TypeError(`${call} returned no figures`);
      }
    } catch (e) {
      degradedReason = reasonOf(e);
      mem = undefined;
    }
    const limits = await this.limits;
    this.containerLimits = limits;
    const containerUsage =
      limits?.memoryUsageFile !== undefined ? await readCgroupMemoryUsage(limits.memoryUsageFile) : undefined;
    await volumes;
    const at = this.now();
    const systemCpu = this.systemCpuUtilization();
    const pm = safeMemoryUsage();
    const snapshot: ResourceSnapshot = {
      at,
      degraded: degradedReason !== undefined,
      ...(degradedReason !== undefined ? { degradedReason } : {}),
      ...(systemCpu !== undefined ? { systemCpuUtilization: systemCpu } : {}),
      ...this.processCpu(at, limits?.cpuLimit),
      loadAverage: loadavg() as [number, number, number],
      memory:
        mem !== undefined
          ? {
              total: mem.total,
              used: mem.total - mem.available,
              available: mem.available,
              free: mem.free,
              swapTotal: mem.swaptotal,
              swapUsed: mem.swapused,
            }
          : { total: totalmem(), used: totalmem() - freemem(), available: freemem(), free: freemem() },
      ...(limits !== undefined
        ? {
            container: {
              ...(limits.memoryLimit !== undefined ? { memoryLimit: limits.memoryLimit } : {}),
              ...(containerUsage !== undefined ? { memoryUsage: containerUsage } : {}),
              ...(limits.cpuLimit !== undefined ? { cpuLimit: limits.cpuLimit } : {}),
            },
          }
        : {}),
      process: pm,
      ...this.eventLoopDelay(),
      volumes: this.volumes.latest(),
    };
    if (degradedReason !== undefined && this.degradedSamples++ === 0) this.onFirstDegraded(degradedReason);
    this.snapshot = snapshot;
    this.snapshotJsonCache = snapshotJson(snapshot);
    return snapshot;
  }

  private eventLoopDelay(): Pick<ResourceSnapshot, 'eventLoopDelay'> {
    const h = this.histogram;
    if (h === undefined || h.count === 0) return {};
    const d = {
      p50: loopDelayMs(h.percentile(50), this.options.eventLoopResolutionMs),
      p99: loopDelayMs(h.percentile(99), this.options.eventLoopResolutionMs),
      max: loopDelayMs(h.max, this.options.eventLoopResolutionMs),
    };
    h.reset();
    return { eventLoopDelay: d };
  }

  private processCpu(
    at: number,
    cpuLimit: number | undefined,
  ): Pick<ResourceSnapshot, 'processCpuUtilization'> {
    const usage = process.cpuUsage();
    const prev = this.lastCpu;
    this.lastCpu = { at, usage };
    const elapsedUs = (at - prev.at) * 1000;
    if (elapsedUs <= 0) return {};
    const used = usage.user - prev.usage.user + (usage.system - prev.usage.system);
    const cores = cpuLimit ?? availableParallelism();
    return { processCpuUtilization: round4(Math.min(1, used / elapsedUs / cores)) };
  }

  /** System CPU from tick deltas since the last sample: what si.currentLoad() computes, without its execSync. */
  private systemCpuUtilization(): number | undefined {
    const now = this.safeCpuTimes();
    const prev = this.lastCpuTimes;
    this.lastCpuTimes = now;
    if (now === undefined || prev === undefined || now.total <= prev.total) return undefined;
    return round4(Math.min(1, Math.max(0, 1 - (now.idle - prev.idle) / (now.total - prev.total))));
  }

  private safeCpuTimes(): CpuTimes | undefined {
    try {
      return this.cpuTimes();
    } catch {
      return undefined;
    }
  }

  private pushTrajectory(): void {
    const m = safeMemoryUsage();
    this.trajectory.push(this.now(), m);
    this.trajectoryJson = this.trajectory.toJSON();
  }
}

/** The least a sample can say, from `os` and `process` alone, when sampling itself failed. */
function osFallbackSnapshot(at: number, reason: string): ResourceSnapshot {
  const total = totalmem();
  const free = freemem();
  return {
    at,
    degraded: true,
    degradedReason: reason,
    loadAverage: loadavg() as [number, number, number],
    memory: { total, used: total - free, available: free, free },
    process: safeMemoryUsage(),
    volumes: [],
  };
}

function safeMemoryUsage(): ResourceSnapshot['process'] {
  try {
    const m = process.memoryUsage();
    return {
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
    };
  } catch {
    // memoryUsage() throws EMFILE when descriptors run out (winston#312); rss() reads no file table.
    let rss = 0;
    try {
      rss = process.memoryUsage.rss();
    } catch {}
    return { rss, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  }
}

/** Light mode: V8 heap-space statistics only (≈0.7 µs), keyed by space name. */
function lightResources(): JsonObject {
  const used: JsonObject = {};
  const size: JsonObject = {};
  for (const s of getHeapSpaceStatistics()) {
    if (s.space_size === 0) continue;
    used[s.space_name] = s.space_used_size;
    size[s.space_name] = s.space_size;
  }
  return { mode: 'light', 'v8js.memory.heap.used': used, 'v8js.memory.heap.space.size': size };
}
