/**
 * Streaming aggregation of error records into a {@link ReportAggregation}. One pass, any
 * order; memory grows with the number of distinct fingerprints (each group holds capped sets,
 * a few samples and its timeline buckets), never with the number of records.
 */
import type { ErrorRecord } from '../record.js';
import { environmentOf, releaseOf, routeOf } from '../record-dimensions.js';
import { AdaptiveTimeline } from './adaptive-timeline.js';
import { CappedSet, countCapped } from './capped-set.js';
import { GroupAccumulator, type GroupHistory, MAX_NAMES, MAX_PHASES } from './group-accumulator.js';
import { type ReleaseCount, ReleaseCounts, type ReleaseVerdict, releaseVerdict } from './release-history.js';
import {
  REPORT_SCHEMA,
  type ReportAggregation,
  type ReportGroup,
  type ReportPatternWarning,
  type ReportSourceSummary,
} from './report-aggregation.js';
import { findSimilarTemplates } from './similar-templates.js';

/** Key under which records without a phase are counted. */
export const NO_PHASE = '(none)';
const MAX_VIDEOS_TOTAL = 100_000;
const MAX_PATTERN_KINDS = 200;
const TIMELINE_SERIES = 8;
/** Bins of each group's sparkline at most. */
const TREND_BINS = 24;
/** A group first seen this close to the newest record is "new" (when the records go back further). */
const NEW_WINDOW_MS = 24 * 3600_000;

/** Sums of `factor` consecutive counts. */
function rebin(counts: number[], factor: number): number[] {
  if (factor === 1) return counts;
  const out = new Array<number>(Math.ceil(counts.length / factor)).fill(0);
  for (let i = 0; i < counts.length; i++) {
    const j = Math.floor(i / factor);
    out[j] = (out[j] ?? 0) + (counts[i] ?? 0);
  }
  return out;
}

/** A pattern warning as a detector reports it; only these fields are read. */
export interface PatternWarningLike {
  type?: string;
  kind?: string;
  message?: string;
  fingerprint?: string;
  phase?: string;
}

/**
 * Something that turns records into pattern warnings, such as the grouping's PatternDetector;
 * `timeMs` is `Date.parse(record.time)`.
 */
export type PatternObserver = (record: ErrorRecord, timeMs: number) => readonly PatternWarningLike[];

/** A breakdown entry: occurrences, distinct fingerprints and, per phase, the heat map's row. */
interface Breakdown {
  count: number;
  fingerprints: Set<string>;
  /** Phases only: counts per folded category name. */
  heat: Map<string, number>;
}

/**
 * An aggregation whose groups are built one at a time on request, so a renderer can write
 * 10,000 groups without holding all their results at once.
 */
export interface StreamedAggregation {
  /** The aggregation with `groups` empty. */
  head: ReportAggregation;
  /** Number of groups `groups()` yields. */
  groupCount: number;
  /** The groups, most frequent first; at most `limit`. */
  groups(limit?: number): Generator<ReportGroup>;
}

/** What {@link ReportAggregator.result} is told about the report besides the records. */
export interface AggregationMeta {
  title: string;
  source: ReportSourceSummary;
  filters?: ReportAggregation['filters'];
}

/** Folds records one at a time; call {@link ReportAggregator.result} once at the end. */
export class ReportAggregator {
  private readonly groups = new Map<string, GroupAccumulator>();
  private readonly timeline = new AdaptiveTimeline();
  private readonly videos = new CappedSet(MAX_VIDEOS_TOTAL);
  private readonly videoNames = new Map<string, string>();
  private readonly bySeverity = new Map<string, number>();
  private readonly byPhase = new Map<string, Breakdown>();
  private readonly byCategory = new Map<string, Breakdown>();
  private readonly byService = new Map<string, number>();
  private readonly byRoute = new Map<string, Breakdown>();
  private readonly releases = new ReleaseCounts();
  private readonly releaseFingerprints = new Map<string, Set<string>>();
  private readonly byEnvironment = new Map<string, number>();
  private readonly patterns = new Map<string, ReportPatternWarning>();
  private records = 0;
  private folded = 0;
  private firstMs = Number.POSITIVE_INFINITY;
  private lastMs = Number.NEGATIVE_INFINITY;
  private firstSeen: string | null = null;
  private lastSeen: string | null = null;

  constructor(private readonly observePatterns?: PatternObserver) {}

