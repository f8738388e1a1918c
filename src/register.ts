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
import { loadSdkMetrics } from './metrics/load-sdk-metrics.js';
import { resolveTemporalityPreference, temporalitySelector } from './metrics/metric-temporality.js';
import { registerResourceMetrics } from './metrics/resource-metrics.js';
import { ExportGate } from './otlp/export-gate.js';
import type { OtlpSignalSettings } from './otlp/otlp-exporter-factory.js';
import { OtlpMetricExporter } from './otlp/otlp-metric-exporter.js';
import { type OtlpProtocol, resolveOtlpProtocol } from './otlp/otlp-protocol.js';
import { OtlpSpanProcessor } from './otlp/otlp-span-processor.js';
import { ErrorInsightSpanProcessor } from './processor/error-insight-span-processor.js';
import { ATTR_SERVICE_NAME } from './semconv.js';

/** Where spans and metrics go over OTLP/HTTP. */
export interface OtlpOptions {
  /** Base URL of the collector, e.g. `http://127.0.0.1:4318`; `/v1/traces` and `/v1/metrics` are added. @default `OTEL_EXPORTER_OTLP_ENDPOINT` */
  endpoint?: string;
  /** Encoding of the requests. @default `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` / `_METRICS_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`, else `'http/protobuf'` */
  protocol?: OtlpProtocol;
  /** Headers such as an API key; they never reach the store, diagnostics or reports. @default none */
  headers?: Record<string, string>;
  /** Per-request timeout, retries included. @default 10000 */
  timeoutMillis?: number;
  /** How often metrics are exported. @default 60000 */
  metricIntervalMillis?: number;
}

/** Options of {@link registerErrorInstrumentation}. */
export interface RegisterOptions extends ExportLoggerOptions {
  /** OTLP export; on only when an endpoint is configured here or in `OTEL_EXPORTER_OTLP_*`. `false` turns it off. @default from the environment */
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
  /** The logger the seed's API uses; also what `getExportLogger()` returns from now on. */
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
const DEFAULT_METRIC_INTERVAL_MS = 60_000;

let active: ErrorInstrumentation | undefined;

/** Each signal's OTLP settings; a signal without a URL is not exported. */
interface OtlpPlan {
  traces: OtlpSignalSettings | undefined;
  metrics: OtlpSignalSettings | undefined;
  metricIntervalMillis: number;
}

const OTLP_OPTION_KEYS = ['endpoint', 'protocol', 'headers', 'timeoutMillis', 'metricIntervalMillis'];

function positiveMs(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`error-insight: otlp.${name} must be a positive number of ms, got ${String(value)}`);
  }
  return value;
}

function resolveOtlpSettings(otlp: OtlpOptions | false | undefined, env: EnvConfig): OtlpPlan {
  if (otlp === false) return { traces: undefined, metrics: undefined, metricIntervalMillis: 0 };
  if (otlp !== undefined && (otlp === null || typeof otlp !== 'object')) {
    throw new TypeError('error-insight: otlp must be an options object or false');
  }
  for (const key of Object.keys(otlp ?? {})) {
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
  let traces = env.otlpTracesEndpoint;
  let metricsUrl = env.otlpMetricsEndpoint;
  if (otlp?.endpoint !== undefined) {
    let base: URL;
    try {
      base = new URL(otlp.endpoint);
    } catch {
      // The endpoint may carry credentials: never echo it.
      throw new TypeError('error-insight: otlp.endpoint is not a valid URL');
    }
    const root = base.href.endsWith('/') ? base.href : `${base.href}/`;
    traces = `${root}v1/traces`;
    metricsUrl = `${root}v1/metrics`;
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
    metricIntervalMillis,
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

/**
 * Sets error-insight up in one call: the OpenTelemetry tracer and meter providers (honouring
 * `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES` and the `OTEL_EXPORTER_OTLP_*` endpoints),
 * the span processor that enriches every exception event, the local store, crash capture and
 * resource metrics. Without an OTLP endpoint nothing is sent anywhere; records stay local.
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
  const otlpSettings = resolveOtlpSettings(otlp, env);
  if (active !== undefined) {
    reportOnce(
      'register-twice',
      'registerErrorInstrumentation() was called again; returning the first instance',
    );
    return active;
  }
  const logger = new ExportLogger({ captureUncaught: true, ...loggerOptions });
  // A default logger made earlier (by getExportLogger or logExportError) would go on watching
  // for crashes and writing its own files: this one replaces it.
  const previous = peekDefaultExportLogger();
  if (previous !== undefined && previous !== logger) void previous.shutdown();
  setDefaultExportLogger(logger);

  let tracerProvider: NodeTracerProvider | undefined;
  let meterProvider: MeterProvider | undefined;
  const gate = new ExportGate();
  if (!env.sdkDisabled) {
    const resource = defaultResource()
      .merge(detectResources({ detectors: [envDetector, hostDetector, processDetector] }))
      .merge(
        resourceFromAttributes({
          ...resourceAttributes,
          [ATTR_SERVICE_NAME]: logger.engine.options.serviceName,
        }),
      );
    tracerProvider = new NodeTracerProvider({
      resource,
      spanProcessors: [
        new ErrorInsightSpanProcessor({ logger }),
        ...(otlpSettings.traces
          ? [new OtlpSpanProcessor(otlpSettings.traces, gate, new Redactor(logger.engine.options.redact))]
          : []),
        ...spanProcessors,
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
      if (logger.engine.monitor !== undefined) registerResourceMetrics(meter, logger.engine.monitor);
    }
    if (registerGlobal) {
      tracerProvider.register();
      if (meterProvider !== undefined) metrics.setGlobalMeterProvider(meterProvider);
    }
    logger.useTracer(tracerProvider.getTracer('error-insight'));
  }

  let shutdownPromise: Promise<void> | undefined;
  const instance: ErrorInstrumentation = {
    logger,
    tracer: tracerProvider?.getTracer('error-insight') ?? trace.getTracer('error-insight'),
    tracerProvider,
    meterProvider,
    async forceFlush() {
      await Promise.allSettled([tracerProvider?.forceFlush(), meterProvider?.forceFlush(), logger.flush()]);
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
          await Promise.allSettled([tracerProvider?.shutdown(), meterProvider?.shutdown()]);
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
