import { BoundedMap } from './bounded-map.js';

/**
 * Exact-repeat detection over a time window: an error whose fingerprint, message and stack are
 * identical to one seen within `windowMs` is a repeat. Sentry's client-side dedup compares an
 * event with the previous one only, so A B A B… never dedups; this looks back over the window.
 */

export interface DedupWindowOptions {
  /** How far back an identical error makes this one a repeat, ms. @default 60000 */
  windowMs?: number;
  /** Distinct errors remembered (LRU). @default 10000 */
  maxEntries?: number;
}

export const DEFAULT_DEDUP_WINDOW_OPTIONS = { windowMs: 60_000, maxEntries: 10_000 } as const;

export interface ResolvedDedupWindowOptions {
  windowMs: number;
  maxEntries: number;
}

/** Validates dedup window options and fills in the defaults. */
export function resolveDedupWindowOptions(options: DedupWindowOptions = {}): ResolvedDedupWindowOptions {
  const windowMs = options.windowMs ?? DEFAULT_DEDUP_WINDOW_OPTIONS.windowMs;
  const maxEntries = options.maxEntries ?? DEFAULT_DEDUP_WINDOW_OPTIONS.maxEntries;
  if (typeof windowMs !== 'number' || !(windowMs > 0))
    throw new RangeError(`windowMs must be > 0, got ${windowMs}`);
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }
  return { windowMs, maxEntries };
}

/** What {@link DedupWindow.check} says about one error. */
export interface DedupResult {
  /** True when an identical error was seen within the window. */
  repeat: boolean;
  /** Identical errors in the current run, this one included (1 for the first). */
  repeats: number;
  /** Clock time (ms) of the first error of the run. */
  firstAt: number;
}

interface Run {
  firstAt: number;
  lastAt: number;
  repeats: number;
}

/** 32-bit FNV-1a over UTF-16 units: cheap, allocation-free; paired with the fingerprint it only has to separate stacks of one group. */
function fnv1a(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The identity of an exact repeat: fingerprint, message and stack trace. */
export function dedupKey(fingerprint: string, message: string, stacktrace = ''): string {
  return `${fingerprint}:${fnv1a(stacktrace, fnv1a(message)).toString(16)}:${message.length}`;
}

/** Remembers recent distinct errors and says whether one is an exact repeat within the window. */
export class DedupWindow {
  readonly options: ResolvedDedupWindowOptions;
  private readonly runs: BoundedMap<string, Run>;
  private repeatCount = 0;

  constructor(options: DedupWindowOptions = {}) {
    this.options = resolveDedupWindowOptions(options);
    this.runs = new BoundedMap(this.options.maxEntries);
  }

  /** Registers an error under `key` (see {@link dedupKey}) at `now` and says whether it repeats one. */
  check(key: string, now: number): DedupResult {
    const run = this.runs.get(key);
    if (run !== undefined && now - run.lastAt < this.options.windowMs && now >= run.lastAt) {
      run.lastAt = now;
      run.repeats++;
      this.runs.use(key);
      this.repeatCount++;
      return { repeat: true, repeats: run.repeats, firstAt: run.firstAt };
    }
    this.runs.set(key, { firstAt: now, lastAt: now, repeats: 1 });
    return { repeat: false, repeats: 1, firstAt: now };
  }

  /** Repeats found since construction. */
  get repeatsTotal(): number {
    return this.repeatCount;
  }
}
