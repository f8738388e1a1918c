import { hostname } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Span, trace } from '@opentelemetry/api';
import { formatBreadcrumbs } from '../breadcrumbs/breadcrumb-format.js';
import { startBreadcrumbs } from '../breadcrumbs/breadcrumb-recorder.js';
import { currentTrail } from '../breadcrumbs/breadcrumb-trails.js';
import { toBoundedJson } from '../capture/bounded-json.js';
import { fitRecordToJson } from '../capture/fit-record.js';
import { DEFAULT_MEMORY_SAMPLE_MAX_AGE_MS, MemorySampler } from '../capture/memory.js';
import { normalizeThrown } from '../capture/normalize-thrown.js';
import { Redactor } from '../capture/redactor.js';
import { boundRequestContext } from '../capture/request-context.js';
import { ExceptionClassifier } from '../classify/exception-classifier.js';
import { reportInternalError, reportOnce } from '../diag/diagnostics.js';
import { ErrorAggregator, type ErrorStats } from '../grouping/error-aggregator.js';
import { fingerprintException } from '../grouping/fingerprint.js';
import { FloodGuard } from '../grouping/flood-guard.js';
import { PatternDetector, type PatternWarning } from '../grouping/pattern-detector.js';
import { regroupRecords } from '../grouping/regroup.js';
import { SourceContextBuilder } from '../grouping/source-context.js';
import { SourceFiles, sharedSourceFiles } from '../grouping/source-files.js';
import type { OtlpExportStats } from '../otlp/export-counters.js';
import {
  type ClassificationInfo,
  type ErrorRecord,
  type JsonObject,
  RECORD_SCHEMA_VERSION,
} from '../record.js';
import { ResourceMonitor } from '../resources/resource-monitor.js';
import { EventLoopStallError } from '../stall/event-loop-stall-error.js';
import { type StallReport, StallWatchdog } from '../stall/stall-watchdog.js';
import { registerExitFlush, unregisterExitFlush } from '../store/exit-hooks.js';
import { JsonlStore, type StoreStats } from '../store/jsonl-store.js';
import { listStoreFiles, readStore } from '../store/read-store.js';
import type { CaptureInput } from './capture-input.js';
import { snapshotContext } from './context-snapshot.js';
import { type EngineOptions, type ResolvedEngineOptions, resolveEngineOptions } from './engine-options.js';
import { nearHeapLimit, oldGenerationLimit } from './heap-pressure.js';
import { isoTime } from './iso-time.js';
import { type CaptureSettler, PendingCapture } from './pending-capture.js';
import { type FilterStats, RecordFilter } from './record-filter.js';
import { nextRecordId } from './record-id.js';
import { RepeatCache } from './repeat-cache.js';
import { requestInfoOf } from './request-context.js';
import { ServiceIdentities } from './service-identity.js';
import { SpanRecorder } from './span-recorder.js';
import {
  addSpanSettler,
  isWatched,
  notePendingSpans,
  removeSpanSettler,
  type SpanSettler,
} from './span-settling.js';

export type { CaptureInput } from './capture-input.js';

/** Stats of the engine: the grouping stats plus what the store and the engine had to drop. */
export interface EngineStats extends ErrorStats {
  /** Records that could not be kept: store overflow plus captures after shutdown. */
  dropped: number;
  store: StoreStats | undefined;
  /** Records turned away on purpose by `ignoreErrors` and `beforeRecord`, and hook failures. */
  filtered: FilterStats;
  /** What OTLP export did (sent, failed, retried, queued, lag, dropped), when it is on. */
  export?: OtlpExportStats;
}

const MAX_KEPT_WARNINGS = 100;
/** With `sourceContext: false`: a cache that reads nothing (no file is absolute to it). */
const NO_SOURCE_FILES = new SourceFiles(1, 0, false);
/** Newest store files read to seed pattern history (with the default maxLogs: 5,000 records). */
const SEED_FILES = 5;
/**
 * Time one drain turn may take before it yields to the event loop: while errors come at a pace
 * the drain keeps up with, the loop never waits on us for longer than this (plus one record).
 */
