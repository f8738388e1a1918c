import { getHeapStatistics } from 'node:v8';
import type { MemorySnapshot } from '../record.js';

/** How old a process.memoryUsage() sample may be before the next error takes a new one. */
export const DEFAULT_MEMORY_SAMPLE_MAX_AGE_MS = 1000;

/** One process.memoryUsage() reading and the clock time (ms) it was taken. */
export interface ProcessSample {
  at: number;
  rss: number;
  external: number;
  arrayBuffers: number;
}

/**
 * Reads process memory at an error. V8's heap statistics cost ~0.13 µs and are read every time;
 * process.memoryUsage() costs ~7.4 µs (it reads /proc), so rss/external/arrayBuffers come from
 * a sample at most `maxAgeMs` old and the snapshot says how old. With a `background` source
 * (the resource monitor's trajectory, sampled every second off the error path), a fresh enough
 * background sample is used and the error path never calls process.memoryUsage() itself.
 */
export class MemorySampler {
  private sample: ProcessSample | undefined;
  /** The last snapshot and its millisecond: errors of one millisecond share the heap figures. */
  private last: MemorySnapshot | undefined;
  private lastAt = Number.NaN;

  constructor(
    private readonly maxAgeMs = DEFAULT_MEMORY_SAMPLE_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
    private readonly background?: () => ProcessSample | undefined,
  ) {}

  /**
   * The snapshot for an error at `t`: V8's heap statistics are read once per millisecond (a
   * storm of one millisecond shares them; 0.4 µs saved per error). Treat it as read-only.
   */
  snapshotAt(t: number): MemorySnapshot {
    if (t === this.lastAt && this.last !== undefined) return this.last;
    this.last = this.snapshot();
    this.lastAt = t;
    return this.last;
  }

  snapshot(): MemorySnapshot {
    const heap = getHeapStatistics();
    const snap: MemorySnapshot = {
      heapUsed: heap.used_heap_size,
      heapTotal: heap.total_heap_size,
      heapLimit: heap.heap_size_limit,
      heapUsedRatio: heap.heap_size_limit > 0 ? heap.used_heap_size / heap.heap_size_limit : 0,
    };
    const t = this.now();
    if (this.sample === undefined || t - this.sample.at > this.maxAgeMs) {
      const bg = this.backgroundSample();
      if (bg !== undefined && t - bg.at <= this.maxAgeMs) this.sample = bg;
      else this.refresh(t);
    }
    const s = this.sample;
    if (s !== undefined) {
      snap.rss = s.rss;
      snap.external = s.external;
      snap.arrayBuffers = s.arrayBuffers;
      snap.sampleAgeMs = Math.max(0, t - s.at);
    }
    return snap;
  }

  private backgroundSample(): ProcessSample | undefined {
    try {
      return this.background?.();
    } catch {
      return undefined;
    }
  }

  private refresh(t: number): void {
    try {
      const m = process.memoryUsage();
      this.sample = { at: t, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers };
    } catch {
      // memoryUsage() can throw EMFILE when fds run out; keep the old sample, if any.
    }
  }
}
