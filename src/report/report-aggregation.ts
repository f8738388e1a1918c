/**
 * The documented structure of a report's aggregation: what the JSON report is, what the HTML
 * report embeds and what `stats` prints. Everything is plain JSON. Counts are exact; lists that
 * could grow with the number of records (videos, services, samples) are capped, and a `…Capped`
 * flag or a separate count says when a cap was hit. See `docs/reports.md`.
 */
import type {
  Breadcrumb,
  ExceptionCause,
  JsonObject,
  MemorySnapshot,
  RequestInfo,
  Severity,
  SourceContextFrame,
} from '../record.js';

/** Value of {@link ReportAggregation.schema}; bumped on any change a reader must know about. */
export const REPORT_SCHEMA = 'error-insight.report/1';

/** Where the records came from and how many lines were unusable. */
export interface ReportSourceSummary {
  kind: 'store' | 'otlp' | 'records';
  /** Files read (store JSONL files or OTLP JSON files). */
  files: number;
  /** Lines read from files; 0 for in-memory records. */
  lines: number;
  /** Lines that could not be parsed or did not hold a usable record (corrupt, truncated, unknown schema, missing fields). */
  corruptLines: number;
  /** Records dropped because their id was already seen (replays, span event + log record). */
  duplicates: number;
  /** Records cut short because they nested deeper than 64 levels (the deeper values read `[depth limit]`). */
  shortenedRecords?: number;
}

/** One error sample: a full occurrence kept for the per-error detail. */
export interface ReportSample {
  id: string;
  time: string;
  service: string;
  host: string;
  pid: number;
  phase?: string;
  videoHash?: string;
  /** `service.version` of the record. */
  release?: string;
  environment?: string;
  /** The HTTP request of the record (see the record format). */
  request?: RequestInfo;
  type: string;
  message: string;
  code?: string;
  stacktrace?: string;
  causes?: ExceptionCause[];
  /** The lines around the in-app frames, when the record has them. */
  sourceContext?: SourceContextFrame[];
  context?: JsonObject;
  memory: MemorySnapshot;
  resources?: JsonObject;
  trace?: { traceId: string; spanId: string };
  /** The events before the error in its async context, oldest first. */
  breadcrumbs?: Breadcrumb[];
  /** Milliseconds from the start of the phase to this error, when the record tells. */
  phaseElapsedMs?: number;
  /** Fullest disk (0..1) in the resource snapshot at the error. */
  diskUsedRatio?: number;
  /** System memory in use (0..1) in the resource snapshot at the error. */
  systemMemoryUsedRatio?: number;
}

/** Min/mean/max of a figure over a group's occurrences that carried it. */
export interface ReportStat {
  count: number;
  min: number;
  max: number;
  mean: number;
}

/** One fingerprint: every occurrence of "the same error". */
export interface ReportGroup {
  fingerprint: string;
  /** The algorithm that made `fingerprint` (docs/grouping.md): groups of two versions never merge. */
  fingerprintVersion?: string;
  /** Stored occurrences. */
  count: number;
  /** Further occurrences the writer's flood guard counted but did not store. */
  folded?: number;
  firstSeen: string;
  lastSeen: string;
  type: string;
  /** The message of the first occurrence. */
  message: string;
  messageTemplate?: string;
  category: string;
  subcategory?: string;
  severity: Severity;
  retryable: boolean;
  suggestion: string;
  /** Occurrences per phase; records without a phase count under `"(none)"`. */
  phases: Record<string, number>;
  /** Occurrences per route (`GET /videos/:id`); records without a request count under `"(none)"`. */
  routes: Record<string, number>;
  /** Occurrences per release (`service.version`), in the report's release order (oldest first); empty when no record names one. */
  releases: ReportReleaseCount[];
  /** Distinct `environment` values of its records. */
  environments: string[];
  /**
   * First seen in the newest release while older ones are in the records, or (with no releases)
   * first seen in the last 24 h of the records when they go back further than that.
   */
  isNew: boolean;
  /** Seen again in `release` after `skipped`, a release newer than `after`, had none of it. */
  regressed?: { release: string; after: string; skipped: string };
  /** Occurrences in equal bins of `timeline.trendBucketMs` from `timeline.start`: a sparkline. */
  trend: number[];
  /** Distinct videos affected (exact up to the cap, then a lower bound with `videosCapped`). */
  videos: number;
  videosCapped: boolean;
  /** Up to 20 video hashes, in order of first appearance. */
  videoSample: string[];
  services: string[];
  hosts: string[];
  /** Error codes (`ENOENT`…) and their counts. */
  codes: Record<string, number>;
  /** V8 heap in use at the error, bytes. */
  heapUsed: ReportStat;
  /** heapUsed / heap limit at the error, 0..1. */
  heapUsedRatio: ReportStat;
  /** Process RSS at the error, bytes, when recorded. */
  rss?: ReportStat;
  /** Highest disk use (0..1) of any disk in the resource snapshot at the error. */
  diskUsedRatio?: ReportStat;
  /** System memory in use (0..1) in the resource snapshot at the error. */
  systemMemoryUsedRatio?: ReportStat;
  /** Milliseconds from phase start to the failure, when records tell. */
  phaseElapsedMs?: ReportStat;
  /** Fingerprints whose message templates look alike (same type, similar tokens). */
  similar: string[];
  /** The first occurrences and the latest one. */
  samples: ReportSample[];
}

