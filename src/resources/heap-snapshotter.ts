import { chmodSync, mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import {
  type HeapSnapshotOptions,
  type ResolvedHeapSnapshotOptions,
  resolveResourceOptions,
} from './resource-options.js';

/** Seams for tests; all optional. */
export interface HeapSnapshotterDeps {
  /** @default Date.now */
  now?: () => number;
  /** Writes a snapshot to `file` and returns its size in bytes. @default v8.writeHeapSnapshot */
  write?: (file: string) => number;
  /** Bytes of V8 heap in use, to predict the snapshot's size. @default v8.getHeapStatistics().used_heap_size */
  heapUsed?: () => number;
}

/** What the snapshotter did so far. */
export interface HeapSnapshotterStats {
  written: number;
  skippedRateLimited: number;
  skippedBudget: number;
  failed: number;
  /** Bytes of snapshots in the directory, as far as the snapshotter knows. */
  bytesOnDisk: number;
}

const SUFFIX = '.heapsnapshot';
// Remembered fingerprints are capped so a storm of distinct memory errors cannot grow the map.
const MAX_TRACKED_FINGERPRINTS = 1024;
// A snapshot file measured 1.6-2.2× the used heap here; start high, then learn from real writes.
const INITIAL_SIZE_FACTOR = 2.5;

function defaultWrite(file: string): number {
  writeHeapSnapshot(file);
  return statSync(file).size;
}

/**
 * Writes an opt-in heap snapshot when a memory-related error is recorded: at most one per
 * fingerprint per period, and never past the disk budget. Writing a snapshot blocks the process
 * for roughly a second per 100 MB of heap, which is why it is opt-in and rate-limited. Files are
 * 0600 in a 0700 directory: a heap holds every secret the process knows.
 */
export class HeapSnapshotter {
  readonly options: ResolvedHeapSnapshotOptions;
  readonly stats: HeapSnapshotterStats = {
    written: 0,
    skippedRateLimited: 0,
    skippedBudget: 0,
    failed: 0,
    bytesOnDisk: 0,
  };
  private readonly now: () => number;
  private readonly write: (file: string) => number;
  private readonly heapUsed: () => number;
  private readonly lastByFingerprint = new Map<string, number>();
  private readonly categories: ReadonlySet<string>;
  private scanned = false;
  private sizeFactor = INITIAL_SIZE_FACTOR;
  private seq = 0;

  constructor(options?: HeapSnapshotOptions | ResolvedHeapSnapshotOptions, deps: HeapSnapshotterDeps = {}) {
    this.options = resolveResourceOptions({ heapSnapshots: options as HeapSnapshotOptions }).heapSnapshots;
    this.categories = new Set(this.options.categories);
    this.now = deps.now ?? Date.now;
    this.write = deps.write ?? defaultWrite;
    this.heapUsed = deps.heapUsed ?? (() => getHeapStatistics().used_heap_size);
  }

  /** True when errors of this classification category may get a snapshot. */
  isMemoryCategory(category: string): boolean {
    return this.categories.has(category.toLowerCase());
  }

  /**
   * Writes a snapshot for this error if it is memory-related, enabled, not rate-limited and within
   * budget; returns the file path written, else undefined. Never throws.
   */
  maybeWrite(fingerprint: string, category: string): string | undefined {
    if (!this.options.enabled || !this.isMemoryCategory(category)) return undefined;
    const t = this.now();
    const last = this.lastByFingerprint.get(fingerprint);
    if (last !== undefined && t - last < this.options.perFingerprintPeriodMs) {
      this.stats.skippedRateLimited++;
      return undefined;
    }
    try {
      this.scanOnce();
      const predicted = this.heapUsed() * this.sizeFactor;
      if (this.stats.bytesOnDisk + predicted > this.options.maxBytes) {
        this.stats.skippedBudget++;
        return undefined;
      }
      this.remember(fingerprint, t);
      const file = join(this.options.dir, this.fileName(fingerprint, t));
      const heapAtWrite = this.heapUsed();
      const size = this.write(file);
      if (heapAtWrite > 0) this.sizeFactor = Math.max(this.sizeFactor, (size / heapAtWrite) * 1.1);
      if (this.stats.bytesOnDisk + size > this.options.maxBytes) {
        // The prediction was low: take the file back so the budget holds on disk.
        unlinkSync(file);
        this.stats.skippedBudget++;
        return undefined;
      }
      chmodSync(file, 0o600);
      this.stats.bytesOnDisk += size;
      this.stats.written++;
      return file;
    } catch {
      this.stats.failed++;
      return undefined;
    }
  }

  private remember(fingerprint: string, t: number): void {
    this.lastByFingerprint.delete(fingerprint);
    this.lastByFingerprint.set(fingerprint, t);
    if (this.lastByFingerprint.size > MAX_TRACKED_FINGERPRINTS) {
      const oldest = this.lastByFingerprint.keys().next().value;
      if (oldest !== undefined) this.lastByFingerprint.delete(oldest);
    }
  }

  /** Counts snapshots already in the directory (from earlier runs) against the budget, once. */
  private scanOnce(): void {
    if (this.scanned) return;
    mkdirSync(this.options.dir, { recursive: true, mode: 0o700 });
    let bytes = 0;
    for (const name of readdirSync(this.options.dir)) {
      if (!name.endsWith(SUFFIX)) continue;
      try {
        bytes += statSync(join(this.options.dir, name)).size;
      } catch {
        // Removed between readdir and stat: nothing to count.
      }
    }
    this.stats.bytesOnDisk = bytes;
    this.scanned = true;
  }

  private fileName(fingerprint: string, t: number): string {
    const fp = fingerprint.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32);
    const time = new Date(t).toISOString().replace(/[:.]/g, '-');
    return `heap-${time}-${process.pid}-${++this.seq}-${fp}${SUFFIX}`;
  }
}
