/**
 * Per-fingerprint aggregation behind `getErrorStats()`: counts, first and last seen, phases,
 * videos, processes and hosts, the last few context samples, one full exemplar, and heap use at
 * error time. Bounded: an LRU cap on fingerprints (evictions counted) and caps on every set.
 */
import type { ErrorRecord } from '../record.js';
import { NO_ROUTE, routeOf } from '../record-dimensions.js';
import { BoundedMap } from './bounded-map.js';
import type { ContextSample, ErrorGroup, ErrorStats } from './error-stats.js';
import type { FloodGuard } from './flood-guard.js';
import type { PatternWarning } from './pattern-warning.js';
import { TemplateMiner } from './template-miner.js';

export type { ContextSample, ErrorGroup, ErrorStats, HeapUseSummary } from './error-stats.js';

export interface ErrorAggregatorOptions {
  /** Fingerprints tracked; past it the least recently seen go first (approximately, see BoundedMap). @default 10000 */
  maxFingerprints?: number;
  /** Entries in `mostFrequent`. @default 10 */
  topN?: number;
  /** Context samples kept per fingerprint (the latest). @default 3 */
  maxSamples?: number;
  /** Distinct video hashes, processes and phases remembered per fingerprint. @default 100 */
  maxDistinct?: number;
  /** Pattern warnings kept for `stats().patterns` (the latest). @default 100 */
  maxPatterns?: number;
  /** A store flood guard whose folded counts the stats show. */
  floodGuard?: FloodGuard;
  /** Template miner for similar fingerprints; one with defaults when absent. */
  templateMiner?: TemplateMiner;
}

export const DEFAULT_ERROR_AGGREGATOR_OPTIONS = {
  maxFingerprints: 10_000,
  topN: 10,
  maxSamples: 3,
  maxDistinct: 100,
  maxPatterns: 100,
} as const;

export interface ResolvedErrorAggregatorOptions {
  maxFingerprints: number;
  topN: number;
  maxSamples: number;
  maxDistinct: number;
  maxPatterns: number;
}

function positiveInt(name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new TypeError(`${name} must be an integer`);
  if (value < min) throw new RangeError(`${name} must be at least ${min}, got ${value}`);
  return value;
}

/** Validates aggregator options and fills in the defaults. */
export function resolveErrorAggregatorOptions(
  options: ErrorAggregatorOptions = {},
): ResolvedErrorAggregatorOptions {
  const d = DEFAULT_ERROR_AGGREGATOR_OPTIONS;
  return {
    maxFingerprints: positiveInt('maxFingerprints', options.maxFingerprints, d.maxFingerprints),
    topN: positiveInt('topN', options.topN, d.topN, 0),
    maxSamples: positiveInt('maxSamples', options.maxSamples, d.maxSamples, 0),
    maxDistinct: positiveInt('maxDistinct', options.maxDistinct, d.maxDistinct),
    maxPatterns: positiveInt('maxPatterns', options.maxPatterns, d.maxPatterns, 0),
  };
}

interface Entry {
  record: ErrorRecord;
  count: number;
  lastSeen: string;
  phases: Set<string>;
  videos: Set<string>;
  videosCapped: boolean;
  processes: Set<string>;
  hosts: Set<string>;
  samples: ContextSample[];
  heapMin: number;
  heapMax: number;
  heapSum: number;
  heapN: number;
}

/** Keys past this many in `byPhase`, `byCategory`, `byType` and `byRoute` are counted under `other`. */
export const MAX_BREAKDOWN_KEYS = 200;
const NONE = 'unknown';

function bump(map: Map<string, number>, key: string): void {
  const n = map.get(key);
  if (n !== undefined) map.set(key, n + 1);
  else if (map.size < MAX_BREAKDOWN_KEYS) map.set(key, 1);
  else map.set('other', (map.get('other') ?? 0) + 1);
}

function addBounded(set: Set<string>, value: string, cap: number): boolean {
  if (set.has(value)) return true;
  if (set.size >= cap) return false;
  set.add(value);
  return true;
}

/** Aggregates error records per fingerprint, with an LRU cap on fingerprints. */
export class ErrorAggregator {
  readonly options: ResolvedErrorAggregatorOptions;
  private readonly entries: BoundedMap<string, Entry>;
  private readonly byPhase = new Map<string, number>();
  private readonly byCategory = new Map<string, number>();
  private readonly byRoute = new Map<string, number>();
  private readonly byType = new Map<string, number>();
  private readonly patterns: PatternWarning[] = [];
  private readonly floodGuard: FloodGuard | undefined;
  private readonly miner: TemplateMiner;
  private total = 0;
  private lastPid = -1;
  private lastHost = '';
  private lastProcessKey = '';

  constructor(options: ErrorAggregatorOptions = {}) {
    this.options = resolveErrorAggregatorOptions(options);
    this.floodGuard = options.floodGuard;
    this.miner = options.templateMiner ?? new TemplateMiner();
    this.entries = new BoundedMap(this.options.maxFingerprints, (fp) => this.miner.remove(fp));
  }