  /**
   * Adds one record; `timeMs` is `Date.parse(record.time)`, when the caller has it already, and
   * `line` the store line the record is exactly the parse of, when it has one (kept for samples
   * instead of the record).
   */
  add(record: ErrorRecord, timeMs = Date.parse(record.time), line?: string): void {
    const fingerprint = record.fingerprint;
    const phase = record.phase ?? NO_PHASE;
    const category = record.classification.category;
    this.records++;
    if (typeof record.foldedBefore === 'number' && record.foldedBefore > 0)
      this.folded += record.foldedBefore;
    if (timeMs < this.firstMs) {
      this.firstMs = timeMs;
      this.firstSeen = record.time;
    }
    if (timeMs > this.lastMs) {
      this.lastMs = timeMs;
      this.lastSeen = record.time;
    }
    let group = this.groups.get(fingerprint);
    if (group === undefined) {
      group = new GroupAccumulator(record);
      this.groups.set(fingerprint, group);
    }
    const video = this.internVideo(record.videoHash);
    const route = this.bumpSet(this.byRoute, routeOf(record), fingerprint, MAX_PHASES).key;
    // The report's own fold of releases into `(other)` is the one the groups count under, so a
    // group's occurrences of a release past the cap stay in the report's order.
    const named = releaseOf(record);
    const release = named === undefined ? undefined : this.releases.add(named, timeMs);
    group.add(record, timeMs, phase, video, route, release, line);
    if (release !== undefined) {
      let fps = this.releaseFingerprints.get(release);
      if (fps === undefined) {
        fps = new Set();
        this.releaseFingerprints.set(release, fps);
      }
      fps.add(fingerprint);
    }
    const environment = environmentOf(record);
    if (environment !== undefined) countCapped(this.byEnvironment, environment, MAX_NAMES);
    this.timeline.add(fingerprint, timeMs);
    this.videos.add(video);
    this.bump(this.bySeverity, record.classification.severity);
    countCapped(this.byService, record.service.name, MAX_NAMES);
    const phaseEntry = this.bumpSet(this.byPhase, phase, fingerprint, MAX_PHASES);
    const categoryKey = this.bumpSet(this.byCategory, category, fingerprint, MAX_PHASES).key;
    // Keyed by the folded names, so the heat map adds up to the breakdowns, "(other)" included;
    // bounded by them too (at most (MAX_PHASES + 1)² cells).
    this.bump(phaseEntry.entry.heat, categoryKey);
    if (this.observePatterns !== undefined) this.addPatterns(record, timeMs);
  }
  /**
   * One string per video for all groups: each record parses its own copy of the hash, and the
   * groups' video sets would otherwise keep a copy per group (10,000 groups × 100 videos).
   */
  private internVideo(video: string | undefined): string | undefined {
    if (video === undefined) return undefined;
    const known = this.videoNames.get(video);
    if (known !== undefined) return known;
    if (this.videoNames.size < MAX_VIDEOS_TOTAL) this.videoNames.set(video, video);
    return video;
  }

