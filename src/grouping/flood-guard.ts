import { BoundedMap } from './bounded-map.js';

/**
 * The opt-in store guard for error storms: every occurrence of a fingerprint is kept until it
 * passes a rate (`maxPerWindow` per `windowMs`); past it occurrences are only counted ("folded")
 * until the window ends, apart from one every `sampleEvery` kept as an exemplar.
 */

export interface FloodGuardOptions {
  /** Occurrences of one fingerprint kept per window. @default 100 */
  maxPerWindow?: number;
  /** Window length, ms. @default 60000 */
  windowMs?: number;
  /** Past the rate, still keep one occurrence in this many (0: none). @default 0 */
  sampleEvery?: number;
  /** Fingerprints tracked; the least recently seen is forgotten past it. @default 10000 */
  maxFingerprints?: number;
}

export const DEFAULT_FLOOD_GUARD_OPTIONS = {
  maxPerWindow: 100,
  windowMs: 60_000,
  sampleEvery: 0,
  maxFingerprints: 10_000,
} as const;

export interface ResolvedFloodGuardOptions {
  maxPerWindow: number;
  windowMs: number;
  sampleEvery: number;
  maxFingerprints: number;
}

function check(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${name} must be a number`);
  if (value < min) throw new RangeError(`${name} must be at least ${min}, got ${value}`);
  return Math.floor(value);
}

/** Validates flood guard options and fills in the defaults. */
export function resolveFloodGuardOptions(options: FloodGuardOptions = {}): ResolvedFloodGuardOptions {
  const d = DEFAULT_FLOOD_GUARD_OPTIONS;
  return {
    maxPerWindow: check('maxPerWindow', options.maxPerWindow, d.maxPerWindow, 1),
    windowMs: check('windowMs', options.windowMs, d.windowMs, 1),
    sampleEvery: check('sampleEvery', options.sampleEvery, d.sampleEvery, 0),
    maxFingerprints: check('maxFingerprints', options.maxFingerprints, d.maxFingerprints, 1),
  };
}

interface Window {
  start: number;
  kept: number;
  overflow: number;
  folded: number;
}

/** Per-fingerprint rate guard for the store; folded counts are exact in total, per fingerprint while tracked. */
export class FloodGuard {
  readonly options: ResolvedFloodGuardOptions;
  private readonly windows: BoundedMap<string, Window>;
  private total = 0;

  constructor(options: FloodGuardOptions = {}) {
    this.options = resolveFloodGuardOptions(options);
    this.windows = new BoundedMap(this.options.maxFingerprints);
  }

  /** True when this occurrence goes to the store; false when it is only counted. */
  admit(fingerprint: string, now: number): boolean {
    const w =
      this.windows.use(fingerprint) ??
      this.windows.set(fingerprint, { start: now, kept: 0, overflow: 0, folded: 0 });
    if (now - w.start >= this.options.windowMs || now < w.start) {
      w.start = now;
      w.kept = 0;
      w.overflow = 0;
    }
    if (w.kept < this.options.maxPerWindow) {
      w.kept++;
      return true;
    }
    w.overflow++;
    const every = this.options.sampleEvery;
    if (every > 0 && w.overflow % every === 0) return true;
    w.folded++;
    this.total++;
    return false;
  }

  /** Occurrences folded (counted, not stored) since construction. */
  get foldedTotal(): number {
    return this.total;
  }

  /** Occurrences of one fingerprint folded, while it is tracked. */
  foldedFor(fingerprint: string): number {
    return this.windows.get(fingerprint)?.folded ?? 0;
  }
}