const DRAIN_BUDGET_MS = 1;
/**
 * Extra time per turn as the backlog nears {@link MAX_PENDING}: in a sustained storm the drain
 * takes longer slices (up to 1 + 3 ms) before the callers themselves are made to help.
 */
const DRAIN_BUDGET_BACKLOG_MS = 3;
/**
 * Pending captures past which the caller's path completes the oldest itself: memory stays
 * bounded when errors come faster than the drain can keep up, and nothing is dropped.
 */
const MAX_PENDING = 4096;
/** How many the caller completes when the queue is past {@link MAX_PENDING}. */
const BACKPRESSURE_BATCH = 64;

/**
 * The capture engine: thrown value → bounded, redacted, classified, fingerprinted record with
 * memory and resource state → store, span event, stats and pattern warnings. Both entrances
 * (the specification's API and the span processor) go through {@link ErrorEngine.capture}, which never
 * throws into the caller.
 */
export class ErrorEngine implements CaptureSettler, SpanSettler {
  readonly options: ResolvedEngineOptions;
  readonly store: JsonlStore | undefined;
  private readonly redactor: Redactor;
  private readonly sourceContext: SourceContextBuilder | undefined;
  private readonly classifier: ExceptionClassifier;
  private readonly aggregator: ErrorAggregator;
  private readonly detector: PatternDetector | undefined;
  private readonly floodGuard: FloodGuard | undefined;
  /** Per fingerprint, occurrences folded since its last stored record. */
  private readonly foldedSinceStored = new Map<string, number>();
  /** Resolves once the pattern detector has read the store's recent history (never rejects). */
  readonly historyLoaded: Promise<void>;
  private readonly memory: MemorySampler;
  /** The background resource sampler, when on. */
  readonly monitor: ResourceMonitor | undefined;
  private readonly listeners: Array<(record: ErrorRecord) => void> = [];
  private readonly spans = new SpanRecorder();
  private readonly repeats = new RepeatCache();
  private readonly filter: RecordFilter;
  private readonly stopBreadcrumbs: (() => void) | undefined;
  private readonly watchdog: StallWatchdog | undefined;
  /** Service and environment of each record, from the options, the span's resource and the environment. */
  readonly identities: ServiceIdentities;
  private readonly process: ErrorRecord['process'];
  /** Thrown objects already recorded, with their capture, so a rethrow is counted once. */
  private readonly seen = new WeakMap<object, PendingCapture>();
  /** The last thrown primitive recorded (primitives cannot be weak keys), for the crash monitor. */
  private lastPrimitive: { value: unknown; entry: PendingCapture } | undefined;
  /** Captures not completed yet, oldest first, from `head`. */
  private queue: Array<PendingCapture | undefined> = [];
  private head = 0;
  /** The latest pending capture of each span, so the span can wait for it before it ends. */
  private readonly pendingBySpan = new Map<Span, PendingCapture>();
  private drainScheduled = false;
  /** The resources of the record being completed, as the monitor's ready text (see build). */
  private resourcesText: { record: ErrorRecord; text: string } | undefined;
  private exiting = false;
  /** The heap was near its limit at the last capture (see heap-pressure.ts). */
  private heapNear = false;
  /** The old generation's limit, worked out once for the `heap_size_limit` it was taken from. */
  private oldLimit = { heapLimit: Number.NaN, bytes: 0 };
  private readonly warnings: PatternWarning[] = [];
  private droppedAfterShutdown = 0;
  private closed = false;
  private shutdownPromise: Promise<void> | undefined;
  private exportStats: (() => OtlpExportStats) | undefined;
  constructor(options: EngineOptions = {}) {
    const o = resolveEngineOptions(options);
    this.options = o;
    this.identities = new ServiceIdentities({
      name: o.serviceName,
      version: o.serviceVersion,
      instanceId: o.serviceInstanceId,
      environment: o.environment,
      explicit: o.explicitIdentity,
    });
    this.process = { pid: process.pid, hostname: hostname() };
    this.redactor = new Redactor(o.redact);
    this.filter = new RecordFilter(o.ignoreErrors, o.beforeRecord);
    this.sourceContext = o.sourceContext ? new SourceContextBuilder(this.redactor, o.projectRoot) : undefined;
    this.classifier = new ExceptionClassifier(o.classifier);
    this.floodGuard = o.floodGuard === false ? undefined : new FloodGuard(o.floodGuard);
    this.aggregator = new ErrorAggregator({
      maxFingerprints: o.maxFingerprints,
      ...(this.floodGuard === undefined ? {} : { floodGuard: this.floodGuard }),
    });
    this.detector = o.patterns === false ? undefined : new PatternDetector(o.patterns);
    this.store = o.store === false ? undefined : new JsonlStore(o.store);
    if (o.resources !== false && o.resources.enabled !== false) {
      const store = this.store?.unusable === false ? this.store : undefined;
      const volumes = [...(o.resources.volumes ?? []), ...(store ? [store.dir] : [])];
      const heapSnapshots =
        store === undefined || o.resources.heapSnapshots?.dir !== undefined
          ? o.resources.heapSnapshots
          : { ...o.resources.heapSnapshots, dir: join(store.dir, 'heap-snapshots') };
      this.monitor = new ResourceMonitor({
        ...o.resources,
        volumes,
        ...(heapSnapshots ? { heapSnapshots } : {}),
      });
      this.monitor.start();
    }
    this.historyLoaded = this.seedPatterns();
    // With the monitor on, rss/external/arrayBuffers come from its trajectory samples, so the
    // error path never pays for process.memoryUsage() (8–20 µs: it reads /proc).
    const monitor = this.monitor;
    this.memory = new MemorySampler(
      DEFAULT_MEMORY_SAMPLE_MAX_AGE_MS,
      Date.now,
      monitor === undefined ? undefined : () => monitor.processMemory(),
    );
    // First in line at exit: pending captures become store lines before the stores flush.
    registerExitFlush(this, true);
    addSpanSettler(this);
    if (o.breadcrumbs !== false) this.stopBreadcrumbs = startBreadcrumbs(o.breadcrumbs);
    if (o.stall !== false) {
      this.watchdog = new StallWatchdog(o.stall, (report) => this.captureStall(report));
      void this.watchdog.start();
    }
  }

