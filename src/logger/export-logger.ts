import { isPromise } from 'node:util/types';
import { type Span, type Tracer, trace } from '@opentelemetry/api';
import { newScopeTrail } from '../breadcrumbs/breadcrumb-trails.js';
import { reportInternalError } from '../diag/diagnostics.js';
import type { EngineOptions } from '../engine/engine-options.js';
import { type EngineStats, ErrorEngine } from '../engine/error-engine.js';
import type { ErrorRecord, RecordSource, RequestInfo } from '../record.js';
import type { ReportFormat, ReportOptions } from '../report/generate-report.js';
import { ATTR_PHASE, ATTR_VIDEO_HASH } from '../semconv.js';
import type { StoreOptions } from '../store/store-options.js';
import { currentScope, type ErrorScope, runInScope } from './error-scope.js';

/** Options of {@link ExportLogger}: the original specification's four, plus everything the engine takes. */
export interface ExportLoggerOptions extends EngineOptions {
  /** The original specification's `log_file`: the store's active file; its directory is the store. @default '.error-insight/errors.jsonl' */
  logFile?: string;
  /** The original specification's `max_logs`: records per file before it rotates. @default 1000 */
  maxLogs?: number;
  /** The original specification's `retention_days`: files older than this are removed. @default 30 */
  retentionDays?: number;
  /** The original specification's `auto_flush`: write batches on a short timer as well as when they fill. @default true */
  autoFlush?: boolean;
  /** The tracer for `logErrors`/`withErrorLogging` phase spans. @default the global tracer provider's */
  tracer?: Tracer;
}

/** The logger's standing context, as the original specification's `set_context(phase=…, video_hash=…)`. */
export interface LoggerContext {
  phase?: string;
  videoHash?: string;
  /** The original specification's spelling, accepted too. */
  video_hash?: string;
  /** Any other key becomes part of every record's context. */
  [key: string]: unknown;
}

/** Per-call options of {@link ExportLogger.logStructuredError}. */
export interface LogErrorOptions {
  phase?: string;
  videoHash?: string;
  /** Fingerprint parts that replace the default grouping; `'{{ default }}'` stands for the default. */
  fingerprint?: string[];
}

/** A `logErrors` scope: the phase and video it covers, and what to do with an error. */
export interface LogErrorsScope {
  phase?: string;
  videoHash?: string;
  /** Extra context for errors recorded inside the scope. */
  context?: Record<string, unknown>;
  /** Rethrow the error after recording it. @default true */
  rethrow?: boolean;
  /** Name of the span the scope runs in. @default the phase */
  name?: string;
  /**
   * `'light'` records only V8 heap-space statistics as the resource state of errors in this
   * scope, for performance-sensitive phases (the original specification's advice). @default the logger's mode ('full')
   */
  resources?: 'full' | 'light';
}

/** What `exportLogs` takes: the original specification's `format` and `output_file`. */
export interface ExportLogsOptions extends Omit<ReportOptions, 'source' | 'format'> {
  format: ReportFormat;
}

const TRACER_NAME = 'error-insight';

/** `T`, or `T | undefined` inside the same promise-ness, for `rethrow: false`. */
export type Swallowed<T> = T extends Promise<infer U> ? Promise<U | undefined> : T | undefined;

function checkString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new TypeError(`error-insight: ${name} must be a string, got ${typeof value}`);
  return value;
}

/**
 * The original specification's `ExportLogger`: records errors of an export pipeline with their phase, video hash
 * and context, keeps them in the local store, and answers stats and exports. Works with or
 * without an OpenTelemetry SDK; when one is registered, errors also become span events.
 */
export class ExportLogger {
  /** @internal The engine both entrances feed. */
  readonly engine: ErrorEngine;
  private base: { phase?: string; videoHash?: string; context?: Record<string, unknown> } = {};
  private tracer: Tracer;

  constructor(options: ExportLoggerOptions = {}) {
    if (options === null || typeof options !== 'object')
      throw new TypeError('error-insight: options must be an object');
    const { logFile, maxLogs, retentionDays, autoFlush, tracer, ...engineOptions } = options;
    this.tracer = tracer ?? trace.getTracer(TRACER_NAME);
    const seed: StoreOptions = {};
    if (logFile !== undefined) seed.logFile = logFile;
    if (maxLogs !== undefined) seed.maxLogs = maxLogs;
    if (retentionDays !== undefined) seed.retentionDays = retentionDays;
    if (autoFlush !== undefined) seed.autoFlush = autoFlush;
    if (engineOptions.store === false && Object.keys(seed).length > 0) {
      throw new TypeError(
        'error-insight: logFile/maxLogs/retentionDays/autoFlush need a store, but store is false',
      );
    }
    const store = engineOptions.store === false ? false : { ...engineOptions.store, ...seed };
    this.engine = new ErrorEngine({ ...engineOptions, store });
    if (this.engine.options.captureUncaught) process.on('uncaughtExceptionMonitor', this.crashMonitor);
  }

