/**
 * Recognizes patterns in the stream of error records and returns each as an early warning:
 * recurring, spike, new, regression, systemic, input-specific, memory pressure and
 * resource-correlated. It only detects; the engine turns warnings into a stderr line, a span
 * event and the `onPattern` callback. A warning of one kind about one subject is returned at
 * most once per that pattern's window. All state is bounded (`maxTracked` fingerprints and videos).
 */
import type { ErrorRecord } from '../record.js';
import { BoundedMap, TimeRing } from './bounded-map.js';
import {
  type PatternDetectorOptions,
  type ResolvedPatternDetectorOptions,
  resolvePatternDetectorOptions,
} from './pattern-options.js';
import {
  addVideoEvent,
  countInRate,
  describe,
  due,
  type FingerprintState,
  iso,
  minutes,
  newFingerprintState,
  newRate,
  type RateState,
  tallyVideoErrors,
  type VideoState,
} from './pattern-state.js';
import type { PatternKind, PatternWarning } from './pattern-warning.js';
import { readResourceSaturation } from './resource-saturation.js';

export type { PatternDetectorOptions } from './pattern-options.js';
export type { PatternKind, PatternWarning } from './pattern-warning.js';

const RESOURCE_NAMES = ['cpu', 'memory', 'disk'] as const;
type ResourceName = (typeof RESOURCE_NAMES)[number];

const NEVER = Number.NEGATIVE_INFINITY;

/** Detects error patterns; `observe` returns only warnings not returned before in their window. */
export class PatternDetector {
  readonly options: ResolvedPatternDetectorOptions;
  private readonly startedAt: number;
  private warmupFrom: number;
  private readonly fingerprints: BoundedMap<string, FingerprintState>;
  private readonly videos: BoundedMap<string, VideoState>;
  private readonly globalRate: RateState;
  private globalSpikeWarnedAt = NEVER;
  private readonly pressure: TimeRing | undefined;
  private pressureWarnedAt = NEVER;
  private readonly saturated = new Map<ResourceName, { ring: TimeRing; warnedAt: number }>();

  constructor(options: PatternDetectorOptions = {}) {
    this.options = resolvePatternDetectorOptions(options);
    const cap = this.options.maxTracked;
    this.startedAt = this.options.now();
    this.warmupFrom = this.startedAt;
    this.fingerprints = new BoundedMap(cap);
    this.videos = new BoundedMap(cap);
    this.globalRate = newRate(this.startedAt);
    const mp = this.options.memoryPressure;
    this.pressure = mp === undefined ? undefined : new TimeRing(mp.count);
  }

  /**
   * Learns from earlier records (the store, read at start): their fingerprints are not "new",
   * and one that comes back after `regression.quietMs` is a regression across the restart. When
   * the history spans the warm-up period, the warm-up counts as done.
   */
  seed(records: Iterable<ErrorRecord>): void {
    const span = { earliest: Number.POSITIVE_INFINITY, latest: Number.NEGATIVE_INFINITY };
    try {
      for (const r of records) this.learn(r, span);
    } catch {
      // A failing reader leaves what was read so far.
    }
    this.endSeed(span);
  }

  /** {@link seed} from an async source, such as the store reader. Never rejects. */
  async seedAsync(records: AsyncIterable<ErrorRecord>): Promise<void> {
    const span = { earliest: Number.POSITIVE_INFINITY, latest: Number.NEGATIVE_INFINITY };
    try {
      for await (const r of records) this.learn(r, span);
    } catch {
      // A failing reader leaves what was read so far.
    }
    this.endSeed(span);
  }

  private learn(r: ErrorRecord, span: { earliest: number; latest: number }): void {
    const t = Date.parse(r?.time);
    if (!Number.isFinite(t) || typeof r.fingerprint !== 'string') return;
    const prev = this.fingerprints.get(r.fingerprint);
    if (prev === undefined) this.fingerprints.set(r.fingerprint, newFingerprintState(t));
    else if (t > prev.lastSeen) prev.lastSeen = t;
    if (t < span.earliest) span.earliest = t;
    if (t > span.latest) span.latest = t;
  }

  private endSeed(span: { earliest: number; latest: number }): void {
    const warmup = this.options.new?.warmupMs ?? 0;
    if (span.latest - span.earliest >= warmup) {
      this.warmupFrom = Math.min(this.warmupFrom, this.startedAt - warmup);
    }
  }

  /**
   * Counts one record and returns the warnings it raises that were not returned in their window.
   * "new" is returned once per fingerprint and "regression" once per return from a quiet period.
   */
  observe(record: ErrorRecord): PatternWarning[] {
    const out: PatternWarning[] = [];
    try {
      const now = this.options.now();
      const fp = record.fingerprint;
      let state = this.fingerprints.use(fp);
      if (state === undefined) {
        state = this.fingerprints.set(fp, newFingerprintState(now));
        this.checkNew(record, fp, now, out);
      } else {
        this.checkRegression(record, fp, state.lastSeen, now, out);
        state.lastSeen = now;
      }
      this.checkRecurring(record, state, now, out);
      this.checkSpike(record, state, now, out);
      this.checkSystemic(record, state, now, out);
      this.checkInputSpecific(record, fp, now, out);
      this.checkMemoryPressure(record, now, out);
      this.checkResources(record, now, out);
    } catch {
      // Detection is advisory: a malformed record yields no warning rather than an exception.
    }
    return out;
  }

