const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/**
 * Bucket widths a reader can take in at a glance, from a millisecond (a run that failed within a
 * second) to a week; each is a whole multiple of the one before, so buckets merge exactly.
 */
const WIDTHS = [
  1,
  2,
  10,
  20,
  100,
  200,
  SECOND,
  2 * SECOND,
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  7 * DAY,
];

function nextWidth(width: number): number {
  return WIDTHS.find((w) => w > width) ?? width * 2;
}

/**
 * Per-key counts over time in at most `maxBuckets` buckets whose width steps up (1 ms, 2 ms,
 * 10 ms … 1 min, 5 min … 1 day, 1 week, then doubling) whenever the time range seen so far no
 * longer fits. Records may arrive in any order (several workers'
 * files), so buckets are aligned to multiples of the width from the epoch rather than to the
 * first record; memory is bounded by keys × maxBuckets whatever the number of records.
 *
 * Each key is a row of `maxBuckets` counts in one typed array: bucket `i` sits at
 * `i mod maxBuckets`, which is unique while the range spans at most `maxBuckets` buckets (a map
 * per key cost a few KiB per fingerprint and an allocation per new bucket).
 */
export class AdaptiveTimeline {
  bucketMs: number;
  private minIndex = Number.POSITIVE_INFINITY;
  private maxIndex = Number.NEGATIVE_INFINITY;
  private readonly rows = new Map<string, number>();
  private cells: Uint32Array;

  constructor(private readonly maxBuckets = 120) {
    this.bucketMs = WIDTHS[0] as number;
    this.cells = new Uint32Array(maxBuckets * 16);
  }

  private slot(index: number): number {
    const n = this.maxBuckets;
    return ((index % n) + n) % n;
  }

  add(key: string, timeMs: number): void {
    if (!Number.isFinite(timeMs)) return;
    let index = Math.floor(timeMs / this.bucketMs);
    const lo = Math.min(this.minIndex, index);
    const hi = Math.max(this.maxIndex, index);
    if (hi - lo + 1 > this.maxBuckets) {
      this.widen(lo, hi);
      index = Math.floor(timeMs / this.bucketMs);
    }
    if (index < this.minIndex) this.minIndex = index;
    if (index > this.maxIndex) this.maxIndex = index;
    let row = this.rows.get(key);
    if (row === undefined) {
      row = this.rows.size;
      this.rows.set(key, row);
      if ((row + 1) * this.maxBuckets > this.cells.length) {
        const grown = new Uint32Array(this.cells.length * 2);
        grown.set(this.cells);
        this.cells = grown;
      }
    }
    const cell = row * this.maxBuckets + this.slot(index);
    this.cells[cell] = (this.cells[cell] as number) + 1;
  }

  private widen(lo: number, hi: number): void {
    let width = this.bucketMs;
    const span = (w: number) =>
      Math.floor((hi * this.bucketMs) / w) - Math.floor((lo * this.bucketMs) / w) + 1;
    do width = nextWidth(width);
    while (span(width) > this.maxBuckets);
    const factor = width / this.bucketMs;
    this.bucketMs = width;
    if (!Number.isFinite(this.minIndex)) return;
    const n = this.maxBuckets;
    const merged = new Uint32Array(this.cells.length);
    for (let row = 0; row < this.rows.size; row++) {
      for (let index = this.minIndex; index <= this.maxIndex; index++) {
        const count = this.cells[row * n + this.slot(index)] as number;
        if (count === 0) continue;
        const cell = row * n + this.slot(Math.floor(index / factor));
        merged[cell] = (merged[cell] as number) + count;
      }
    }
    this.cells = merged;
    this.minIndex = Math.floor(this.minIndex / factor);
    this.maxIndex = Math.floor(this.maxIndex / factor);
  }

  /** Start time in ms and number of buckets; null when nothing was added. */
  range(): { startMs: number; buckets: number } | null {
    if (!Number.isFinite(this.minIndex)) return null;
    return { startMs: this.minIndex * this.bucketMs, buckets: this.maxIndex - this.minIndex + 1 };
  }

  /** Dense counts of one key over {@link range}. */
  series(key: string): number[] {
    const range = this.range();
    if (range === null) return [];
    const out = new Array<number>(range.buckets).fill(0);
    const row = this.rows.get(key);
    if (row !== undefined) {
      for (let i = 0; i < range.buckets; i++) {
        out[i] = this.cells[row * this.maxBuckets + this.slot(this.minIndex + i)] as number;
      }
    }
    return out;
  }
}
