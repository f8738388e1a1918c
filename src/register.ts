import { type Attributes, context, metrics, propagation, type Tracer, trace } from '@opentelemetry/api';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import type { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Redactor } from './capture/redactor.js';
import { type EnvConfig, readEnvConfig } from './config/env.js';
import { reportInternalError, reportOnce } from './diag/diagnostics.js';
import { peekDefaultExportLogger, setDefaultExportLogger } from './logger/default-logger.js';
import { ExportLogger, type ExportLoggerOptions } from './logger/export-logger.js';
import { registerErrorMetrics } from './metrics/error-metrics.js';
import { registerExportMetrics } from './metrics/export-metrics.js';
import { loadSdkMetrics } from './metrics/load-sdk-metrics.js';
import { resolveTemporalityPreference, temporalitySelector } from './metrics/metric-temporality.js';
import { registerResourceMetrics } from './metrics/resource-metrics.js';
import { type ExceptionSignal, resolveExceptionSignal } from './otlp/exception-signal.js';
import { ExportCounters } from './otlp/export-counters.js';
import { ExportGate } from './otlp/export-gate.js';
import { LogExportLoader } from './otlp/log-export-loader.js';
import type { OtlpSignalSettings } from './otlp/otlp-exporter-factory.js';
import { OtlpMetricExporter } from './otlp/otlp-metric-exporter.js';
import { type OtlpProtocol, resolveOtlpProtocol } from './otlp/otlp-protocol.js';
import { OtlpSpanProcessor } from './otlp/otlp-span-processor.js';
import {
  consoleSpanProcessors,
  selectTracesExporters,
  withTracesExporters,
} from './otlp/traces-exporter-selection.js';
import { ErrorInsightSpanProcessor } from './processor/error-insight-span-processor.js';
import { ATTR_DEPLOYMENT_ENVIRONMENT_NAME, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from './semconv.js';

/** Where spans and metrics go over OTLP/HTTP. */
export interface OtlpOptions {
  /** Base URL of the collector, e.g. `http://127.0.0.1:4318`; `/v1/traces`, `/v1/metrics` and `/v1/logs` are added. @default `OTEL_EXPORTER_OTLP_ENDPOINT` (and the per-signal `_TRACES_`/`_METRICS_`/`_LOGS_ENDPOINT`) */
  endpoint?: string;
  /** Encoding of the requests. @default `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` / `_METRICS_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`, else `'http/protobuf'` */
  protocol?: OtlpProtocol;
  /** Headers such as an API key; they never reach the store, diagnostics or reports. @default none */
  headers?: Record<string, string>;
  /** Per-request timeout, retries included. @default 10000 */
  timeoutMillis?: number;
  /** How often metrics are exported. @default 60000 */
  metricIntervalMillis?: number;
  /**
   * Where exceptions go: `'span-events'` (an `exception` event on the active span, as
   * `span.recordException` does), `'logs'` (an OTLP log record correlated with the span, the
   * semantic conventions' new form) or `'both'`. An error outside any span is a log record in
   * every mode. @default `OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN` (`logs` → `'logs'`, `logs/dup` → `'both'`), else `'span-events'`
   */
  exceptionSignal?: ExceptionSignal;
  /**
   * Send log records from the local store with a saved position, so none is lost while the
   * collector is away and a restart resumes; `false` sends them from a bounded queue in memory
   * (as without a store). @default true
   */
  durable?: boolean;
}

/** Options of {@link registerErrorInstrumentation}. */
export interface RegisterOptions extends ExportLoggerOptions {
  /**
   * OTLP export; on only when an endpoint is configured here or in `OTEL_EXPORTER_OTLP_*`. `false`
   * turns it off. Without an endpoint here, traces follow `OTEL_TRACES_EXPORTER` as the SDK reads
   * it: `otlp` (to the SDK's default endpoint if none is set), `console`, `none`, or a list.
   * @default from the environment
   */
  otlp?: OtlpOptions | false;
  /** More span processors, after error-insight's own. @default none */
  spanProcessors?: SpanProcessor[];
  /** More metric readers. @default none */
  metricReaders?: MetricReader[];
  /** Extra resource attributes. @default none */
  resourceAttributes?: Attributes;
  /** Make the providers global (`trace.getTracer` anywhere uses them). @default true */
  registerGlobal?: boolean;
  /** Upper bound of `shutdown()`: by then it resolves and every OTLP request still open is aborted, so the process can exit even if a collector hangs. @default 1500 */
  shutdownTimeoutMs?: number;
}

/** What {@link registerErrorInstrumentation} returns. */
export interface ErrorInstrumentation {
  /** The logger the original specification's API uses; also what `getExportLogger()` returns from now on. */
  readonly logger: ExportLogger;
  /** A tracer for the app's own phase spans. */
  readonly tracer: Tracer;
  readonly tracerProvider: NodeTracerProvider | undefined;
  readonly meterProvider: MeterProvider | undefined;
  /** Flushes spans, metrics and the store. */
  forceFlush(): Promise<void>;
  /** Flushes and stops everything, within `shutdownTimeoutMs`; idempotent. */
  shutdown(): Promise<void>;
}

/**
 * Default bound of `shutdown()`. The store is flushed first; what is left is the last OTLP
 * export, which a collector on the same network answers in milliseconds. 1.5 s keeps the
 * process exit under 2 s whatever the collector does.
 */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 1500;
const DEFAULT_OTLP_TIMEOUT_MS = 10_000;
/** Stall threshold of `registerErrorInstrumentation`: a block a user notices, far above a GC pause. */
const DEFAULT_STALL_THRESHOLD_MS = 2000;
const DEFAULT_METRIC_INTERVAL_MS = 60_000;

let active: ErrorInstrumentation | undefined;

/** Each signal's OTLP settings; a signal without a URL is not exported. */
interface OtlpPlan {
  traces: OtlpSignalSettings | undefined;
  metrics: OtlpSignalSettings | undefined;
  logs: OtlpSignalSettings | undefined;
  metricIntervalMillis: number;
  exceptionSignal: ExceptionSignal;
  durable: boolean;
}

const OTLP_OPTION_KEYS = [
  'endpoint',
  'protocol',
  'headers',
  'timeoutMillis',
  'metricIntervalMillis',
  'exceptionSignal',
  'durable',
];

/** A collector URL from an option or a variable: http(s) only; never echoed, it may hold credentials. */
function collectorUrl(value: unknown, source: string): URL {
  let url: URL;
  try {
    if (typeof value !== 'string') throw new TypeError();
    url = new URL(value);
  } catch {
    throw new TypeError(`error-insight: ${source} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(
      `error-insight: ${source} must be an http:// or https:// URL (OTLP/HTTP; gRPC is not supported), got a ${url.protocol} URL`,
    );
  }
  return url;
}

/** A header name as HTTP allows it (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function positiveMs(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`error-insight: otlp.${name} must be a positive number of ms, got ${String(value)}`);
  }
  return value;
}

function resolveOtlpSettings(otlp: OtlpOptions | false | undefined, env: EnvConfig): OtlpPlan {
  if (otlp === false)
    return {
      traces: undefined,
      metrics: undefined,
      logs: undefined,
      metricIntervalMillis: 0,
      exceptionSignal: resolveExceptionSignal(undefined, env.exceptionSignalOptIn),
      durable: false,
    };
  if (otlp !== undefined && (otlp === null || typeof otlp !== 'object' || Array.isArray(otlp))) {
    throw new TypeError('error-insight: otlp must be an options object or false');
  }
  for (const key of Object.keys(otlp ?? {})) {
    if (key === 'url') {
      // The SDK exporters' `url` is one signal's full URL; one option here feeds three signals.
      throw new TypeError(
        'error-insight: otlp.url is not an option; give the collector base URL as otlp.endpoint (e.g. http://127.0.0.1:4318): /v1/traces, /v1/metrics and /v1/logs are added to it',
      );
    }
    if (!OTLP_OPTION_KEYS.includes(key)) {
      throw new TypeError(
        `error-insight: unknown otlp option ${JSON.stringify(key)}; known: ${OTLP_OPTION_KEYS.join(', ')}`,
      );
    }
  }
  const headers = otlp?.headers;
  if (
    headers !== undefined &&
    (headers === null ||
      typeof headers !== 'object' ||
      Object.values(headers).some((v) => typeof v !== 'string'))
  ) {
    throw new TypeError('error-insight: otlp.headers must be an object of string values');
  }
  for (const name of Object.keys(headers ?? {})) {
    if (!HEADER_NAME.test(name))
      throw new TypeError(`error-insight: otlp.headers has an invalid header name ${JSON.stringify(name)}`);
  }
  if (otlp?.durable !== undefined && typeof otlp.durable !== 'boolean') {
    throw new TypeError('error-insight: otlp.durable must be a boolean');
  }
  const exceptionSignal = resolveExceptionSignal(otlp?.exceptionSignal, env.exceptionSignalOptIn);
  let traces = env.otlpTracesEndpoint;
  let metricsUrl = env.otlpMetricsEndpoint;
  let logsUrl = env.otlpLogsEndpoint;
  if (otlp?.endpoint !== undefined) {
    const base = collectorUrl(otlp.endpoint, 'otlp.endpoint');
    const root = base.href.endsWith('/') ? base.href : `${base.href}/`;
    traces = `${root}v1/traces`;
    metricsUrl = `${root}v1/metrics`;
    logsUrl = `${root}v1/logs`;
  } else {
    if (traces !== undefined)
      collectorUrl(traces, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (or OTEL_EXPORTER_OTLP_ENDPOINT)');
    if (metricsUrl !== undefined)
      collectorUrl(metricsUrl, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT (or OTEL_EXPORTER_OTLP_ENDPOINT)');
    if (logsUrl !== undefined)
      collectorUrl(logsUrl, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT (or OTEL_EXPORTER_OTLP_ENDPOINT)');
  }
  const timeoutMillis = positiveMs(otlp?.timeoutMillis, 'timeoutMillis', DEFAULT_OTLP_TIMEOUT_MS);
  const metricIntervalMillis = positiveMs(
    otlp?.metricIntervalMillis,
    'metricIntervalMillis',
    DEFAULT_METRIC_INTERVAL_MS,
  );
  // A protocol is validated only for a signal that is sent: a stray variable is harmless without an endpoint.
  const signal = (
    url: string | undefined,
    envProtocol: string | undefined,
    envName: string,
    envCompression: string | undefined,
  ) =>
    url === undefined
      ? undefined
      : {
          url,
          protocol:
            otlp?.protocol !== undefined
              ? resolveOtlpProtocol(otlp.protocol, 'otlp.protocol')
              : resolveOtlpProtocol(envProtocol, `${envName} (or OTEL_EXPORTER_OTLP_PROTOCOL)`),
          headers,
          timeoutMillis,
          compression: envCompression === undefined ? ('gzip' as const) : undefined,
        };
  return {
    traces: signal(
      traces,
      env.otlpTracesProtocol,
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
      env.otlpTracesCompression,
    ),
    metrics: signal(
      metricsUrl,
      env.otlpMetricsProtocol,
      'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL',
      env.otlpMetricsCompression,
    ),
    logs: signal(logsUrl, env.otlpLogsProtocol, 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL', env.otlpLogsCompression),
    metricIntervalMillis,
    exceptionSignal,
    durable: otlp?.durable ?? true,
  };
}

/**
 * Settles by `ms` at the latest, then calls `onTimeout`. The timer is not unref'd on purpose:
 * every OTLP socket and back-off timer is, so an app awaiting `shutdown()` at the top level
 * would otherwise see Node exit under it with the promise unsettled.
 */
function withTimeout(work: Promise<unknown>, ms: number, onTimeout: () => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      reportOnce(
        'shutdown-timeout',
        `shutdown took longer than ${ms} ms; gave up waiting (records stay in the store)`,
      );
      onTimeout();
      resolve();
    }, ms);
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (err: unknown) => {
        clearTimeout(timer);
        reportInternalError('shutdown', err);
        resolve();
      },
    );
  });
}