  private base(
    kind: PatternKind,
    r: ErrorRecord,
    now: number,
    fields: Omit<PatternWarning, 'kind' | 'at'>,
  ): PatternWarning {
    const w: PatternWarning = { kind, ...fields, at: iso(now) };
    if (w.fingerprint !== undefined && r.messageTemplate !== undefined) w.template = r.messageTemplate;
    return w;
  }

  private checkNew(r: ErrorRecord, fp: string, now: number, out: PatternWarning[]): void {
    const o = this.options.new;
    if (o === undefined || now - this.warmupFrom < o.warmupMs) return;
    const w = {
      fingerprint: fp,
      message: `new error after warm-up: ${describe(r)} (fingerprint ${fp})`,
      count: 1,
      threshold: 1,
      window: o.warmupMs,
      firstAt: iso(now),
    };
    out.push(this.base('new', r, now, w));
  }

  /** Returned once per return: lastSeen becomes fresh right after. */
  private checkRegression(
    r: ErrorRecord,
    fp: string,
    last: number,
    now: number,
    out: PatternWarning[],
  ): void {
    const o = this.options.regression;
    if (o === undefined || now - last < o.quietMs) return;
    const quiet = now - last;
    const w = {
      fingerprint: fp,
      message: `regression: ${describe(r)} is back after ${minutes(quiet)} without it (fingerprint ${fp})`,
      count: 1,
      threshold: o.quietMs,
      window: o.quietMs,
      firstAt: iso(now),
      details: { quietMs: quiet, lastSeen: iso(last) },
    };
    out.push(this.base('regression', r, now, w));
  }

  private checkRecurring(r: ErrorRecord, s: FingerprintState, now: number, out: PatternWarning[]): void {
    const o = this.options.recurring;
    if (o === undefined) return;
    s.ring ??= new TimeRing(o.count);
    s.ring.push(now);
    if (!s.ring.fullWithin(now, o.windowMs) || !due(s.recurringWarnedAt, o.windowMs, now)) return;
    s.recurringWarnedAt = now;
    const first = s.ring.oldest() ?? now;
    const fp = r.fingerprint;
    const w = {
      fingerprint: fp,
      message: `recurring: ${describe(r)} occurred ${o.count} times in ${minutes(now - first)} (fingerprint ${fp})`,
      count: o.count,
      threshold: o.count,
      window: o.windowMs,
      firstAt: iso(first),
    };
    out.push(this.base('recurring', r, now, w));
  }

  private checkSpike(r: ErrorRecord, s: FingerprintState, now: number, out: PatternWarning[]): void {
    const o = this.options.spike;
    if (o === undefined) return;
    // The total has a field of its own rather than a key touched on every error.
    const g = this.globalRate;
    countInRate(g, now, o.bucketMs, o.alpha);
    if (this.spiking(g) && due(this.globalSpikeWarnedAt, o.windowMs, now)) {
      this.globalSpikeWarnedAt = now;
      out.push(this.spikeWarning(g, undefined, r, now));
    }
    s.rate ??= newRate(now);
    countInRate(s.rate, now, o.bucketMs, o.alpha);
    if (this.spiking(s.rate) && due(s.spikeWarnedAt, o.windowMs, now)) {
      s.spikeWarnedAt = now;
      out.push(this.spikeWarning(s.rate, r.fingerprint, r, now));
    }
  }

  private spiking(s: RateState): boolean {
    const o = this.options.spike!;
    return s.buckets >= o.minHistoryBuckets && s.current >= o.minCount && s.current >= o.factor * s.baseline;
  }

  private spikeWarning(s: RateState, fp: string | undefined, r: ErrorRecord, now: number): PatternWarning {
    const o = this.options.spike!;
    const scope = fp === undefined ? 'all errors' : `${describe(r)} (fingerprint ${fp})`;
    const w: Omit<PatternWarning, 'kind' | 'at'> = {
      message: `spike: ${s.current} errors in ${minutes(o.bucketMs)} for ${scope}, baseline ${+s.baseline.toFixed(2)} per ${minutes(o.bucketMs)}`,
      count: s.current,
      threshold: Math.max(o.minCount, Math.ceil(o.factor * s.baseline)),
      window: o.bucketMs,
      firstAt: iso(s.bucketStart),
      details: {
        baseline: +s.baseline.toFixed(4),
        factor: o.factor,
        scope: fp === undefined ? 'all' : 'fingerprint',
      },
    };
    if (fp !== undefined) w.fingerprint = fp;
    return this.base('spike', r, now, w);
  }