  /** A block of the event loop becomes a record of its own, in the blocking code's context. */
  private captureStall(report: StallReport): void {
    if (this.closed) return;
    const err = new EventLoopStallError(report.blockedMs, report.thresholdMs, report.frames);
    const scope = report.context?.scope;
    this.capture(err, {
      source: 'stall',
      span: report.context?.span,
      phase: scope?.phase,
      videoHash: scope?.videoHash,
      context: {
        ...scope?.context,
        blockedMs: report.blockedMs,
        thresholdMs: report.thresholdMs,
        ...(report.pauseLatencyMs === undefined ? {} : { stackPauseLatencyMs: report.pauseLatencyMs }),
        ...(report.frames === undefined ? { stackTaken: false } : {}),
      },
      breadcrumbs: report.context?.breadcrumbs,
    });
  }

  /** True when this thrown object was already recorded (so an outer scope does not record it again). */
  wasCaptured(value: unknown): boolean {
    return this.recordOf(value) !== undefined;
  }

  /** The record of a thrown object already recorded. Primitives have no identity: never found. */
  recordOf(value: unknown): ErrorRecord | undefined {
    return (typeof value === 'object' && value !== null) || typeof value === 'function'
      ? this.seen.get(value)?.proxy
      : undefined;
  }

  /**
   * For the crash monitor: whether `value` is the thrown value recorded last, primitives
   * included (a string rethrown by a scope and then uncaught is one error, not two).
   */
  wasLastCaptured(value: unknown): boolean {
    return (
      this.wasCaptured(value) ||
      (this.lastPrimitive !== undefined && Object.is(this.lastPrimitive.value, value))
    );
  }

  private remember(thrown: unknown, entry: PendingCapture): void {
    if ((typeof thrown === 'object' && thrown !== null) || typeof thrown === 'function')
      this.seen.set(thrown, entry);
    else this.lastPrimitive = { value: thrown, entry };
  }