  // A monitor observes the crash without handling it: Node still prints the error and exits
  // with its usual code, which an `uncaughtException` listener would change.
  private readonly crashMonitor = (err: unknown, origin: string): void => {
    // Recorded already on its way out (a scope that rethrew it, or a catch that logged it).
    if (!this.engine.wasLastCaptured(err)) {
      this.record(err, origin === 'unhandledRejection' ? 'unhandled-rejection' : 'uncaught');
    }
    // The process is about to die: get the record on disk now rather than rely on later hooks.
    this.engine.flushSync();
  };

  /** @internal Phase spans go to this tracer from now on (its provider need not be global). */
  useTracer(tracer: Tracer): void {
    this.tracer = tracer;
  }

  /** Directory of the local store, or undefined when the store is off. */
  get storeDir(): string | undefined {
    return this.engine.store?.dir;
  }

  /** Sets the standing phase, video hash and extra context of later records (the original specification's `set_context`). */
  setContext(context: LoggerContext): void {
    if (context === null || typeof context !== 'object') {
      throw new TypeError('error-insight: setContext takes an object such as { phase, videoHash }');
    }
    const { phase, videoHash, video_hash, ...rest } = context;
    const next: { phase?: string; videoHash?: string; context?: Record<string, unknown> } = {};
    const p = checkString('phase', phase);
    const v = checkString('videoHash', videoHash ?? video_hash);
    if (p !== undefined) next.phase = p;
    if (v !== undefined) next.videoHash = v;
    if (Object.keys(rest).length > 0) next.context = rest;
    this.base = next;
  }

  /** Forgets the standing context. */
  clearContext(): void {
    this.base = {};
  }

