import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Opt-in heap snapshots for memory-related errors. */
export interface HeapSnapshotOptions {
  /** Write a heap snapshot when a memory-related error is recorded. @default false */
  enabled?: boolean;
  /** Directory for `.heapsnapshot` files; the engine passes one next to the store. @default `<os.tmpdir()>/error-insight-heap-snapshots` */
  dir?: string;
  /** At most one snapshot per fingerprint per this period. @default 600000 (10 min) */
  perFingerprintPeriodMs?: number;
  /** Disk budget for all snapshots in `dir`, bytes. @default 536870912 (512 MiB) */
  maxBytes?: number;
  /** Classification categories (compared lower-case) that count as memory-related; the classifier files heap, worker, system and media out-of-memory errors under `memory`. @default ['memory'] */
  categories?: string[];
}

/** How error-insight watches memory and system resources. */
export interface ResourceOptions {
  /** Sample in the background and attach resources to records. @default true */
  enabled?: boolean;
  /** Background sample interval (systeminformation, cgroup usage, volumes, event loop), ms. @default 15000 */
  intervalMs?: number;
  /** Paths whose filesystem to watch; the engine passes the store dir. `process.cwd()` and `os.tmpdir()` are always added. @default [] */
  volumes?: string[];
  /** A systeminformation call slower than this marks the snapshot degraded, ms. @default 2000 */
  timeoutMs?: number;
  /**
   * Where system memory comes from. `auto`: /proc/meminfo on Linux (the file systeminformation
   * reads there), a lazy `import('systeminformation')` elsewhere; `systeminformation`: always the
   * library. The first import of systeminformation blocks the event loop for 80-115 ms (measured).
   * @default 'auto'
   */
  memorySource?: 'auto' | 'systeminformation';
  /** `light`: V8 heap-space statistics only, for performance-sensitive phases; no background timer. @default 'full' */
  mode?: 'full' | 'light';
  /** Interval of the memory trajectory samples (rss, heapUsed, external, arrayBuffers), ms. @default 1000 */
  trajectoryIntervalMs?: number;
  /** How many trajectory samples a record carries (at most 120). @default 10 */
  trajectoryLength?: number;
  /**
   * Period of the event-loop delay probe, ms; 0 turns it off. Stalls longer than this are always
   * seen, shorter ones in proportion. Measured idle cost: 2.6 ms CPU/s at 20 ms, 0.5 ms CPU/s at 100 ms.
   * @default 100
   */
  eventLoopResolutionMs?: number;
  /** Opt-in heap snapshots for memory-related errors. */
  heapSnapshots?: HeapSnapshotOptions;
}

/** {@link HeapSnapshotOptions} with every default applied. */
export interface ResolvedHeapSnapshotOptions {
  readonly enabled: boolean;
  readonly dir: string;
  readonly perFingerprintPeriodMs: number;
  readonly maxBytes: number;
  readonly categories: readonly string[];
}

/** {@link ResourceOptions} with every default applied. */
export interface ResolvedResourceOptions {
  readonly enabled: boolean;
  readonly intervalMs: number;
  /** Absolute, deduplicated; the configured ones first, then cwd and tmpdir. */
  readonly volumes: readonly string[];
  readonly timeoutMs: number;
  readonly mode: 'full' | 'light';
  readonly memorySource: 'auto' | 'systeminformation';
  readonly trajectoryIntervalMs: number;
  readonly trajectoryLength: number;
  readonly eventLoopResolutionMs: number;
  readonly heapSnapshots: ResolvedHeapSnapshotOptions;
}

/** Defaults of {@link ResourceOptions}. */
export const DEFAULT_RESOURCE_OPTIONS = {
  enabled: true,
  intervalMs: 15_000,
  timeoutMs: 2_000,
  mode: 'full',
  memorySource: 'auto',
  trajectoryIntervalMs: 1_000,
  trajectoryLength: 10,
  eventLoopResolutionMs: 100,
} as const;

/** Records carry the whole trajectory, so its length is capped to keep lines small. */
export const MAX_TRAJECTORY_LENGTH = 120;

/** Defaults of {@link HeapSnapshotOptions} (`dir` is resolved at call time from `os.tmpdir()`). */
export const DEFAULT_HEAP_SNAPSHOT_OPTIONS = {
  enabled: false,
  perFingerprintPeriodMs: 600_000,
  maxBytes: 512 * 1024 * 1024,
  categories: ['memory'],
} as const;