  /** @internal Calls `listener` with every record (metrics). It must not throw. */
  subscribe(listener: (record: ErrorRecord) => void): void {
    this.listeners.push(listener);
  }

  /** Marks a span failed by an error that was already recorded further in, without a second record. */
  markSpanFailed(span: Span, err: unknown): void {
    const record =
      (typeof err === 'object' && err !== null) || typeof err === 'function'
        ? this.seen.get(err)?.complete()
        : undefined;
    // The status message comes from the record, which is redacted and bounded; never the raw error.
    this.spans.markFailed(
      span,
      record === undefined ? 'error' : `${record.exception.type}: ${record.exception.message}`,
    );
  }

  /**
   * Records one error. On the caller's path only the value, the context (a shallow copy), the
   * scope, the span, the time and a memory figure are taken; the record completes in a batch
   * after this turn, or when the returned record is first read. Never throws: an internal
   * failure still yields a minimal record.
   */
  capture(thrown: unknown, input: CaptureInput): ErrorRecord {
    let entry: PendingCapture | undefined;
    let queued = false;
    try {
      if (input.deferred) {
        // Taken again after a stack overflow: the host may have logged the same error since.
        const known = this.recordOf(thrown);
        if (known !== undefined) return known;
      }
      const now = Date.now();
      const span = input.span ?? trace.getActiveSpan();
      const memory = this.memory.snapshotAt(now);
      entry = new PendingCapture(
        this,
        thrown,
        input,
        now,
        memory,
        span,
        snapshotContext(input.context, this.options.limits.maxBreadth),
      );
      if (this.stopBreadcrumbs !== undefined) {
        const trail = input.breadcrumbs?.trail ?? currentTrail(span);
        entry.breadcrumbs = input.breadcrumbs ?? { trail, seq: trail.seq };
      }
      this.watchHeap(memory.heapUsed, memory.heapLimit);
      this.remember(thrown, entry);
      this.queue.push(entry);
      queued = true;
      const recording = span !== undefined && input.addEvent !== false && span.isRecording();
      if (recording) {
        if (!this.pendingBySpan.has(span)) notePendingSpans(1);
        this.pendingBySpan.set(span, entry);
      }
      // A span nobody of ours watches may end right after this call: its event goes on now.
      if (
        this.exiting ||
        this.closed ||
        input.sync === true ||
        this.store?.writesThrough === true ||
        (recording && !isWatched(span))
      ) {
        this.settle(entry);
      } else if (this.queue.length - this.head > MAX_PENDING) {
        this.drainSome(BACKPRESSURE_BATCH);
      }
      this.scheduleDrain();
      return entry.proxy;
    } catch (err) {
      // Most likely the host's stack is nearly full (we were called from deep inside a "Maximum
      // call stack size exceeded"). Nothing here may throw once the error is queued or deferred:
      // the host would catch a new RangeError and log that too, a second record of one overflow.
      // A capture already queued completes on the drain's fresh stack (or the next capture,
      // flush or exit); one that is not is taken again next turn, with the same async context.
      if (queued && entry !== undefined) {
        try {
          this.scheduleDrain();
        } catch {
          // Still no stack: completed later as above.
        }
        return entry.proxy;
      }
      if (err instanceof RangeError && !input.deferred) {
        // It stays with the caller (who holds the error anyway): nothing of it is stored or sent.
        // Made before the retry is scheduled, so a failure here leaves nothing behind.
        const provisional = this.minimalRecord(thrown, input, false, Date.now());
        const span = input.span ?? trace.getActiveSpan();
        setImmediate(() => this.capture(thrown, { ...input, span, deferred: true }));
        return provisional;
      }
      reportInternalError('capture', err);
      return this.minimalRecord(thrown, input, true, Date.now());
    }
  }

  /**
   * Near the heap limit a fatal OOM may come at any allocation and runs no exit handler: the
   * store writes through until there is room again, and each record completes at its capture.
   */
  private watchHeap(used: number, limit: number): void {
    if (limit !== this.oldLimit.heapLimit) {
      this.oldLimit = { heapLimit: limit, bytes: oldGenerationLimit(limit) };
    }
    const near = nearHeapLimit(used, this.oldLimit.bytes, this.heapNear);
    if (near === this.heapNear || this.store === undefined) return;
    this.heapNear = near;
    // Records already queued are completed by the settle that follows, written through.
    this.store.setWriteThrough(near);
  }