  private checkSystemic(r: ErrorRecord, s: FingerprintState, now: number, out: PatternWarning[]): void {
    const o = this.options.systemic;
    const video = r.videoHash;
    if (o === undefined || video === undefined) return;
    s.videos ??= new Map();
    const videos = s.videos;
    videos.delete(video);
    videos.set(video, now);
    for (const [v, t] of videos) {
      if (now - t < o.windowMs && videos.size <= o.videos * 4) break;
      videos.delete(v);
    }
    if (videos.size < o.videos) return;
    s.systemicUntil = now + o.windowMs;
    if (!due(s.systemicWarnedAt, o.windowMs, now)) return;
    s.systemicWarnedAt = now;
    const fp = r.fingerprint;
    let first = now;
    for (const t of videos.values()) if (t < first) first = t;
    const w = {
      fingerprint: fp,
      message: `systemic: ${describe(r)} failed ${videos.size} different videos in ${minutes(o.windowMs)} (fingerprint ${fp}); not specific to one input`,
      count: videos.size,
      threshold: o.videos,
      window: o.windowMs,
      firstAt: iso(first),
      details: { videos: [...videos.keys()].slice(-10).join(',') },
    };
    out.push(this.base('systemic', r, now, w));
  }

  private checkInputSpecific(r: ErrorRecord, fp: string, now: number, out: PatternWarning[]): void {
    const o = this.options.inputSpecific;
    const video = r.videoHash;
    if (o === undefined || video === undefined) return;
    const state = this.videos.use(video) ?? this.videos.set(video, { events: [], warnedAt: NEVER });
    // Warned within the window: the events still count for later, but no tally is needed now
    // (it walks the whole window, which a storm on one video would pay for on every error).
    if (!due(state.warnedAt, o.windowMs, now)) {
      addVideoEvent(state, { t: now, fingerprint: fp, phase: r.phase }, o);
      return;
    }
    const tally = tallyVideoErrors(state, { t: now, fingerprint: fp, phase: r.phase }, o, (f) => {
      return now < (this.fingerprints.get(f)?.systemicUntil ?? NEVER);
    });
    if (tally === undefined) return;
    const { count, first, phases, fingerprints } = tally;
    if (count < o.errors && phases.size < o.phases) return;
    if (!due(state.warnedAt, o.windowMs, now)) return;
    state.warnedAt = now;
    const byPhases = phases.size >= o.phases;
    const w = {
      videoHash: video,
      message: `input-specific: video ${video} failed ${count} times in ${minutes(o.windowMs)}${
        phases.size > 0 ? ` across ${phases.size} phase(s) (${[...phases].join(', ')})` : ''
      } with ${fingerprints.size} distinct error(s); look at this input`,
      count: byPhases ? phases.size : count,
      threshold: byPhases ? o.phases : o.errors,
      window: o.windowMs,
      firstAt: iso(first),
      details: { errors: count, phases: phases.size, fingerprints: fingerprints.size },
    };
    out.push(this.base('input-specific', r, now, w));
  }

  private checkMemoryPressure(r: ErrorRecord, now: number, out: PatternWarning[]): void {
    const o = this.options.memoryPressure;
    const ring = this.pressure;
    const ratio = r.memory?.heapUsedRatio;
    if (o === undefined || ring === undefined || typeof ratio !== 'number' || !(ratio >= o.heapRatio)) return;
    ring.push(now);
    if (!ring.fullWithin(now, o.windowMs)) return;
    if (!due(this.pressureWarnedAt, o.windowMs, now)) return;
    this.pressureWarnedAt = now;
    const first = ring.oldest() ?? now;
    const w = {
      message: `memory pressure: ${o.count} errors in ${minutes(now - first)} with the heap at or above ${Math.round(o.heapRatio * 100)}% of its limit (now ${Math.round(ratio * 100)}%)`,
      count: o.count,
      threshold: o.count,
      window: o.windowMs,
      firstAt: iso(first),
      details: { heapUsedRatio: ratio, heapRatioThreshold: o.heapRatio },
    };
    out.push(this.base('memory-pressure', r, now, w));
  }

  private checkResources(r: ErrorRecord, now: number, out: PatternWarning[]): void {
    const o = this.options.resourceCorrelated;
    if (o === undefined || r.resources === undefined) return;
    const saturation = readResourceSaturation(r.resources);
    for (const name of RESOURCE_NAMES) {
      const value = saturation[name];
      if (value === undefined || value < o[name]) continue;
      let sat = this.saturated.get(name);
      if (sat === undefined) {
        sat = { ring: new TimeRing(o.count), warnedAt: NEVER };
        this.saturated.set(name, sat);
      }
      const ring = sat.ring;
      ring.push(now);
      if (!ring.fullWithin(now, o.windowMs) || !due(sat.warnedAt, o.windowMs, now)) continue;
      sat.warnedAt = now;
      const first = ring.oldest() ?? now;
      const w = {
        message: `resource-correlated: ${o.count} errors in ${minutes(now - first)} while ${name} was saturated (${Math.round(value * 100)}%, threshold ${Math.round(o[name] * 100)}%)`,
        count: o.count,
        threshold: o.count,
        window: o.windowMs,
        firstAt: iso(first),
        details: { resource: name, utilization: value, utilizationThreshold: o[name] },
      };
      out.push(this.base('resource-correlated', r, now, w));
    }
  }
}