function positiveInt(name: string, value: unknown, fallback: number, min = 1, max = 2_147_483_647): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`resources.${name} must be an integer, got ${String(value)}`);
  }
  // setTimeout clamps delays above 2^31-1 ms to 1 ms, which would turn a sampler into a busy loop.
  if (value < min || value > max) {
    throw new RangeError(`resources.${name} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function bool(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new TypeError(`resources.${name} must be a boolean, got ${String(value)}`);
  return value;
}

function resolveHeapSnapshotOptions(o: HeapSnapshotOptions | undefined): ResolvedHeapSnapshotOptions {
  const h = o ?? {};
  if (typeof h !== 'object') throw new TypeError('resources.heapSnapshots must be an object');
  if (h.dir !== undefined && (typeof h.dir !== 'string' || h.dir === '')) {
    throw new TypeError('resources.heapSnapshots.dir must be a non-empty string');
  }
  const categories = h.categories ?? DEFAULT_HEAP_SNAPSHOT_OPTIONS.categories;
  if (!Array.isArray(categories) || categories.some((c) => typeof c !== 'string')) {
    throw new TypeError('resources.heapSnapshots.categories must be an array of strings');
  }
  return Object.freeze({
    enabled: bool('heapSnapshots.enabled', h.enabled, DEFAULT_HEAP_SNAPSHOT_OPTIONS.enabled),
    dir: resolve(h.dir ?? join(tmpdir(), 'error-insight-heap-snapshots')),
    perFingerprintPeriodMs: positiveInt(
      'heapSnapshots.perFingerprintPeriodMs',
      h.perFingerprintPeriodMs,
      DEFAULT_HEAP_SNAPSHOT_OPTIONS.perFingerprintPeriodMs,
      0,
    ),
    maxBytes: positiveInt(
      'heapSnapshots.maxBytes',
      h.maxBytes,
      DEFAULT_HEAP_SNAPSHOT_OPTIONS.maxBytes,
      0,
      Number.MAX_SAFE_INTEGER,
    ),
    categories: Object.freeze(categories.map((c) => c.toLowerCase())),
  });
}

/** Validates {@link ResourceOptions} and applies the defaults; bad values throw `TypeError`/`RangeError`. */
export function resolveResourceOptions(options?: ResourceOptions): ResolvedResourceOptions {
  const o = options ?? {};
  if (typeof o !== 'object' || o === null) throw new TypeError('resources options must be an object');
  const mode = o.mode ?? DEFAULT_RESOURCE_OPTIONS.mode;
  if (mode !== 'full' && mode !== 'light') {
    throw new RangeError(`resources.mode must be 'full' or 'light', got ${String(mode)}`);
  }
  const memorySource = o.memorySource ?? DEFAULT_RESOURCE_OPTIONS.memorySource;
  if (memorySource !== 'auto' && memorySource !== 'systeminformation') {
    throw new RangeError(
      `resources.memorySource must be 'auto' or 'systeminformation', got ${String(memorySource)}`,
    );
  }
  const configured = o.volumes ?? [];
  if (!Array.isArray(configured) || configured.some((v) => typeof v !== 'string' || v === '')) {
    throw new TypeError('resources.volumes must be an array of non-empty strings');
  }
  const volumes = [...new Set([...configured, process.cwd(), tmpdir()].map((v) => resolve(v)))];
  return Object.freeze({
    enabled: bool('enabled', o.enabled, DEFAULT_RESOURCE_OPTIONS.enabled),
    intervalMs: positiveInt('intervalMs', o.intervalMs, DEFAULT_RESOURCE_OPTIONS.intervalMs),
    volumes: Object.freeze(volumes),
    timeoutMs: positiveInt('timeoutMs', o.timeoutMs, DEFAULT_RESOURCE_OPTIONS.timeoutMs),
    mode,
    memorySource,
    trajectoryIntervalMs: positiveInt(
      'trajectoryIntervalMs',
      o.trajectoryIntervalMs,
      DEFAULT_RESOURCE_OPTIONS.trajectoryIntervalMs,
    ),
    trajectoryLength: positiveInt(
      'trajectoryLength',
      o.trajectoryLength,
      DEFAULT_RESOURCE_OPTIONS.trajectoryLength,
      1,
      MAX_TRAJECTORY_LENGTH,
    ),
    eventLoopResolutionMs: positiveInt(
      'eventLoopResolutionMs',
      o.eventLoopResolutionMs,
      DEFAULT_RESOURCE_OPTIONS.eventLoopResolutionMs,
      0,
    ),
    heapSnapshots: resolveHeapSnapshotOptions(o.heapSnapshots),
  });
}