  /** Completes `entry` and every capture taken before it (the order of occurrences is kept). */
  settle(entry: PendingCapture): void {
    while (!entry.done && this.head < this.queue.length) this.completeNext();
  }

  /** Completes the captures that belong to `span` (from the processor's `onEnding`). */
  settleSpan(span: Span): void {
    const entry = this.pendingBySpan.get(span);
    if (entry !== undefined) this.settle(entry);
  }

  /** Completes every pending capture now. */
  drain(): void {
    while (this.head < this.queue.length) this.completeNext();
  }

  private drainSome(n: number): void {
    for (let i = 0; i < n && this.head < this.queue.length; i++) this.completeNext();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled || this.head >= this.queue.length) return;
    // Unref'd: a process with nothing else to do exits, and the exit hook completes the rest.
    setImmediate(this.drainTurn).unref();
    this.drainScheduled = true;
  }

  private readonly drainTurn = (): void => {
    this.drainScheduled = false;
    const backlog = Math.min(1, (this.queue.length - this.head) / MAX_PENDING);
    const deadline = performance.now() + DRAIN_BUDGET_MS + DRAIN_BUDGET_BACKLOG_MS * backlog;
    let n = 0;
    while (this.head < this.queue.length) {
      this.completeNext();
      if ((++n & 7) === 0 && performance.now() > deadline) break;
    }
    if (this.head < this.queue.length) this.scheduleDrain();
  };

  private completeNext(): void {
    const entry = this.queue[this.head];
    this.queue[this.head++] = undefined;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (entry !== undefined && !entry.done) this.complete(entry);
  }

  private complete(entry: PendingCapture): void {
    entry.done = true;
    const input = entry.input ?? { source: 'api' };
    let record: ErrorRecord;
    let kept: ErrorRecord | undefined;
    let admitted = true;
    try {
      record = this.build(entry, input);
      kept = this.filtered(record);
      if (kept !== undefined) {
        kept.occurrence = this.aggregator.observe(kept);
        admitted = this.admit(kept);
      }
    } catch (err) {
      reportInternalError('capture', err);
      record = this.minimalRecord(entry.thrown, input, true, entry.time);
      kept = record;
    }
    entry.record = kept ?? record;
    const span = entry.span;
    if (span !== undefined && this.pendingBySpan.get(span) === entry) {
      this.pendingBySpan.delete(span);
      notePendingSpans(-1);
    }
    // The capture keeps only its record from now on.
    entry.thrown = undefined;
    entry.context = undefined;
    entry.input = undefined;
    entry.breadcrumbs = undefined;
    if (kept === undefined) return;
    try {
      this.keep(kept, entry.time, span, input.addEvent ?? true, admitted);
    } catch (err) {
      reportInternalError('capture', err);
    }
  }

  /** `ignoreErrors`, then `beforeRecord`: the record every sink gets, or undefined for none. */
  private filtered(record: ErrorRecord): ErrorRecord | undefined {
    if (this.filter.ignores(record.exception)) return undefined;
    if (this.options.beforeRecord === undefined) return record;
    // The hook sees the occurrence this record will have if it keeps its fingerprint.
    record.occurrence = this.aggregator.count(record.fingerprint) + 1;
    const kept = this.filter.apply(record);
    // The hook may have changed the resources: the whole line is then stringified afresh.
    this.resourcesText = undefined;
    return kept;
  }

  private build(entry: PendingCapture, input: CaptureInput): ErrorRecord {
    const o = this.options;
    const now = entry.time;
    const thrown = entry.thrown;
    // A custom fingerprint may look at anything: then every error takes the full path.
    const probe =
      input.fingerprint === undefined && o.fingerprint === undefined ? this.repeats.probe(thrown) : undefined;
    const known = probe === undefined ? undefined : this.repeats.lookup(probe, input.phase);
    let exception = known?.exception;
    if (exception === undefined) {
      exception = normalizeThrown(thrown, o.limits, this.redactor, probe?.stack);
      // Source lines are read here, at completion: a file once, then from the cache.
      const context = this.sourceContext?.build(exception.stacktrace);
      if (context !== undefined) exception.sourceContext = context;
    }
    const fp =
      known?.fingerprint ??
      fingerprintException(
        exception,
        {
          projectRoot: o.projectRoot,
          custom: o.fingerprint,
          version: o.fingerprintVersion,
          ...(o.sourceContext ? { sourceFiles: sharedSourceFiles } : { sourceFiles: NO_SOURCE_FILES }),
        },
        input.fingerprint,
        { phase: input.phase, videoHash: input.videoHash },
      );
    if (probe !== undefined && known?.fingerprint === undefined)
      this.repeats.remember(probe, exception, fp, input.phase);
    const m = entry.memory;
    const identity = this.identities.of(entry.span);
    const record: ErrorRecord = {
      schema: RECORD_SCHEMA_VERSION,
      id: nextRecordId(now),
      time: isoTime(now),
      service: identity.service,
      process: this.process,
      source: input.source,
      exception,
      fingerprint: fp.fingerprint,
      fingerprintVersion: fp.version,
      messageTemplate: fp.template,
      occurrence: 0,
      classification: this.classifier.classify(thrown).toJSON(),
      // Captures of one millisecond share one reading; each record gets its own copy.
      memory: { ...m },
    };
    if (identity.environment !== undefined) record.environment = identity.environment;
    if (input.phase !== undefined) record.phase = input.phase;
    if (input.videoHash !== undefined) record.videoHash = input.videoHash;
    const request = requestInfoOf(entry.span, this.redactor);
    if (request !== undefined) record.request = request;
    if (input.phaseStartedAt !== undefined) record.phaseElapsedMs = Math.max(0, now - input.phaseStartedAt);
    if (entry.context !== undefined)
      record.context = asObject(toBoundedJson(entry.context, o.limits, this.redactor));
    // What a web framework's error handler saw goes over what a span said.
    if (input.request !== undefined)
      record.request = { ...record.request, ...boundRequestContext(input.request, this.redactor) };
    const sc = entry.span?.spanContext();
    if (sc !== undefined && sc.traceId !== '00000000000000000000000000000000') {
      record.trace = { traceId: sc.traceId, spanId: sc.spanId };
    }
    if (this.monitor !== undefined) {
      const resources = this.monitor.errorTimeResources(input.resourceMode, now);
      const snapshot = this.monitor.heapSnapshotFor(record.fingerprint, record.classification.category);
      if (snapshot !== undefined) resources.heap_snapshot = snapshot;
      record.resources = resources;
      // The monitor keeps its figures ready as text (same keys, order and numbers): a whole line
      // splices that in rather than stringify ~1 KB again (light mode reads live figures: no).
      const mode = input.resourceMode ?? this.monitor.options.mode;
      this.resourcesText =
        snapshot === undefined && mode === 'full'
          ? { record, text: this.monitor.errorTimeResourcesJson(mode, now) }
          : undefined;
    }
    if (entry.breadcrumbs !== undefined && o.breadcrumbs !== false) {
      const crumbs = formatBreadcrumbs(
        entry.breadcrumbs.trail,
        entry.breadcrumbs.seq,
        o.breadcrumbs,
        this.redactor,
      );
      if (crumbs !== undefined) record.breadcrumbs = crumbs;
    }
    return record;
  }

  /**
   * The record's whole store line (JSON), cut to `maxRecordBytes`. A record that had to be cut
   * is cut in place too, so what the caller holds is what was stored.
   */
  private wholeJson(record: ErrorRecord): string {
    const max = this.options.limits.maxRecordBytes;
    const spliced = this.resourcesText?.record === record ? this.resourcesText.text : undefined;
    if (spliced === undefined || spliced.length > max / 4) {
      const fitted = fitRecordToJson(record, max);
      if (fitted.record !== record) cutInPlace(record, fitted.record, undefined);
      return fitted.json;
    }
    const { resources, ...rest } = record;
    const fitted = fitRecordToJson(rest, max - spliced.length - 14);
    if (fitted.record !== rest) cutInPlace(record, fitted.record, 'resources');
    return `${fitted.json.slice(0, -1)},"resources":${spliced}}`;
  }

  private keep(
    record: ErrorRecord,
    timeMs: number,
    span: Span | undefined,
    addEvent: boolean,
    admitted: boolean,
  ): void {
    if (this.closed) {
      this.droppedAfterShutdown++;
      reportOnce('after-shutdown', 'an error was captured after shutdown(); it is returned but not stored');
    } else if (this.store !== undefined && admitted) {
      this.store.appendRecord(
        record,
        () => this.wholeJson(record),
        this.options.limits.maxRecordBytes,
        timeMs,
      );
    }
    if (span !== undefined && addEvent) this.spans.record(span, record);
    if (this.detector !== undefined) {
      for (const warning of this.detector.observe(record)) this.warn(warning, span);
    }
    for (const listener of this.listeners) listener(record);
    if (this.options.onRecord !== undefined) {
      try {
        this.options.onRecord(record);
      } catch (err) {
        reportInternalError('onRecord callback', err);
      }
    }
  }

  private warn(warning: PatternWarning, span: Span | undefined): void {
    this.warnings.push(warning);
    if (this.warnings.length > MAX_KEPT_WARNINGS) this.warnings.shift();
    if (this.options.warnOnStderr) {
      try {
        process.stderr.write(`error-insight: ${warning.message}\n`);
      } catch {
        // stderr closed: the warning is still in stats and on the span.
      }
    }
    if (span !== undefined) {
      this.spans.recordPattern(span, 'error_insight.pattern', {
        'error_insight.pattern.kind': warning.kind,
        'error_insight.pattern.message': warning.message,
        ...(warning.fingerprint === undefined ? {} : { 'error_insight.fingerprint': warning.fingerprint }),
      });
    }
    if (this.options.onPattern !== undefined) {
      try {
        this.options.onPattern(warning);
      } catch (err) {
        reportInternalError('onPattern callback', err);
      }
    }
  }

  private minimalRecord(thrown: unknown, input: CaptureInput, redact: boolean, now: number): ErrorRecord {
    let type = 'unknown';
    let message = '[unreadable thrown value]';
    try {
      const name = (thrown as { constructor?: { name?: unknown } } | null)?.constructor?.name;
      if (typeof name === 'string' && name !== '' && typeof thrown === 'object')
        type = redact ? this.redactor.redactString(name.slice(0, 200)) : name;
      message = String((thrown as { message?: unknown } | null)?.message ?? thrown).slice(0, 1000);
      if (redact) message = this.redactor.redactString(message);
    } catch {
      // With no stack left, even redaction can fail: keep no unredacted text.
      if (message !== '[unreadable thrown value]') message = '[unredacted message withheld]';
    }
    const classification: ClassificationInfo = {
      category: 'unknown',
      severity: 'medium',
      retryable: false,
      suggestion: 'error-insight could not fully capture this error; see its stderr diagnostic.',
      rule: 'capture-failed',
    };
    return {
      schema: RECORD_SCHEMA_VERSION,
      id: nextRecordId(now),
      time: isoTime(now),
      service: this.identities.fallback.service,
      process: { pid: process.pid, hostname: this.process.hostname },
      source: input.source,
      exception: { type, message, truncated: true },
      fingerprint: 'capture-failed',
      fingerprintVersion: 'none',
      occurrence: 1,
      classification,
      memory: { heapUsed: 0, heapTotal: 0, heapLimit: 0, heapUsedRatio: 0 },
      ...(input.phase === undefined ? {} : { phase: input.phase }),
      ...(input.videoHash === undefined ? {} : { videoHash: input.videoHash }),
    };
  }

  /**
   * The opt-in flood guard's decision; a stored record says how many of its fingerprint were
   * folded since the previous stored one.
   */
  private admit(record: ErrorRecord): boolean {
    const guard = this.floodGuard;
    if (guard === undefined) return true;
    if (!guard.admit(record.fingerprint, Date.now())) {
      this.foldedSinceStored.set(
        record.fingerprint,
        (this.foldedSinceStored.get(record.fingerprint) ?? 0) + 1,
      );
      if (this.foldedSinceStored.size > this.options.maxFingerprints) {
        const oldest = this.foldedSinceStored.keys().next();
        if (oldest.done !== true) this.foldedSinceStored.delete(oldest.value);
      }
      return false;
    }
    const folded = this.foldedSinceStored.get(record.fingerprint);
    if (folded !== undefined) {
      record.foldedBefore = folded;
      this.foldedSinceStored.delete(record.fingerprint);
    }
    return true;
  }

  /**
   * Teaches the pattern detector the store's recent history in the background, so a regression
   * is recognised across restarts. Bounded to the newest files so start-up stays cheap.
   */
  private seedPatterns(): Promise<void> {
    const detector = this.detector;
    const dir = this.store?.unusable === false ? this.store.dir : undefined;
    if (detector === undefined || dir === undefined) return Promise.resolve();
    return listStoreFiles(dir)
      .then((files) =>
        // Records of another fingerprint version are seen as this one would group them.
        detector.seedAsync(
          regroupRecords(readStore(files.slice(-SEED_FILES)), {
            projectRoot: this.options.projectRoot,
            custom: this.options.fingerprint,
            version: this.options.fingerprintVersion,
            sourceFiles: this.options.sourceContext ? sharedSourceFiles : NO_SOURCE_FILES,
          }),
        ),
      )
      .catch((err: unknown) => reportInternalError('pattern history', err));
  }

  /** Records that could not be kept: store overflow plus captures after shutdown. */
  droppedCount(): number {
    this.drain();
    return (this.store?.stats().dropped ?? 0) + this.droppedAfterShutdown;
  }

  /** Counts, top errors, patterns and drops. */
  stats(): EngineStats {
    this.drain();
    const base = this.aggregator.stats();
    const store = this.store?.stats();
    const stats: EngineStats = {
      ...base,
      patterns: [...this.warnings],
      dropped: this.droppedCount(),
      store,
      filtered: this.filter.counts(),
    };
    if (this.exportStats !== undefined) stats.export = this.exportStats();
    return stats;
  }

  /** @internal The registration's OTLP export counters, shown in `stats().export`. */
  setExportStats(source: () => OtlpExportStats): void {
    this.exportStats = source;
  }

  /** @internal Exceptions go out as log records only: spans keep their error status, without the event. */
  setSpanEvents(on: boolean): void {
    this.spans.events = on;
  }

  /** @internal Called by the exit hook: from now on captures complete at once. */
  markExiting(): void {
    this.exiting = true;
  }

  /** For exit paths: completes pending captures and writes them synchronously. Never throws. */
  flushSync(): void {
    try {
      this.drain();
      this.store?.flushSync();
    } catch (err) {
      reportInternalError('flushSync', err);
    }
  }

  /** Writes everything accepted so far to the store. */
  async flush(): Promise<void> {
    try {
      this.drain();
      await this.store?.flush();
    } catch (err) {
      reportInternalError('flush', err);
    }
  }

  /** Flushes and closes; idempotent, and concurrent calls share one shutdown. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      this.drain();
      this.closed = true;
      this.monitor?.stop();
      this.watchdog?.stop();
      this.stopBreadcrumbs?.();
      unregisterExitFlush(this);
      removeSpanSettler(this);
      try {
        await this.store?.close();
      } catch (err) {
        reportInternalError('shutdown', err);
      }
    })();
    return this.shutdownPromise;
  }
}

/** Makes `record` the cut copy `fitted` (leaving `keep` as it is), so the caller holds what was stored. */
function cutInPlace(record: ErrorRecord, fitted: object, keep: string | undefined): void {
  const r = record as unknown as Record<string, unknown>;
  for (const key of Object.keys(r)) if (key !== keep && !(key in fitted)) delete r[key];
  Object.assign(r, fitted);
}

function asObject(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonObject)
    : { value: value as JsonObject[string] };
}
