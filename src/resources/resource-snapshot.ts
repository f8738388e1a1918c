/** Free and total bytes of the filesystem that holds one watched path. */
export interface VolumeUsage {
  /** The watched path (store dir, cwd or tmpdir), absolute. */
  readonly path: string;
  /** Bytes of the filesystem. */
  readonly total: number;
  /** Bytes an unprivileged process may still write (`bavail`). */
  readonly available: number;
  /** Bytes free including the root reserve (`bfree`). */
  readonly free: number;
  /** Clock time (ms) of the `statfs` that produced these figures. */
  readonly at: number;
  /** `stat(path).dev`, when known: paths with the same device share a filesystem. */
  readonly device?: number;
}

/** Container limits from cgroup v1 or v2, read once at start. */
export interface ContainerLimits {
  readonly cgroupVersion: 1 | 2;
  /** memory.max / memory.limit_in_bytes, bytes; absent when unlimited. */
  readonly memoryLimit?: number;
  /** cpu.max / cfs_quota_us ÷ cfs_period_us, in cores; absent when unlimited. */
  readonly cpuLimit?: number;
  /** File to read the container's current memory usage from, in the background. */
  readonly memoryUsageFile?: string;
}

/** One background resource sample: what `ResourceMonitor.latest()` returns. */
export interface ResourceSnapshot {
  /** Clock time (ms) the sample was taken. */
  readonly at: number;
  /** True when systeminformation failed or timed out and `os`/`process` figures stand in. */
  readonly degraded: boolean;
  readonly degradedReason?: string;
  /** System CPU utilization 0..1 over the last interval, from os.cpus() tick deltas. */
  readonly systemCpuUtilization?: number;
  /** This process's CPU utilization 0..1 of the CPUs it may use (process.cpuUsage() deltas). */
  readonly processCpuUtilization?: number;
  /** os.loadavg(): 1, 5 and 15 minutes. */
  readonly loadAverage: readonly [number, number, number];
  readonly memory: {
    readonly total: number;
    readonly used: number;
    readonly available: number;
    readonly free: number;
    readonly swapTotal?: number;
    readonly swapUsed?: number;
  };
  readonly container?: {
    readonly memoryLimit?: number;
    readonly memoryUsage?: number;
    readonly cpuLimit?: number;
  };
  readonly process: {
    readonly rss: number;
    readonly heapUsed: number;
    readonly heapTotal: number;
    readonly external: number;
    readonly arrayBuffers: number;
  };
  /** Event-loop delay over the last interval, ms. */
  readonly eventLoopDelay?: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly volumes: readonly VolumeUsage[];
}
