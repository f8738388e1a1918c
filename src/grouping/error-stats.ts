/** What the aggregator reports: per-fingerprint groups and the stats behind `getErrorStats()`. */
import type { ErrorRecord, JsonObject } from '../record.js';
import type { PatternWarning } from './pattern-warning.js';
import type { SimilarGroup } from './template-miner.js';

/** One recent occurrence's context, kept per fingerprint. */
export interface ContextSample {
  id: string;
  time: string;
  phase?: string;
  videoHash?: string;
  context?: JsonObject;
}

/** Heap use (heapUsed / heapLimit) at error time over a fingerprint's occurrences. */
export interface HeapUseSummary {
  min: number;
  mean: number;
  max: number;
}

/** Everything kept about one fingerprint. */
export interface ErrorGroup {
  fingerprint: string;
  fingerprintVersion: string;
  count: number;
  type: string;
  /** The message of the first occurrence. */
  message: string;
  template: string;
  category: string;
  firstSeen: string;
  lastSeen: string;
  phases: string[];
  /** Distinct video hashes seen (counting stops at `maxDistinct`, see `videosCapped`). */
  videos: number;
  videosCapped: boolean;
  /** Up to 10 of the video hashes. */
  videoHashes: string[];
  /** Distinct `pid@hostname` and hostnames. */
  processes: number;
  hosts: string[];
  samples: ContextSample[];
  /** The first occurrence, in full. */
  exemplar: ErrorRecord;
  heapUse?: HeapUseSummary;
  /** Occurrences the flood guard kept out of the store. */
  folded: number;
  /** Other fingerprints with the same message template. */
  similar: string[];
}

/** What `getErrorStats()` returns (the engine adds the store's dropped counts). */
export interface ErrorStats {
  totalErrors: number;
  /** Fingerprints tracked now (at most `maxFingerprints`). */
  uniqueErrors: number;
  mostFrequent: ErrorGroup[];
  byPhase: Record<string, number>;
  byCategory: Record<string, number>;
  byType: Record<string, number>;
  /** Errors of HTTP requests per route (`GET /videos/:id`); records of no request are not counted here. */
  byRoute: Record<string, number>;
  patterns: PatternWarning[];
  /** Fingerprints evicted from the LRU; one seen again restarts its count at 1. */
  evicted: number;
  /** Occurrences the flood guard counted but kept out of the store. */
  folded: number;
  /** Message templates shared by several fingerprints. */
  similar: SimilarGroup[];
}
