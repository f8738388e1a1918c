/** Thresholds of the pattern detector: options with documented defaults, and their validation. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface PatternDetectorOptions {
  /** Clock, ms since the epoch. @default Date.now */
  now?: () => number;
  /** One fingerprint `count` times within `windowMs`. @default { count: 10, windowMs: 600000 } */
  recurring?: { count?: number; windowMs?: number } | false;
  /**
   * A rate far above its own moving baseline, per fingerprint and over all errors: the count in
   * the current `bucketMs` reaches `factor` × the baseline (an exponentially weighted mean of past
   * buckets, weight `alpha`) and at least `minCount`, after `minHistoryBuckets` buckets of history.
   * @default { bucketMs: 60000, factor: 5, minCount: 10, minHistoryBuckets: 5, alpha: 0.2, windowMs: 600000 }
   */
  spike?:
    | {
        bucketMs?: number;
        factor?: number;
        minCount?: number;
        minHistoryBuckets?: number;
        alpha?: number;
        windowMs?: number;
      }
    | false;
  /** A fingerprint first seen after `warmupMs` from start (or from seeded history). @default { warmupMs: 300000 } */
  new?: { warmupMs?: number } | false;
  /** A fingerprint back after `quietMs` without it, also across restarts via `seed()`. @default { quietMs: 21600000 } */
  regression?: { quietMs?: number } | false;
  /** One fingerprint failing `videos` distinct videos within `windowMs`. @default { videos: 5, windowMs: 1800000 } */
  systemic?: { videos?: number; windowMs?: number } | false;
  /**
   * One video with `errors` errors, or errors in `phases` phases, within `windowMs`, not
   * counting fingerprints that are systemic at the time. @default { errors: 10, phases: 3, windowMs: 1800000 }
   */
  inputSpecific?: { errors?: number; phases?: number; windowMs?: number } | false;
  /** `count` errors within `windowMs` with heap use ≥ `heapRatio` of the heap limit. @default { heapRatio: 0.85, count: 5, windowMs: 300000 } */
  memoryPressure?: { heapRatio?: number; count?: number; windowMs?: number } | false;
  /**
   * `count` errors within `windowMs` while CPU, memory or disk utilization is at or above its
   * threshold. @default { cpu: 0.9, memory: 0.95, disk: 0.95, count: 5, windowMs: 300000 }
   */
  resourceCorrelated?:
    | { cpu?: number; memory?: number; disk?: number; count?: number; windowMs?: number }
    | false;
  /** Fingerprints and videos tracked per pattern (LRU). @default 10000 */
  maxTracked?: number;
}

export const DEFAULT_PATTERN_DETECTOR_OPTIONS = {
  recurring: { count: 10, windowMs: 10 * MINUTE },
  spike: {
    bucketMs: MINUTE,
    factor: 5,
    minCount: 10,
    minHistoryBuckets: 5,
    alpha: 0.2,
    windowMs: 10 * MINUTE,
  },
  new: { warmupMs: 5 * MINUTE },
  regression: { quietMs: 6 * HOUR },
  systemic: { videos: 5, windowMs: 30 * MINUTE },
  inputSpecific: { errors: 10, phases: 3, windowMs: 30 * MINUTE },
  memoryPressure: { heapRatio: 0.85, count: 5, windowMs: 5 * MINUTE },
  resourceCorrelated: { cpu: 0.9, memory: 0.95, disk: 0.95, count: 5, windowMs: 5 * MINUTE },
  maxTracked: 10_000,
} as const;

type Defaults = typeof DEFAULT_PATTERN_DETECTOR_OPTIONS;
type Numbers<T> = { -readonly [K in keyof T]: number };

/** Options with defaults filled in; a disabled pattern is `undefined`. */
export interface ResolvedPatternDetectorOptions {
  now: () => number;
  recurring: Numbers<Defaults['recurring']> | undefined;
  spike: Numbers<Defaults['spike']> | undefined;
  new: Numbers<Defaults['new']> | undefined;
  regression: Numbers<Defaults['regression']> | undefined;
  systemic: Numbers<Defaults['systemic']> | undefined;
  inputSpecific: Numbers<Defaults['inputSpecific']> | undefined;
  memoryPressure: Numbers<Defaults['memoryPressure']> | undefined;
  resourceCorrelated: Numbers<Defaults['resourceCorrelated']> | undefined;
  maxTracked: number;
}

/** Keys whose values are ratios (0..1]; the others are positive numbers, counts integers ≥ 1. */
const RATIOS = new Set(['alpha', 'heapRatio', 'cpu', 'memory', 'disk']);
const COUNTS = new Set(['count', 'minCount', 'videos', 'errors', 'phases']);

function section<T extends Record<string, number>>(
  name: string,
  given: Partial<Record<keyof T, number>> | false | undefined,
  defaults: T,
): Numbers<T> | undefined {
  if (given === false) return undefined;
  if (given !== undefined && (given === null || typeof given !== 'object')) {
    throw new TypeError(`patterns.${name} must be an object or false`);
  }
  const out = { ...defaults } as Record<string, number>;
  for (const [key, value] of Object.entries(given ?? {})) {
    if (!(key in defaults)) throw new TypeError(`patterns.${name}.${key} is not an option`);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new TypeError(`patterns.${name}.${key} must be a finite number`);
    }
    const ok = RATIOS.has(key)
      ? value > 0 && value <= 1
      : COUNTS.has(key)
        ? Number.isInteger(value) && value >= 1
        : key === 'minHistoryBuckets'
          ? Number.isInteger(value) && value >= 0
          : value > 0;
    if (!ok) throw new RangeError(`patterns.${name}.${key} is out of range: ${value}`);
    out[key] = value;
  }
  return out as Numbers<T>;
}

/** Validates the pattern detector options and fills in the defaults. */
export function resolvePatternDetectorOptions(
  options: PatternDetectorOptions = {},
): ResolvedPatternDetectorOptions {
  const d = DEFAULT_PATTERN_DETECTOR_OPTIONS;
  if (options.now !== undefined && typeof options.now !== 'function')
    throw new TypeError('now must be a function');
  const maxTracked = options.maxTracked ?? d.maxTracked;
  if (!Number.isInteger(maxTracked) || maxTracked < 1) {
    throw new RangeError(`maxTracked must be a positive integer, got ${maxTracked}`);
  }
  return {
    now: options.now ?? Date.now,
    recurring: section('recurring', options.recurring, d.recurring),
    spike: section('spike', options.spike, d.spike),
    new: section('new', options.new, d.new),
    regression: section('regression', options.regression, d.regression),
    systemic: section('systemic', options.systemic, d.systemic),
    inputSpecific: section('inputSpecific', options.inputSpecific, d.inputSpecific),
    memoryPressure: section('memoryPressure', options.memoryPressure, d.memoryPressure),
    resourceCorrelated: section('resourceCorrelated', options.resourceCorrelated, d.resourceCorrelated),
    maxTracked,
  };
}
