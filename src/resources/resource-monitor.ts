import { loadavg } from 'node:os';
import type { ProcessSample } from '../capture/memory.js';
import { reportInternalError, reportOnce } from '../diag/diagnostics.js';
import type { JsonObject } from '../record.js';
import { type CgroupPaths, readCgroupLimits, readCgroupMemoryUsage } from './cgroup-limits.js';
import { type CpuTimes, ProcessCpuMeter, SystemCpuMeter } from './cpu-meters.js';
import { EventLoopProbe } from './event-loop-probe.js';
import { lightResources, osFallbackSnapshot, osSystemMemory, safeMemoryUsage } from './fallback-figures.js';
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
import { type DeviceOf, type StatFs, VolumeWatcher } from './volume-watcher.js';

/** Seams for tests and embedding; all optional. */
export interface ResourceMonitorDeps {
  /** Loads the memory source. @default per `memorySource`: /proc/meminfo on Linux, else a lazy `import('systeminformation')` */
  loadSystemInformation?: SystemInformationLoader;
  /** Clock in ms. @default Date.now */
  now?: () => number;
  /** Where the cgroup files are. @default the real /sys/fs/cgroup and /proc/self/cgroup */
  cgroup?: CgroupPaths;
  /** @default fs.promises.statfs */
  statfs?: StatFs;
  /** Device id of a path. @default `fs.promises.stat(path).dev` */
  deviceOf?: DeviceOf;
  /** Summed CPU ticks of all cores. @default from os.cpus() */
  cpuTimes?: () => CpuTimes;
  /** Told once, the first time a sample degrades. @default the diagnostics sink (one stderr line) */
  onFirstDegraded?: (reason: string) => void;
}