  /**
   * Counts a record and returns the occurrence number of its fingerprint (1 for the first, or
   * for the first after an eviction). `record.occurrence` is not read.
   */
  observe(record: ErrorRecord): number {
    this.total++;
    const fp = record.fingerprint;
    let e = this.entries.use(fp);
    if (e === undefined) {
      e = this.entries.set(fp, {
        record,
        count: 0,
        lastSeen: record.time,
        phases: new Set(),
        videos: new Set(),
        videosCapped: false,
        processes: new Set(),
        hosts: new Set(),
        samples: [],
        heapMin: Number.POSITIVE_INFINITY,
        heapMax: Number.NEGATIVE_INFINITY,
        heapSum: 0,
        heapN: 0,
      });
      this.miner.add(record.messageTemplate ?? record.exception.message, fp);
    }
    e.count++;
    e.lastSeen = record.time;
    this.track(e, record);
    bump(this.byPhase, record.phase ?? NONE);
    bump(this.byCategory, record.classification?.category ?? NONE);
    bump(this.byType, record.exception.type);
    if (record.request !== undefined) {
      const route = routeOf(record);
      if (route !== NO_ROUTE) bump(this.byRoute, route);
    }
    return e.count;
  }

  /** Occurrences counted so far for `fingerprint` (0 when not tracked); counts nothing. */
  count(fingerprint: string): number {
    return this.entries.get(fingerprint)?.count ?? 0;
  }

  /** Keeps pattern warnings for `stats().patterns` (the latest `maxPatterns`). */
  notePatterns(warnings: readonly PatternWarning[]): void {
    const max = this.options.maxPatterns;
    for (const w of warnings) this.patterns.push(w);
    if (this.patterns.length > max) this.patterns.splice(0, this.patterns.length - max);
  }

  /** Everything kept about one fingerprint, or undefined when not tracked. */
  group(fingerprint: string): ErrorGroup | undefined {
    const e = this.entries.get(fingerprint);
    return e === undefined ? undefined : this.summarize(fingerprint, e);
  }

  /** The aggregate statistics; `mostFrequent` holds the top `topN` fingerprints by count. */
  stats(): ErrorStats {
    const top: Array<[string, Entry]> = [];
    const n = this.options.topN;
    if (n > 0) {
      for (const pair of this.entries.entries()) {
        if (top.length < n) {
          top.push(pair);
          if (top.length === n) top.sort((a, b) => b[1].count - a[1].count);
        } else if (pair[1].count > top[n - 1]![1].count) {
          top[n - 1] = pair;
          top.sort((a, b) => b[1].count - a[1].count);
        }
      }
      top.sort((a, b) => b[1].count - a[1].count);
    }
    return {
      totalErrors: this.total,
      uniqueErrors: this.entries.size,
      mostFrequent: top.map(([fp, e]) => this.summarize(fp, e)),
      byPhase: Object.fromEntries(this.byPhase),
      byCategory: Object.fromEntries(this.byCategory),
      byType: Object.fromEntries(this.byType),
      byRoute: Object.fromEntries(this.byRoute),
      patterns: this.patterns.slice(),
      evicted: this.entries.evicted,
      folded: this.floodGuard?.foldedTotal ?? 0,
      similar: this.miner.similarGroups(),
    };
  }

  private track(e: Entry, r: ErrorRecord): void {
    const cap = this.options.maxDistinct;
    if (r.phase !== undefined) addBounded(e.phases, r.phase, cap);
    if (r.videoHash !== undefined && !addBounded(e.videos, r.videoHash, cap)) e.videosCapped = true;
    const p = r.process;
    if (p !== undefined) {
      // One process writes nearly all records an aggregator sees: build its key once.
      if (p.pid !== this.lastPid || p.hostname !== this.lastHost) {
        this.lastPid = p.pid;
        this.lastHost = p.hostname;
        this.lastProcessKey = `${p.pid}@${p.hostname}`;
      }
      addBounded(e.processes, this.lastProcessKey, cap);
      addBounded(e.hosts, p.hostname, cap);
    }
    const ratio = r.memory?.heapUsedRatio;
    if (typeof ratio === 'number' && Number.isFinite(ratio)) {
      if (ratio < e.heapMin) e.heapMin = ratio;
      if (ratio > e.heapMax) e.heapMax = ratio;
      e.heapSum += ratio;
      e.heapN++;
    }
    const max = this.options.maxSamples;
    if (max > 0) {
      const sample: ContextSample = { id: r.id, time: r.time };
      if (r.phase !== undefined) sample.phase = r.phase;
      if (r.videoHash !== undefined) sample.videoHash = r.videoHash;
      if (r.context !== undefined) sample.context = r.context;
      if (e.samples.length >= max) e.samples.shift();
      e.samples.push(sample);
    }
  }

  private summarize(fingerprint: string, e: Entry): ErrorGroup {
    const r = e.record;
    const group: ErrorGroup = {
      fingerprint,
      fingerprintVersion: r.fingerprintVersion,
      count: e.count,
      type: r.exception.type,
      message: r.exception.message,
      template: r.messageTemplate ?? r.exception.message,
      category: r.classification?.category ?? NONE,
      firstSeen: r.time,
      lastSeen: e.lastSeen,
      phases: [...e.phases],
      videos: e.videos.size,
      videosCapped: e.videosCapped,
      videoHashes: [...e.videos].slice(0, 10),
      processes: e.processes.size,
      hosts: [...e.hosts],
      samples: e.samples.slice(),
      exemplar: r,
      folded: this.floodGuard?.foldedFor(fingerprint) ?? 0,
      similar: this.miner.similarTo(fingerprint),
    };
    if (e.heapN > 0) group.heapUse = { min: e.heapMin, mean: e.heapSum / e.heapN, max: e.heapMax };
    return group;
  }
}