/** Occurrences of one release. */
export interface ReportReleaseCount {
  release: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

/** A pattern warning, folded: how often it fired and when last. */
export interface ReportPatternWarning {
  type: string;
  message: string;
  fingerprint?: string;
  phase?: string;
  count: number;
  lastSeen: string;
}

/** Counts over time: one series per top fingerprint, the rest folded into `other`. */
export interface ReportTimeline {
  /**
   * Bucket width in milliseconds, the smallest readable width (1, 2, 10, 20, 100, 200 ms, 1, 2,
   * 10, 30 s, 1, 5, 15, 30 min, 1, 3, 6, 12 h, 1 day, 1 week, then doubling) that fits the range.
   */
  bucketMs: number;
  /** Width of a bin of each group's `trend`: a whole number of buckets. */
  trendBucketMs: number;
  /** ISO time of the first bucket's start; null when there are no records. */
  start: string | null;
  /** Total per bucket. */
  total: number[];
  series: { fingerprint: string; counts: number[] }[];
  other: number[];
}

/** The aggregation of a set of error records: the JSON report. */
export interface ReportAggregation {
  schema: typeof REPORT_SCHEMA;
  title: string;
  generatedAt: string;
  source: ReportSourceSummary;
  filters: { since?: string; until?: string; phase?: string; category?: string; fingerprint?: string };
  totals: {
    records: number;
    /** Occurrences counted but not stored by the writer's flood guard. */
    folded: number;
    fingerprints: number;
    /** Distinct videos (exact up to 100,000, then a lower bound with `videosCapped`). */
    videos: number;
    videosCapped: boolean;
    firstSeen: string | null;
    lastSeen: string | null;
  };
  bySeverity: Record<string, number>;
  byPhase: { phase: string; count: number; fingerprints: number }[];
  byCategory: { category: string; count: number; fingerprints: number }[];
  byService: { service: string; count: number }[];
  /** Per route (`GET /videos/:id`), most frequent first; `"(none)"` counts records without one. */
  byRoute: { route: string; count: number; fingerprints: number }[];
  /** Per release (`service.version`), oldest first; with `newFingerprints` first seen in it and `regressions` that came back in it. */
  byRelease: {
    release: string;
    count: number;
    fingerprints: number;
    newFingerprints: number;
    regressions: number;
    firstSeen: string;
    lastSeen: string;
  }[];
  /** Per `environment`, most frequent first; records without one are not counted here. */
  byEnvironment: { environment: string; count: number }[];
  /** Phase × category counts: `counts[i][j]` for `phases[i]` and `categories[j]`. */
  heatmap: { phases: string[]; categories: string[]; counts: number[][] };
  timeline: ReportTimeline;
  patterns: ReportPatternWarning[];
  /** All groups, most frequent first. */
  groups: ReportGroup[];
}