type SystemMemory = Awaited<ReturnType<SystemInformationPort['mem']>>;

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
  private readonly loop: EventLoopProbe;
  private readonly systemCpu: SystemCpuMeter;
  private readonly processCpu: ProcessCpuMeter;
  private si: Promise<SystemInformationPort> | undefined;
  private snapshot: ResourceSnapshot | undefined;
  private snapshotJsonCache: JsonObject = {};
  /** The sample's JSON without its braces: what errorTimeResourcesJson() starts from. */
  private snapshotJsonText = '';
  private trajectoryJson: JsonObject | undefined;
  private trajectoryJsonText = '';
  private limits: Promise<ContainerLimits | undefined> | undefined;
  private containerLimits: ContainerLimits | undefined;
  private sampleTimer: NodeJS.Timeout | undefined;
  private trajectoryTimer: NodeJS.Timeout | undefined;
  private sampling: Promise<ResourceSnapshot> | undefined;

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
    this.loop = new EventLoopProbe(this.options.eventLoopResolutionMs);
    this.systemCpu = new SystemCpuMeter(deps.cpuTimes);
    this.processCpu = new ProcessCpuMeter(this.now());
    const h = this.options.heapSnapshots;
    this.heapSnapshotter = h.enabled ? new HeapSnapshotter(h, { now: this.now }) : undefined;
  }

  /** Starts the background timers (full mode, enabled only); idempotent; never throws. */
  start(): void {
    if (!this.options.enabled || this.options.mode === 'light' || this.sampleTimer !== undefined) return;
    try {
      this.loop.start();
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

  /** Stops the timers and the event-loop probe; idempotent. */
  stop(): void {
    clearInterval(this.sampleTimer);
    clearInterval(this.trajectoryTimer);
    this.sampleTimer = undefined;
    this.trajectoryTimer = undefined;
    this.loop.stop();
  }

  /** The latest background sample, if one finished. */
  latest(): ResourceSnapshot | undefined {
    return this.snapshot;
  }

  /**
   * The newest trajectory sample (every `trajectoryIntervalMs`, off the error path), for
   * `MemorySampler`'s background source.
   */
  processMemory(): ProcessSample | undefined {
    return this.trajectory.latest();
  }

  /** Container limits read at start, once that read finished. */
  container(): ContainerLimits | undefined {
    return this.containerLimits;
  }

  /**
   * Hot path, called for every error: builds `record.resources` from cached figures (the shape is
   * in docs/resources.md). No systeminformation call and no sync I/O; it may kick an async
   * refresh of the volume figures. `mode` overrides the configured mode for this call; ages are
   * relative to `at` (the error's time, which may be a little before this call).
   */
  errorTimeResources(mode: 'full' | 'light' = this.options.mode, at?: number): JsonObject {
    if (!this.options.enabled) return {};
    try {
      return mode === 'light' ? lightResources() : this.fullResources(at);
    } catch (e) {
      // A record without resources beats a lost record; say so once.
      reportInternalError('resources.errorTimeResources', e);
      return {};
    }
  }

  /**
   * `JSON.stringify(errorTimeResources(mode))`, byte for byte, assembled from strings cached per
   * sample: about a tenth of the cost of stringifying the object (measured 0.4 vs 4.5 µs under
   * load), for callers that need the text, such as a span event attribute or a line writer.
   */
  errorTimeResourcesJson(mode: 'full' | 'light' = this.options.mode, at?: number): string {
    if (!this.options.enabled) return '{}';
    try {
      return mode === 'light' ? JSON.stringify(lightResources()) : this.fullResourcesJson(at);
    } catch (e) {
      reportInternalError('resources.errorTimeResources', e);
      return '{}';
    }
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

  private fullResources(at?: number): JsonObject {
    const t = at ?? this.now();
    // The sample's part is built once per sample; arrays and objects in it are shared, never mutated.
    const out: JsonObject = Object.assign({}, this.snapshotJsonCache);
    const s = this.snapshot;
    if (s === undefined) out.sample_pending = true;
    else out.sample_age_ms = Math.max(0, t - s.at);
    const loopMax = this.loop.maxSinceWindow();
    if (loopMax !== undefined) out['nodejs.eventloop.delay.max_since_sample'] = loopMax;
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

  /** Same keys, same order and same number text as {@link fullResources}. */
  private fullResourcesJson(at?: number): string {
    const t = at ?? this.now();
    let json = `{${this.snapshotJsonText}`;
    const sep = () => (json.length > 1 ? ',' : '');
    const s = this.snapshot;
    json +=
      s === undefined ? `${sep()}"sample_pending":true` : `${sep()}"sample_age_ms":${Math.max(0, t - s.at)}`;
    const loopMax = this.loop.maxSinceWindow();
    if (loopMax !== undefined) json += `,"nodejs.eventloop.delay.max_since_sample":${loopMax}`;
    const vAt = this.volumes.at;
    if (vAt !== undefined) {
      json += `,"volumes":${this.volumes.latestJsonText()},"volumes_age_ms":${Math.max(0, t - vAt)}`;
    }
    this.volumes.kick();
    const trAt = this.trajectory.latestAt;
    if (this.trajectoryJson !== undefined && trAt !== undefined) {
      json += `,"memory.trajectory":${this.trajectoryJsonText},"memory.trajectory_age_ms":${Math.max(0, t - trAt)}`;
    }
    return `${json}}`;
  }

  private async takeSample(): Promise<ResourceSnapshot> {
    this.limits ??= readCgroupLimits(this.cgroupPaths).catch(() => undefined);
    const volumes = this.volumes.refresh();
    let mem: SystemMemory | undefined;
    let degradedReason: string | undefined;
    try {
      mem = await this.systemMemory();
    } catch (e) {
      degradedReason = reasonOf(e);
    }
    const limits = await this.limits;
    this.containerLimits = limits;
    const containerUsage =
      limits?.memoryUsageFile !== undefined ? await readCgroupMemoryUsage(limits.memoryUsageFile) : undefined;
    await volumes;
    const at = this.now();
    const systemCpu = this.systemCpu.next();
    const processCpu = this.processCpu.next(at, limits?.cpuLimit);
    const eventLoopDelay = this.loop.takeWindow();
    const snapshot: ResourceSnapshot = {
      at,
      degraded: degradedReason !== undefined,
      ...(degradedReason !== undefined ? { degradedReason } : {}),
      ...(systemCpu !== undefined ? { systemCpuUtilization: systemCpu } : {}),
      ...(processCpu !== undefined ? { processCpuUtilization: processCpu } : {}),
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
          : osSystemMemory(),
      ...(limits !== undefined ? { container: containerFigures(limits, containerUsage) } : {}),
      process: safeMemoryUsage(),
      ...(eventLoopDelay !== undefined ? { eventLoopDelay } : {}),
      volumes: this.volumes.latest(),
    };
    if (degradedReason !== undefined && this.degradedSamples++ === 0) this.onFirstDegraded(degradedReason);
    this.snapshot = snapshot;
    this.snapshotJsonCache = snapshotJson(snapshot);
    this.snapshotJsonText = JSON.stringify(this.snapshotJsonCache).slice(1, -1);
    return snapshot;
  }

  /** One memory-source call, each step raced against `timeoutMs`; throws the degraded reason. */
  private async systemMemory(): Promise<SystemMemory> {
    const { timeoutMs } = this.options;
    this.si ??= this.loader();
    const si = await withTimeout(this.si, timeoutMs, 'loading the memory source');
    const call = `${si.name ?? 'systeminformation'}.mem()`;
    const mem = await withTimeout(si.mem(), timeoutMs, call);
    if (!Number.isFinite(mem.total) || !(mem.total > 0) || !Number.isFinite(mem.available)) {
      throw new TypeError(`${call} returned no figures`);
    }
    return mem;
  }

  private pushTrajectory(): void {
    try {
      this.trajectory.push(this.now(), safeMemoryUsage());
      this.trajectoryJson = this.trajectory.toJSON();
      this.trajectoryJsonText = JSON.stringify(this.trajectoryJson);
    } catch (e) {
      // Runs on a timer: a throw here would be an uncaught exception in the host.
      reportInternalError('resources.trajectory', e);
    }
  }

  private safeNow(): number {
    try {
      return this.now();
    } catch {
      return Date.now();
    }
  }
}

function containerFigures(limits: ContainerLimits, usage: number | undefined): ResourceSnapshot['container'] {
  return {
    ...(limits.memoryLimit !== undefined ? { memoryLimit: limits.memoryLimit } : {}),
    ...(usage !== undefined ? { memoryUsage: usage } : {}),
    ...(limits.cpuLimit !== undefined ? { cpuLimit: limits.cpuLimit } : {}),
  };
}