function releaseAttributes(o: ExportLogger['engine']['options']): Attributes {
  const out: Attributes = {};
  if (o.serviceVersion !== undefined) out[ATTR_SERVICE_VERSION] = o.serviceVersion;
  if (o.environment !== undefined) out[ATTR_DEPLOYMENT_ENVIRONMENT_NAME] = o.environment;
  return out;
}

/**
 * Sets error-insight up in one call: the OpenTelemetry tracer and meter providers (honouring
 * `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES` and the `OTEL_EXPORTER_OTLP_*` endpoints),
 * the span processor that enriches every exception event, the local store, crash capture,
 * breadcrumbs, event-loop stall detection (2 s; off when `NODE_ENV=test`) and resource metrics. Without an OTLP endpoint nothing is sent anywhere; records stay local.
 */
export function registerErrorInstrumentation(options: RegisterOptions = {}): ErrorInstrumentation {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('error-insight: registerErrorInstrumentation takes an options object');
  }
  const {
    otlp,
    spanProcessors = [],
    metricReaders = [],
    resourceAttributes = {},
    registerGlobal = true,
    shutdownTimeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS,
    ...loggerOptions
  } = options;
  if (!Number.isFinite(shutdownTimeoutMs) || shutdownTimeoutMs < 0) {
    throw new RangeError(
      `error-insight: shutdownTimeoutMs must be a non-negative number, got ${shutdownTimeoutMs}`,
    );
  }
  const env = readEnvConfig();
  const traceExporters = selectTracesExporters(env.tracesExporters);
  const otlpSettings = resolveOtlpSettings(otlp, withTracesExporters(env, traceExporters));
  if (active !== undefined) {
    reportOnce(
      'register-twice',
      'registerErrorInstrumentation() was called again; returning the first instance',
    );
    return active;
  }
  const logger = new ExportLogger({
    captureUncaught: true,
    breadcrumbs: true,
    stall: env.testEnvironment ? false : { thresholdMs: DEFAULT_STALL_THRESHOLD_MS },
    ...loggerOptions,
  });
  // A default logger made earlier (by getExportLogger or logExportError) would go on watching
  // for crashes and writing its own files: this one replaces it.
  const previous = peekDefaultExportLogger();
  if (previous !== undefined && previous !== logger) void previous.shutdown();
  setDefaultExportLogger(logger);

  let tracerProvider: NodeTracerProvider | undefined;
  let meterProvider: MeterProvider | undefined;
  let logExport: LogExportLoader | undefined;
  const gate = new ExportGate();
  const counters = new ExportCounters();
  const exporting = otlpSettings.traces !== undefined || otlpSettings.logs !== undefined;
  if (exporting) logger.engine.setExportStats(() => counters.snapshot());
  if (!env.sdkDisabled) {
    const resource = defaultResource()
      .merge(detectResources({ detectors: [envDetector, hostDetector, processDetector] }))
      .merge(
        resourceFromAttributes({
          ...resourceAttributes,
          [ATTR_SERVICE_NAME]: logger.engine.options.serviceName,
          // The release and environment of the records go on the spans and metrics too.
          ...releaseAttributes(logger.engine.options),
        }),
      );
    tracerProvider = new NodeTracerProvider({
      resource,
      spanProcessors: [
        // Log records go out through this registration's own export (below), not the Logs API.
        new ErrorInsightSpanProcessor({ logger, exceptionSignal: 'span-events' }),
        ...(otlpSettings.traces
          ? [
              new OtlpSpanProcessor(
                otlpSettings.traces,
                gate,
                counters,
                new Redactor(logger.engine.options.redact),
              ),
            ]
          : []),
        ...spanProcessors,
        ...consoleSpanProcessors(traceExporters),
      ],
    });
    const readers: MetricReader[] = [...metricReaders];
    // sdk-metrics is loaded only when something will read the metrics.
    if (otlpSettings.metrics || readers.length > 0) {
      const sdk = loadSdkMetrics();
      if (otlpSettings.metrics) {
        const temporality = temporalitySelector(
          resolveTemporalityPreference(env.otlpMetricsTemporality),
          sdk,
        );
        readers.push(
          new sdk.PeriodicExportingMetricReader({
            exporter: new OtlpMetricExporter(otlpSettings.metrics, gate, temporality),
            exportIntervalMillis: otlpSettings.metricIntervalMillis,
          }),
        );
      }
      meterProvider = new sdk.MeterProvider({ resource, readers });
      const meter = meterProvider.getMeter('error-insight');
      registerErrorMetrics(meter, logger.engine);
      if (exporting) registerExportMetrics(meter, counters);
      if (logger.engine.monitor !== undefined) registerResourceMetrics(meter, logger.engine.monitor);
    }
    if (registerGlobal) {
      tracerProvider.register();
      if (meterProvider !== undefined) metrics.setGlobalMeterProvider(meterProvider);
    }
    logger.useTracer(tracerProvider.getTracer('error-insight'));
    // With exceptions as log records only, spans keep their error status but get no event.
    if (otlpSettings.exceptionSignal === 'logs' && otlpSettings.logs !== undefined)
      logger.engine.setSpanEvents(false);
    else if (
      otlpSettings.exceptionSignal !== 'span-events' &&
      otlpSettings.logs === undefined &&
      otlpSettings.traces !== undefined
    )
      reportOnce(
        'exception-signal-no-logs',
        'exceptions are to go out as log records, but no logs endpoint is set (otlp.endpoint or OTEL_EXPORTER_OTLP_LOGS_ENDPOINT): they stay span events',
      );
    if (otlpSettings.logs !== undefined) {
      const store = logger.engine.store;
      logExport = new LogExportLoader(
        logger.engine,
        {
          settings: otlpSettings.logs,
          signal: otlpSettings.exceptionSignal,
          durable: otlpSettings.durable,
          retentionMs: (store?.retentionDays ?? 0) * 86_400_000,
          limits: {
            ...(env.logAttributeValueLengthLimit === undefined
              ? {}
              : { attributeValueLengthLimit: env.logAttributeValueLengthLimit }),
            ...(env.logAttributeCountLimit === undefined
              ? {}
              : { attributeCountLimit: env.logAttributeCountLimit }),
          },
        },
        gate,
        resource,
        counters,
      );
    }
  }

  let shutdownPromise: Promise<void> | undefined;
  const instance: ErrorInstrumentation = {
    logger,
    tracer: tracerProvider?.getTracer('error-insight') ?? trace.getTracer('error-insight'),
    tracerProvider,
    meterProvider,
    async forceFlush() {
      await Promise.allSettled([tracerProvider?.forceFlush(), meterProvider?.forceFlush(), logger.flush()]);
      await logExport?.forceFlush();
    },
    shutdown() {
      if (shutdownPromise !== undefined) return shutdownPromise;
      // A stopping instance is not handed out again, and its providers leave the globals now so
      // a new registration can take them even while these exporters still drain.
      if (active === instance) active = undefined;
      // A later getExportLogger() makes a fresh logger rather than return this stopped one.
      if (peekDefaultExportLogger() === logger) setDefaultExportLogger(undefined);
      if (registerGlobal && tracerProvider !== undefined) {
        trace.disable();
        if (meterProvider !== undefined) metrics.disable();
        context.disable();
        propagation.disable();
      }
      shutdownPromise = withTimeout(
        (async () => {
          // The store is the source of truth: get it on disk before waiting on any collector.
          await logger.flush();
          // One last attempt per batch: what fails now stays in the store, with no back-off.
          gate.drain();
          await Promise.allSettled([
            tracerProvider?.shutdown(),
            meterProvider?.shutdown(),
            logExport?.shutdown(),
          ]);
          await logger.shutdown();
          gate.abort();
        })(),
        shutdownTimeoutMs,
        () => gate.abort(),
      );
      return shutdownPromise;
    },
  };
  active = instance;
  return instance;
}
