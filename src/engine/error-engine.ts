import { hostname } from 'node:os';
import { join } from 'node:path';
import { type Span, trace } from '@opentelemetry/api';
import { toBoundedJson } from '../capture/bounded-json.js';
import { fitRecordToJson } from '../capture/fit-record.js';
import { DEFAULT_MEMORY_SAMPLE_MAX_AGE_MS, MemorySampler } from '../capture/memory.js';
import { normalizeThrown } from '../capture/normalize-thrown.js';
import { Redactor } from '../capture/redactor.js';
import { ExceptionClassifier } from '../classify/exception-classifier.js';
import { reportInternalError, reportOnce } from '../diag/diagnostics.js';
import { ErrorAggregator, type ErrorStats } from '../grouping/error-aggregator.js';
import { fingerprintException } from '../grouping/fingerprint.js';
import { FloodGuard } from '../grouping/flood-guard.js';
import { PatternDetector, type PatternWarning } from '../grouping/pattern-detector.js';
import {
  type ClassificationInfo,
  type ErrorRecord,
  type JsonObject,
  RECORD_SCHEMA_VERSION,
  type RecordSource,
} from '../record.js';
import { ResourceMonitor } from '../resources/resource-monitor.js';
import { JsonlStore, type StoreStats } from '../store/jsonl-store.js';
import { listStoreFiles, readStore } from '../store/read-store.js';
import { type EngineOptions, type ResolvedEngineOptions, resolveEngineOptions } from './engine-options.js';
import { nextRecordId } from './record-id.js';
import { SpanRecorder } from './span-recorder.js';
import { type SharedLine, StackSharing } from './stack-sharing.js';

/** What the caller knows about an error besides the thrown value. */
export interface CaptureInput {
  source: RecordSource;
  /** Caller context (bounded and redacted before it is kept). */
  context?: unknown;
  phase?: string | undefined;
  videoHash?: string | undefined;
  /** When the enclosing phase started (ms since the epoch). */
  phaseStartedAt?: number | undefined;
  /** How much resource state to attach. @default the monitor's mode */
  resourceMode?: 'full' | 'light' | undefined;
  /** The span to put the exception event on. @default the active span */
  span?: Span | undefined;
  /** @internal Set on the retry of a capture that ran out of stack. */
  deferred?: boolean;
  /** Put the exception event on the span. @default true */
  addEvent?: boolean;
  /** Fingerprint parts that override the default (`'{{ default }}'` stands for it). */
  fingerprint?: string[] | undefined;
}

/** Stats of the engine: the grouping stats plus what the store and the engine had to drop. */
export interface EngineStats extends ErrorStats {
  /** Records that could not be kept: store overflow plus captures after shutdown. */
  dropped: number;
  store: StoreStats | undefined;
}

const MAX_KEPT_WARNINGS = 100;
/** Newest store files read to seed pattern history (with the default maxLogs: 5,000 records). */
const SEED_FILES = 5;

/** A record, its store line when it was serialized already, and its resources as JSON text. */
interface Built {
  record: ErrorRecord;
  json: string | undefined;
  resourcesJson: string | undefined;
  /** Both forms of a line whose stack frames other lines of its fingerprint share (see {@link StackSharing}). */
  shared?: SharedLine | undefined;
  /** False when the flood guard folded it: counted, not stored. */
  admitted: boolean;
}

/**
 * The capture engine: thrown value → bounded, redacted, classified, fingerprinted record with
 * memory and resource state → store, span event, stats and pattern warnings. Both entrances
 * (the seed API and the span processor) go through {@link ErrorEngine.capture}, which never
 * throws into the caller.
 */
