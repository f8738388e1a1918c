/**
 * Recognizes patterns in the stream of error records and returns each as an early warning:
 * recurring, spike, new, regression, systemic, input-specific, memory pressure and
 * resource-correlated. It only detects; the engine turns warnings into a stderr line, a span
 * event and the `onPattern` callback. A warning of one kind about one subject is returned at
 * most once per that pattern's window. All state is bounded (LRU, `maxTracked`).
 */
import type { ErrorRecord } from '../record.js';
import { BoundedMap, TimeRing } from './bounded-map.js';
import {
  type PatternDetectorOptions,
  type ResolvedPatternDetectorOptions,
  resolvePatternDetectorOptions,
} from './pattern-options.js';
import type { PatternKind, PatternWarning } from './pattern-warning.js';
import { readResourceSaturation } from './resource-saturation.js';

export type { PatternDetectorOptions } from './pattern-options.js';
export type { PatternKind, PatternWarning } from './pattern-warning.js';

interface RateState {
  bucketStart: number;
  current: number;
  baseline: number;
  buckets: number;
}

interface VideoEvent {
  t: number;
  fingerprint: string;
  phase: string | undefined;
}

/** Most recent errors remembered per video for the input-specific pattern, at least. */
const MIN_VIDEO_EVENTS = 64;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function minutes(ms: number): string {
  if (ms >= 3_600_000) return `${+(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 60_000) return `${+(ms / 60_000).toFixed(1)} min`;
  return `${+(ms / 1000).toFixed(1)} s`;
}

function describe(r: ErrorRecord): string {
  return `${r.exception.type}: ${r.messageTemplate ?? r.exception.message}`;
}

/** Detects error patterns; `observe` returns only warnings not returned before in their window. */
export class PatternDetector {
  readonly options: ResolvedPatternDetectorOptions;
  private readonly startedAt: number;
  private warmupFrom: number;
  private readonly lastSeen: BoundedMap<string, number>;
  private readonly recurring: BoundedMap<string, TimeRing>;
  private readonly rates: BoundedMap<string, RateState>;
  private readonly globalRate: RateState;
  private readonly videosByFingerprint: BoundedMap<string, Map<string, number>>;
  private readonly eventsByVideo: BoundedMap<string, VideoEvent[]>;
  private readonly systemicUntil: BoundedMap<string, number>;
  private readonly pressure: TimeRing | undefined;
  private readonly saturated = new Map<string, TimeRing>();
  private readonly warnedAt: BoundedMap<string, number>;

  constructor(options: PatternDetectorOptions = {}) {
    this.options = resolvePatternDetectorOptions(options);
    const cap = this.options.maxTracked;
    this.startedAt = this.options.now();
    this.warmupFrom = this.startedAt;
    this.lastSeen = new BoundedMap(cap);
    this.recurring = new BoundedMap(cap);
    this.rates = new BoundedMap(cap);
    this.globalRate = { bucketStart: this.startedAt, current: 0, baseline: 0, buckets: 0 };
    this.videosByFingerprint = new BoundedMap(cap);
    this.eventsByVideo = new BoundedMap(cap);
    this.systemicUntil = new BoundedMap(cap);
    this.warnedAt = new BoundedMap(cap * 2);
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
    const prev = this.lastSeen.get(r.fingerprint);
    if (prev === undefined || t > prev) this.lastSeen.set(r.fingerprint, t);
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
      this.checkNewAndRegression(record, fp, now, out);
      this.checkRecurring(record, fp, now, out);
      this.checkSpike(record, fp, now, out);
      this.checkSystemic(record, fp, now, out);
      this.checkInputSpecific(record, fp, now, out);
      this.checkMemoryPressure(record, now, out);
      this.checkResources(record, now, out);
    } catch {
      // Detection is advisory: a malformed record yields no warning rather than an exception.
    }
    return out;
  }

  /** Cheap check before a warning is built: false while one with this key was returned within `window`. */
  private canWarn(key: string, window: number, now: number): boolean {
    const last = this.warnedAt.get(key);
    return last === undefined || now - last >= window;
  }

  private emit(out: PatternWarning[], key: string, window: number, now: number, w: PatternWarning): void {
    const last = this.warnedAt.get(key);
    if (last !== undefined && now - last < window) return;
    this.warnedAt.set(key, now);
    out.push(w);
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

  private checkNewAndRegression(r: ErrorRecord, fp: string, now: number, out: PatternWarning[]): void {
    const last = this.lastSeen.get(fp);
    this.lastSeen.set(fp, now);
    const o = this.options;
    if (last === undefined) {
      if (o.new !== undefined && now - this.warmupFrom >= o.new.warmupMs) {
        const message = `new error after warm-up: ${describe(r)} (fingerprint ${fp})`;
        const w = {
          fingerprint: fp,
          message,
          count: 1,
          threshold: 1,
          window: o.new.warmupMs,
          firstAt: iso(now),
        };
        out.push(this.base('new', r, now, w));
      }
      return;
    }
    if (o.regression !== undefined && now - last >= o.regression.quietMs) {
      const quiet = now - last;
      const message = `regression: ${describe(r)} is back after ${minutes(quiet)} without it (fingerprint ${fp})`;
      const w = {
        fingerprint: fp,
        message,
        count: 1,
        threshold: o.regression.quietMs,
        window: o.regression.quietMs,
        firstAt: iso(now),
        details: { quietMs: quiet, lastSeen: iso(last) },
      };
      // lastSeen is now fresh, so the same fingerprint cannot regress again before another quiet period.
      out.push(this.base('regression', r, now, w));
    }
  }

  private checkRecurring(r: ErrorRecord, fp: string, now: number, out: PatternWarning[]): void {
    const o = this.options.recurring;
    if (o === undefined) return;
    const ring = this.recurring.touch(fp, () => new TimeRing(o.count));
    ring.push(now);
    if (!ring.fullWithin(now, o.windowMs)) return;
    if (!this.canWarn(`recurring|${fp}`, o.windowMs, now)) return;
    const first = ring.oldest() ?? now;
    const message = `recurring: ${describe(r)} occurred ${o.count} times in ${minutes(now - first)} (fingerprint ${fp})`;
    const w = {
      fingerprint: fp,
      message,
      count: o.count,
      threshold: o.count,
      window: o.windowMs,
      firstAt: iso(first),
    };
    this.emit(out, `recurring|${fp}`, o.windowMs, now, this.base('recurring', r, now, w));
  }

  private checkSpike(r: ErrorRecord, fp: string, now: number, out: PatternWarning[]): void {
    if (this.options.spike === undefined) return;
    // The total has a field of its own rather than a key touched on every error.
    this.spikeFor(this.globalRate, undefined, r, now, out);
    const s = this.rates.touch(fp, () => ({ bucketStart: now, current: 0, baseline: 0, buckets: 0 }));
    this.spikeFor(s, fp, r, now, out);
  }

  private spikeFor(
    s: RateState,
    fp: string | undefined,
    r: ErrorRecord,
    now: number,
    out: PatternWarning[],
  ): void {
    const o = this.options.spike!;
    if (now - s.bucketStart >= o.bucketMs) {
      const elapsed = Math.floor((now - s.bucketStart) / o.bucketMs);
      // The finished bucket, then `elapsed - 1` empty ones, folded into the moving baseline.
      s.baseline = s.baseline + o.alpha * (s.current - s.baseline);
      if (elapsed > 1) s.baseline *= (1 - o.alpha) ** Math.min(elapsed - 1, 1000);
      s.buckets += elapsed;
      s.bucketStart += elapsed * o.bucketMs;
      s.current = 0;
    } else if (now < s.bucketStart) {
      s.bucketStart = now;
    }
    s.current++;
    if (s.buckets < o.minHistoryBuckets || s.current < o.minCount) return;
    if (s.current < o.factor * s.baseline) return;
    if (!this.canWarn(`spike|${fp ?? '*'}`, o.windowMs, now)) return;
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
    this.emit(out, `spike|${fp ?? '*'}`, o.windowMs, now, this.base('spike', r, now, w));
  }

  private checkSystemic(r: ErrorRecord, fp: string, now: number, out: PatternWarning[]): void {
    const o = this.options.systemic;
    const video = r.videoHash;
    if (o === undefined || video === undefined) return;
    const videos = this.videosByFingerprint.touch(fp, () => new Map());
    videos.delete(video);
    videos.set(video, now);
    for (const [v, t] of videos) {
      if (now - t < o.windowMs && videos.size <= o.videos * 4) break;
      videos.delete(v);
    }
    if (videos.size < o.videos) return;
    this.systemicUntil.set(fp, now + o.windowMs);
    if (!this.canWarn(`systemic|${fp}`, o.windowMs, now)) return;
    const first = Math.min(...videos.values());
    const w = {
      fingerprint: fp,
      message: `systemic: ${describe(r)} failed ${videos.size} different videos in ${minutes(o.windowMs)} (fingerprint ${fp}); not specific to one input`,
      count: videos.size,
      threshold: o.videos,
      window: o.windowMs,
      firstAt: iso(first),
      details: { videos: [...videos.keys()].slice(-10).join(',') },
    };
    this.emit(out, `systemic|${fp}`, o.windowMs, now, this.base('systemic', r, now, w));
  }

  private checkInputSpecific(r: ErrorRecord, fp: string, now: number, out: PatternWarning[]): void {
    const o = this.options.inputSpecific;
    const video = r.videoHash;
    if (o === undefined || video === undefined) return;
    const events = this.eventsByVideo.touch(video, () => []);
    events.push({ t: now, fingerprint: fp, phase: r.phase });
    const maxEvents = Math.max(MIN_VIDEO_EVENTS, 2 * o.errors);
    let drop = 0;
    while (
      drop < events.length &&
      (now - events[drop]!.t >= o.windowMs || events.length - drop > maxEvents)
    ) {
      drop++;
    }
    if (drop > 0) events.splice(0, drop);
    // Neither threshold can be reached with fewer events than the smaller of the two.
    if (events.length < Math.min(o.errors, o.phases)) return;
    let count = 0;
    let first = now;
    const phases = new Set<string>();
    const fingerprints = new Set<string>();
    for (const e of events) {
      const until = this.systemicUntil.get(e.fingerprint);
      if (until !== undefined && now < until) continue;
      count++;
      if (e.t < first) first = e.t;
      if (e.phase !== undefined) phases.add(e.phase);
      fingerprints.add(e.fingerprint);
    }
    if (count < o.errors && phases.size < o.phases) return;
    if (!this.canWarn(`input-specific|${video}`, o.windowMs, now)) return;
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
    this.emit(out, `input-specific|${video}`, o.windowMs, now, this.base('input-specific', r, now, w));
  }

  private checkMemoryPressure(r: ErrorRecord, now: number, out: PatternWarning[]): void {
    const o = this.options.memoryPressure;
    const ring = this.pressure;
    const ratio = r.memory?.heapUsedRatio;
    if (o === undefined || ring === undefined || typeof ratio !== 'number' || !(ratio >= o.heapRatio)) return;
    ring.push(now);
    if (!ring.fullWithin(now, o.windowMs)) return;
    if (!this.canWarn('memory-pressure', o.windowMs, now)) return;
    const first = ring.oldest() ?? now;
    const w = {
      message: `memory pressure: ${o.count} errors in ${minutes(now - first)} with the heap at or above ${Math.round(o.heapRatio * 100)}% of its limit (now ${Math.round(ratio * 100)}%)`,
      count: o.count,
      threshold: o.count,
      window: o.windowMs,
      firstAt: iso(first),
      details: { heapUsedRatio: ratio, heapRatioThreshold: o.heapRatio },
    };
    this.emit(out, 'memory-pressure', o.windowMs, now, this.base('memory-pressure', r, now, w));
  }

  private checkResources(r: ErrorRecord, now: number, out: PatternWarning[]): void {
    const o = this.options.resourceCorrelated;
    if (o === undefined || r.resources === undefined) return;
    const sat = readResourceSaturation(r.resources);
    for (const name of ['cpu', 'memory', 'disk'] as const) {
      const value = sat[name];
      if (value === undefined || value < o[name]) continue;
      let ring = this.saturated.get(name);
      if (ring === undefined) {
        ring = new TimeRing(o.count);
        this.saturated.set(name, ring);
      }
      ring.push(now);
      if (!ring.fullWithin(now, o.windowMs)) continue;
      if (!this.canWarn(`resource-correlated|${name}`, o.windowMs, now)) continue;
      const first = ring.oldest() ?? now;
      const w = {
        message: `resource-correlated: ${o.count} errors in ${minutes(now - first)} while ${name} was saturated (${Math.round(value * 100)}%, threshold ${Math.round(o[name] * 100)}%)`,
        count: o.count,
        threshold: o.count,
        window: o.windowMs,
        firstAt: iso(first),
        details: { resource: name, utilization: value, utilizationThreshold: o[name] },
      };
      this.emit(
        out,
        `resource-correlated|${name}`,
        o.windowMs,
        now,
        this.base('resource-correlated', r, now, w),
      );
    }
  }
}