  private bump(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  private bumpSet(
    map: Map<string, Breakdown>,
    key: string,
    fingerprint: string,
    cap: number,
  ): { key: string; entry: Breakdown } {
    let entry = map.get(key);
    if (entry === undefined) {
      if (map.size >= cap) key = '(other)';
      entry = map.get(key) ?? { count: 0, fingerprints: new Set(), heat: new Map() };
      map.set(key, entry);
    }
    entry.count++;
    entry.fingerprints.add(fingerprint);
    return { key, entry };
  }

  private addPatterns(record: ErrorRecord, timeMs: number): void {
    let warnings: readonly PatternWarningLike[];
    try {
      warnings = this.observePatterns?.(record, timeMs) ?? [];
    } catch {
      return;
    }
    for (const w of warnings) {
      const type = String(w.type ?? w.kind ?? 'pattern');
      const key = `${type}\u0000${w.fingerprint ?? ''}\u0000${w.phase ?? ''}`;
      const existing = this.patterns.get(key);
      if (existing !== undefined) {
        existing.count++;
        existing.message = String(w.message ?? existing.message);
        if (record.time > existing.lastSeen) existing.lastSeen = record.time;
      } else if (this.patterns.size < MAX_PATTERN_KINDS) {
        const folded: ReportPatternWarning = {
          type,
          message: String(w.message ?? type),
          count: 1,
          lastSeen: record.time,
        };
        if (w.fingerprint !== undefined) folded.fingerprint = w.fingerprint;
        if (w.phase !== undefined) folded.phase = w.phase;
        this.patterns.set(key, folded);
      }
    }
  }

  /** The aggregation of everything added so far. */
  result(meta: AggregationMeta): ReportAggregation {
    const streamed = this.streamedResult(meta);
    return { ...streamed.head, groups: [...streamed.groups()] };
  }

  /** {@link result} with the groups built on request. */
  streamedResult(meta: AggregationMeta): StreamedAggregation {
    const groups = [...this.groups.entries()].sort(
      (a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1),
    );
    const similar = findSimilarTemplates(
      groups.map(([fingerprint, g]) => ({
        fingerprint,
        type: g.first.type,
        template: g.first.messageTemplate ?? g.first.message,
      })),
    );
    const phases = [...this.byPhase.entries()].sort((a, b) => b[1].count - a[1].count);
    const categories = [...this.byCategory.entries()].sort((a, b) => b[1].count - a[1].count);
    const range = this.timeline.range();
    const top = groups.slice(0, TIMELINE_SERIES).map(([fingerprint]) => fingerprint);
    const series = top.map((fingerprint) => ({ fingerprint, counts: this.timeline.series(fingerprint) }));
    const total = new Array<number>(range?.buckets ?? 0).fill(0);
    for (const [fingerprint] of groups) {
      const counts = this.timeline.series(fingerprint);
      for (let i = 0; i < counts.length; i++) total[i] = (total[i] ?? 0) + (counts[i] ?? 0);
    }
    const other = total.map((t, i) => t - series.reduce((sum, s) => sum + (s.counts[i] ?? 0), 0));
    const trendFactor = Math.max(1, Math.ceil(total.length / TREND_BINS));
    const releaseOrder = this.releases.ordered();
    const newCutoff =
      this.lastMs - this.firstMs > NEW_WINDOW_MS ? this.lastMs - NEW_WINDOW_MS : Number.POSITIVE_INFINITY;
    const verdicts = new Map<string, ReleaseVerdict>();
    const releaseNews = new Map<string, number>();
    const releaseRegressions = new Map<string, number>();
    for (const [fingerprint, g] of groups) {
      const verdict = releaseVerdict(g.releases, releaseOrder);
      verdicts.set(fingerprint, verdict);
      const firstRelease = releaseOrder.find((r) => g.releases.byRelease.has(r));
      if (firstRelease !== undefined) this.bump(releaseNews, firstRelease);
      if (verdict.regressed !== undefined) this.bump(releaseRegressions, verdict.regressed.release);
    }
    const timeline = this.timeline;
    const historyOf = (fingerprint: string, g: GroupAccumulator): GroupHistory => {
      const verdict = verdicts.get(fingerprint);
      return {
        releaseOrder,
        isNew: verdict?.newInRelease === true || g.firstMs >= newCutoff,
        regressed: verdict?.regressed,
        trend: rebin(timeline.series(fingerprint), trendFactor),
      };
    };
    const head: ReportAggregation = {
      schema: REPORT_SCHEMA,
      title: meta.title,
      generatedAt: new Date().toISOString(),
      source: meta.source,
      filters: meta.filters ?? {},
      totals: {
        records: this.records,
        folded: this.folded,
        fingerprints: this.groups.size,
        videos: this.videos.size,
        videosCapped: this.videos.capped,
        firstSeen: this.firstSeen,
        lastSeen: this.lastSeen,
      },
      bySeverity: Object.fromEntries(this.bySeverity),
      byPhase: phases.map(([phase, e]) => ({ phase, count: e.count, fingerprints: e.fingerprints.size })),
      byCategory: categories.map(([category, e]) => ({
        category,
        count: e.count,
        fingerprints: e.fingerprints.size,
      })),
      byService: [...this.byService.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([service, count]) => ({ service, count })),
      byRoute: [...this.byRoute.entries()]
        .sort((a, b) => b[1].count - a[1].count)
        .map(([route, e]) => ({ route, count: e.count, fingerprints: e.fingerprints.size })),
      byRelease: releaseOrder.map((release) => {
        const r = this.releases.byRelease.get(release) as ReleaseCount;
        return {
          release,
          count: r.count,
          fingerprints: this.releaseFingerprints.get(release)?.size ?? 0,
          newFingerprints: releaseNews.get(release) ?? 0,
          regressions: releaseRegressions.get(release) ?? 0,
          firstSeen: new Date(r.firstMs).toISOString(),
          lastSeen: new Date(r.lastMs).toISOString(),
        };
      }),
      byEnvironment: [...this.byEnvironment.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([environment, count]) => ({ environment, count })),
      heatmap: {
        phases: phases.map(([p]) => p),
        categories: categories.map(([c]) => c),
        counts: phases.map(([, e]) => categories.map(([c]) => e.heat.get(c) ?? 0)),
      },
      timeline: {
        bucketMs: this.timeline.bucketMs,
        trendBucketMs: this.timeline.bucketMs * trendFactor,
        start: range === null ? null : new Date(range.startMs).toISOString(),
        total,
        series,
        other,
      },
      patterns: [...this.patterns.values()].sort((a, b) => b.count - a.count),
      groups: [],
    };
    return {
      head,
      groupCount: groups.length,
      *groups(limit = groups.length) {
        for (const [fingerprint, g] of groups.slice(0, limit)) {
          yield g.result(fingerprint, similar.get(fingerprint) ?? [], historyOf(fingerprint, g));
        }
      },
    };
  }
}