export class ErrorEngine {
  readonly options: ResolvedEngineOptions;
  readonly store: JsonlStore | undefined;
  private readonly redactor: Redactor;
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
  private readonly stackSharing = new StackSharing();
  private readonly host = hostname();
  /** Thrown objects already recorded, with their record, so a rethrow is counted once. */
  private readonly seen = new WeakMap<object, ErrorRecord>();
  /** The last thrown primitive recorded (primitives cannot be weak keys), for the crash monitor. */
  private lastPrimitive: { value: unknown; record: ErrorRecord } | undefined;
  private readonly warnings: PatternWarning[] = [];
  private droppedAfterShutdown = 0;
  private closed = false;
  private shutdownPromise: Promise<void> | undefined;
  constructor(options: EngineOptions = {}) {
    const o = resolveEngineOptions(options);
    this.options = o;
    this.redactor = new Redactor(o.redact);
    this.classifier = new ExceptionClassifier(o.classifier);
    this.floodGuard = o.floodGuard === false ? undefined : new FloodGuard(o.floodGuard);
    this.aggregator = new ErrorAggregator({
      maxFingerprints: o.maxFingerprints,
      ...(this.floodGuard === undefined ? {} : { floodGuard: this.floodGuard }),
    });
    this.detector = o.patterns === false ? undefined : new PatternDetector(o.patterns);
    this.store = o.store === false ? undefined : new JsonlStore(o.store);
    if (o.resources !== false && o.resources.enabled !== false) {
      const volumes = [...(o.resources.volumes ?? []), ...(this.store ? [this.store.dir] : [])];
      const heapSnapshots =
        this.store === undefined || o.resources.heapSnapshots?.dir !== undefined
          ? o.resources.heapSnapshots
          : { ...o.resources.heapSnapshots, dir: join(this.store.dir, 'heap-snapshots') };
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
  }

  /** True when this thrown object was already recorded (so an outer scope does not record it again). */
  wasCaptured(value: unknown): boolean {
    return this.recordOf(value) !== undefined;
  }

  /** The record of a thrown object already recorded. Primitives have no identity: never found. */
  recordOf(value: unknown): ErrorRecord | undefined {
    return (typeof value === 'object' && value !== null) || typeof value === 'function'
      ? this.seen.get(value)
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

  private remember(thrown: unknown, record: ErrorRecord): void {
    if ((typeof thrown === 'object' && thrown !== null) || typeof thrown === 'function')
      this.seen.set(thrown, record);
    else this.lastPrimitive = { value: thrown, record };
  }

  /** @internal Calls `listener` with every record (metrics). It must not throw. */
  subscribe(listener: (record: ErrorRecord) => void): void {
    this.listeners.push(listener);
  }

  /** Marks a span failed by an error that was already recorded further in, without a second record. */
  markSpanFailed(span: Span, err: unknown): void {
    const record = this.recordOf(err);
    // The status message comes from the record, which is redacted and bounded; never the raw error.
    this.spans.markFailed(
      span,
      record === undefined ? 'error' : `${record.exception.type}: ${record.exception.message}`,
    );
  }

  /** Records one error. Never throws: an internal failure still yields a minimal record. */
  capture(thrown: unknown, input: CaptureInput): ErrorRecord {
    let built: Built;
    try {
      built = this.build(thrown, input);
    } catch (err) {
      if (err instanceof RangeError && !input.deferred) {
        // Most likely the host's stack is nearly full (we were called from deep inside a
        // "Maximum call stack size exceeded"): capture again on a fresh stack next turn, with
        // the same async context, and hand back a provisional record meanwhile.
        const span = input.span ?? trace.getActiveSpan();
        setImmediate(() => this.capture(thrown, { ...input, span, deferred: true }));
        // It stays with the caller (who holds the error anyway): nothing of it is stored or sent.
        const provisional = this.minimalRecord(thrown, input, false);
        this.remember(thrown, provisional);
        return provisional;
      }
      reportInternalError('capture', err);
      built = {
        record: this.minimalRecord(thrown, input, true),
        json: undefined,
        resourcesJson: undefined,
        admitted: true,
      };
    }
    this.remember(thrown, built.record);
    try {
      this.keep(built, input.span ?? trace.getActiveSpan(), input.addEvent ?? true);
    } catch (err) {
      reportInternalError('capture', err);
    }
    return built.record;
  }

  private build(thrown: unknown, input: CaptureInput): Built {
    const o = this.options;
    const now = Date.now();
    const exception = normalizeThrown(thrown, o.limits, this.redactor);
    const fp = fingerprintException(
      exception,
      { projectRoot: o.projectRoot, custom: o.fingerprint },
      input.fingerprint,
      { phase: input.phase, videoHash: input.videoHash },
    );
    const record: ErrorRecord = {
      schema: RECORD_SCHEMA_VERSION,
      id: nextRecordId(now),
      time: new Date(now).toISOString(),
      service:
        o.serviceVersion === undefined
          ? { name: o.serviceName }
          : { name: o.serviceName, version: o.serviceVersion },
      process: { pid: process.pid, hostname: this.host },
      source: input.source,
      exception,
      fingerprint: fp.fingerprint,
      fingerprintVersion: fp.version,
      messageTemplate: fp.template,
      occurrence: 0,
      classification: this.classifier.classify(thrown).toJSON(),
      memory: this.memory.snapshot(),
    };
    if (input.phase !== undefined) record.phase = input.phase;
    if (input.videoHash !== undefined) record.videoHash = input.videoHash;
    if (input.phaseStartedAt !== undefined) record.phaseElapsedMs = Math.max(0, now - input.phaseStartedAt);
    if (input.context !== undefined)
      record.context = asObject(toBoundedJson(input.context, o.limits, this.redactor));
    const span = input.span ?? trace.getActiveSpan();
    const sc = span?.spanContext();
    if (sc !== undefined && sc.traceId !== '00000000000000000000000000000000') {
      record.trace = { traceId: sc.traceId, spanId: sc.spanId };
    }
    let resources: JsonObject | undefined;
    let resourcesJson: string | undefined;
    if (this.monitor !== undefined) {
      const mode = input.resourceMode;
      resources = this.monitor.errorTimeResources(mode);
      const snapshot = this.monitor.heapSnapshotFor(record.fingerprint, record.classification.category);
      if (snapshot !== undefined) resources.heap_snapshot = snapshot;
      // The monitor keeps its figures ready as text: splicing that text into the line saves
      // stringifying ~1 KB of resources on every error (measured: +11 µs → +2.7 µs per error).
      resourcesJson =
        snapshot === undefined ? this.monitor.errorTimeResourcesJson(mode) : JSON.stringify(resources);
      if (resourcesJson.length > o.limits.maxRecordBytes / 4) resourcesJson = undefined;
    }
    record.occurrence = this.aggregator.observe(record);
    const admitted = this.admit(record);
    const room = o.limits.maxRecordBytes - (resourcesJson === undefined ? 0 : resourcesJson.length + 14);
    const fitted = fitRecordToJson(record, room);
    let json = fitted.json;
    if (resourcesJson !== undefined && json.endsWith('}') && json.length > 2) {
      json = `${json.slice(0, -1)},"resources":${resourcesJson}}`;
    }
    // The record handed back and to the pattern detector has them as an object all the same.
    if (resources !== undefined) fitted.record.resources = resources;
    return {
      record: fitted.record,
      json,
      resourcesJson,
      shared: admitted ? this.stackSharing.forms(fitted.record, json) : undefined,
      admitted,
    };
  }

  private keep(built: Built, span: Span | undefined, addEvent: boolean): void {
    const { record } = built;
    if (this.closed) {
      this.droppedAfterShutdown++;
      reportOnce('after-shutdown', 'an error was captured after shutdown(); it is returned but not stored');
    } else if (this.store !== undefined && built.admitted) {
      if (built.shared !== undefined) this.store.appendShared(record.fingerprint, built.shared);
      else if (built.json !== undefined) this.store.appendJson(built.json);
      else this.store.append(record);
    }
    if (span !== undefined && addEvent) this.spans.record(span, record, built.resourcesJson);
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

  private minimalRecord(thrown: unknown, input: CaptureInput, redact: boolean): ErrorRecord {
    const now = Date.now();
    let type = 'unknown';
    let message = '[unreadable thrown value]';
    try {
      const name = (thrown as { constructor?: { name?: unknown } } | null)?.constructor?.name;
      if (typeof name === 'string' && name !== '' && typeof thrown === 'object') type = name;
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
      time: new Date(now).toISOString(),
      service: { name: this.options.serviceName },
      process: { pid: process.pid, hostname: this.host },
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
    const dir = this.store?.dir;
    if (detector === undefined || dir === undefined) return Promise.resolve();
    return listStoreFiles(dir)
      .then((files) => detector.seedAsync(readStore(files.slice(-SEED_FILES))))
      .catch((err: unknown) => reportInternalError('pattern history', err));
  }

  /** Records that could not be kept: store overflow plus captures after shutdown. */
  droppedCount(): number {
    return (this.store?.stats().dropped ?? 0) + this.droppedAfterShutdown;
  }

  /** Counts, top errors, patterns and drops. */
  stats(): EngineStats {
    const base = this.aggregator.stats();
    const store = this.store?.stats();
    return {
      ...base,
      patterns: [...this.warnings],
      dropped: this.droppedCount(),
      store,
    };
  }

  /** For exit paths: writes what is pending synchronously. Never throws. */
  flushSync(): void {
    try {
      this.store?.flushSync();
    } catch (err) {
      reportInternalError('flushSync', err);
    }
  }

  /** Writes everything accepted so far to the store. */
  async flush(): Promise<void> {
    try {
      await this.store?.flush();
    } catch (err) {
      reportInternalError('flush', err);
    }
  }

  /** Flushes and closes; idempotent, and concurrent calls share one shutdown. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      this.closed = true;
      this.monitor?.stop();
      try {
        await this.store?.close();
      } catch (err) {
        reportInternalError('shutdown', err);
      }
    })();
    return this.shutdownPromise;
  }
}

function asObject(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonObject)
    : { value: value as JsonObject[string] };
}