  /**
   * Records one error with extra context (the original specification's `log_structured_error`) and returns the
   * record: its fingerprint, occurrence count, classification, memory state… Logging never
   * throws; only bad options (not an object, a non-string phase) get a TypeError. The same error
   * object is recorded once: a later call (another catch block, another entrance) returns the
   * record made the first time.
   */
  logStructuredError(
    error: unknown,
    context?: Record<string, unknown>,
    options: LogErrorOptions = {},
  ): ErrorRecord {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('error-insight: logStructuredError options must be an object such as { phase }');
    }
    checkString('phase', options.phase);
    checkString('videoHash', options.videoHash);
    return this.engine.recordOf(error) ?? this.record(error, 'api', context, options);
  }

  /**
   * @internal The span processor's entrance: an exception recorded on `span` by anyone. Phase
   * and video come from the span's attributes, then the scope, then `setContext`, as for the API.
   */
  recordFromSpan(error: unknown, span: Span, phase: string | undefined, videoHash: string | undefined): void {
    const existing = this.engine.recordOf(error);
    if (existing !== undefined) {
      this.engine.markSpanFailed(span, error);
      return;
    }
    this.record(
      error,
      'span',
      undefined,
      { ...(phase ? { phase } : {}), ...(videoHash ? { videoHash } : {}) },
      span,
    );
  }

  /**
   * @internal A web framework's error handler: an error that failed `request`. An error recorded
   * already (a catch block that logged it before passing it on) keeps its first record.
   */
  recordFromRequest(error: unknown, request: RequestInfo): ErrorRecord {
    return this.engine.recordOf(error) ?? this.record(error, 'api', undefined, {}, undefined, request);
  }

  /**
   * @internal A log call that carried an error (pino). Its fields are the context; `span` is
   * the one the log line names when it was written in another thread. An error recorded
   * already keeps its first record.
   */
  recordFromLog(
    error: unknown,
    context: Record<string, unknown>,
    options: { phase?: string; videoHash?: string },
    span?: Span,
  ): ErrorRecord {
    return this.engine.recordOf(error) ?? this.record(error, 'log', context, options, span);
  }

  private record(
    error: unknown,
    source: RecordSource,
    context?: Record<string, unknown>,
    options: LogErrorOptions = {},
    span?: Span,
    request?: RequestInfo,
  ): ErrorRecord {
    const scope = currentScope();
    return this.engine.capture(error, {
      source,
      // With no context manager (the provider is not global) the scope knows its span.
      span: span ?? trace.getActiveSpan() ?? scope?.span,
      phase: options.phase ?? scope?.phase ?? this.base.phase,
      videoHash: options.videoHash ?? scope?.videoHash ?? this.base.videoHash,
      phaseStartedAt:
        options.phase === undefined || options.phase === scope?.phase ? scope?.startedAt : undefined,
      resourceMode: scope?.resources,
      context: mergeContext(this.base.context, scope?.context, context),
      fingerprint: options.fingerprint,
      request,
    });
  }

  /**
   * Runs `fn` inside a span named after the phase and records any error it throws or rejects
   * with (the original specification's `log_errors` context manager). Sync functions stay sync. Rethrows by
   * default; with `rethrow: false` the error is recorded and `undefined` returned.
   */
  logErrors<T>(scope: LogErrorsScope & { rethrow: false }, fn: () => T): Swallowed<T>;
  logErrors<T>(scope: LogErrorsScope, fn: () => T): T;
  logErrors<T>(scope: LogErrorsScope, fn: () => T): T | Swallowed<T> {
    if (scope === null || typeof scope !== 'object')
      throw new TypeError('error-insight: logErrors needs a scope object');
    if (typeof fn !== 'function') throw new TypeError('error-insight: logErrors needs a function to run');
    const phase = checkString('phase', scope.phase);
    const videoHash = checkString('videoHash', scope.videoHash);
    const spanName = checkString('name', scope.name);
    if (scope.resources !== undefined && scope.resources !== 'full' && scope.resources !== 'light') {
      throw new TypeError("error-insight: logErrors resources must be 'full' or 'light'");
    }
    const rethrow = scope.rethrow ?? true;
    const enclosing = currentScope();
    const inner: ErrorScope = {
      phase,
      videoHash,
      context: scope.context,
      startedAt: Date.now(),
      recorded: { set: false, value: undefined },
      resources: scope.resources,
      trail: enclosing?.trail ?? newScopeTrail(),
    };
    const attributes: Record<string, string> = {};
    const effectivePhase = phase ?? enclosing?.phase ?? this.base.phase;
    if (effectivePhase !== undefined) attributes[ATTR_PHASE] = effectivePhase;
    const effectiveVideo = videoHash ?? enclosing?.videoHash ?? this.base.videoHash;
    if (effectiveVideo !== undefined) attributes[ATTR_VIDEO_HASH] = effectiveVideo;

    return this.tracer.startActiveSpan(
      spanName ?? effectivePhase ?? 'error-insight.scope',
      { attributes },
      (span) => {
        inner.span = span;
        return runInScope(inner, () => {
          const fail = (err: unknown): undefined => {
            try {
              // Recorded further in (by an inner scope, which tells us through our slot, or by a
              // catch that logged this very object): mark the span, never record twice.
              const inside = inner.recorded?.set === true && Object.is(inner.recorded.value, err);
              if (inside || this.engine.wasCaptured(err)) this.engine.markSpanFailed(span, err);
              else this.record(err, 'api');
              if (enclosing?.recorded !== undefined) {
                enclosing.recorded.set = true;
                enclosing.recorded.value = err;
              }
            } catch (internal) {
              reportInternalError('logErrors', internal);
            }
            span.end();
            if (rethrow) throw err;
            return undefined;
          };
          let result: T;
          try {
            result = fn();
          } catch (err) {
            return fail(err) as T;
          }
          // Only a real promise is awaited: another thenable (a query builder, say) is the
          // caller's to run, and calling its `then` here would run it early.
          if (isPromise(result)) {
            return result.then(
              (value) => {
                span.end();
                return value;
              },
              (err: unknown) => fail(err),
            ) as T;
          }
          span.end();
          return result;
        });
      },
    );
  }

  /** Totals, unique errors, the most frequent fingerprints, patterns and drops (the original specification's `get_error_stats`). */
  getErrorStats(): EngineStats {
    return this.engine.stats();
  }

  /**
   * Exports the store as JSON, CSV or an HTML report (the original specification's `export_logs`). Returns the
   * content, or the path written when `outputFile` is given.
   */
  async exportLogs(options: ExportLogsOptions): Promise<string> {
    if (options === null || typeof options !== 'object')
      throw new TypeError('error-insight: exportLogs takes { format }');
    const { generateReport } = await import('../report/generate-report.js');
    const dir = this.engine.store?.dir;
    if (dir === undefined)
      throw new TypeError('error-insight: exportLogs needs the local store, which is off');
    await this.flush();
    return generateReport({ ...options, source: { store: dir } });
  }

  /** Writes everything recorded so far to the store (the original specification's `flush`). */
  flush(): Promise<void> {
    return this.engine.flush();
  }

  /** Flushes and stops; idempotent. Errors recorded later are returned but not stored. */
  shutdown(): Promise<void> {
    process.off('uncaughtExceptionMonitor', this.crashMonitor);
    return this.engine.shutdown();
  }
}

function mergeContext(
  ...parts: Array<Record<string, unknown> | undefined>
): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const part of parts) {
    if (part === undefined || part === null) continue;
    if (typeof part !== 'object') {
      out = { ...out, value: part };
      continue;
    }
    out = out === undefined ? part : { ...out, ...part };
  }
  return out;
}
