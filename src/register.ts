import { type Attributes, context, metrics, propagation, type Tracer, trace } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { MeterProvider, type MetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { readEnvConfig } from './config/env.js';
import { reportInternalError, reportOnce } from './diag/diagnostics.js';
import { peekDefaultExportLogger, setDefaultExportLogger } from './logger/default-logger.js';
import { ExportLogger, type ExportLoggerOptions } from './logger/export-logger.js';
import { registerErrorMetrics } from './metrics/error-metrics.js';
import { registerResourceMetrics } from './metrics/resource-metrics.js';
import { ErrorInsightSpanProcessor } from './processor/error-insight-span-processor.js';
import { ATTR_SERVICE_NAME } from './semconv.js';

/** Where spans and metrics go over OTLP/HTTP. */
export interface OtlpOptions {
  /** Base URL of the collector, e.g. `http://127.0.0.1:4318`; `/v1/traces` and `/v1/metrics` are added. @default `OTEL_EXPORTER_OTLP_ENDPOINT` */
  endpoint?: string;
  /** Headers such as an API key; they never reach the store, diagnostics or reports. @default none */
  headers?: Record<string, string>;
  /** Per-request timeout. @default 10000 */
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
  /** Upper bound of `shutdown()`: it resolves by then even if a collector hangs. @default 5000 */
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

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5000;

let active: ErrorInstrumentation | undefined;

/** Where each signal goes; a signal without a URL is not exported. */
interface OtlpUrls {
  traces: string | undefined;
  metrics: string | undefined;
}

function otlpUrls(otlp: OtlpOptions | false | undefined, env: ReturnType<typeof readEnvConfig>): OtlpUrls {
  if (otlp === false) return { traces: undefined, metrics: undefined };
  if (otlp?.endpoint !== undefined) {
    let base: URL;
    try {
      base = new URL(otlp.endpoint);
    } catch {
      // The endpoint may carry credentials: never echo it.
      throw new TypeError('error-insight: otlp.endpoint is not a valid URL');
    }
    const root = base.href.endsWith('/') ? base.href : `${base.href}/`;
    return { traces: `${root}v1/traces`, metrics: `${root}v1/metrics` };
  }
  return { traces: env.otlpTracesEndpoint, metrics: env.otlpMetricsEndpoint };
}

function withTimeout(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      reportOnce(
        'shutdown-timeout',
        `shutdown took longer than ${ms} ms; gave up waiting (records stay in the store)`,
      );
      resolve();
    }, ms);
    timer.unref();
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
  const urls = otlpUrls(otlp, env);
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
  if (!env.sdkDisabled) {
    const resource = defaultResource()
      .merge(detectResources({ detectors: [envDetector, hostDetector, processDetector] }))
      .merge(
        resourceFromAttributes({
          ...resourceAttributes,
          [ATTR_SERVICE_NAME]: logger.engine.options.serviceName,
        }),
      );
    const otlpOptions: OtlpOptions = otlp || {};
    const otlpCommon = {
      ...(otlpOptions.headers ? { headers: otlpOptions.headers } : {}),
      timeoutMillis: otlpOptions.timeoutMillis ?? 10_000,
    };
    tracerProvider = new NodeTracerProvider({
      resource,
      spanProcessors: [
        new ErrorInsightSpanProcessor({ logger }),
        ...(urls.traces
          ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: urls.traces, ...otlpCommon }))]
          : []),
        ...spanProcessors,
      ],
    });
    const readers: MetricReader[] = [...metricReaders];
    if (urls.metrics) {
      readers.push(
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({ url: urls.metrics, ...otlpCommon }),
          exportIntervalMillis: otlpOptions.metricIntervalMillis ?? 60_000,
        }),
      );
    }
    meterProvider = new MeterProvider({ resource, readers });
    if (registerGlobal) {
      tracerProvider.register();
      metrics.setGlobalMeterProvider(meterProvider);
    }
    logger.useTracer(tracerProvider.getTracer('error-insight'));
    const meter = meterProvider.getMeter('error-insight');
    registerErrorMetrics(meter, logger.engine);
    if (logger.engine.monitor !== undefined) registerResourceMetrics(meter, logger.engine.monitor);
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
        metrics.disable();
        context.disable();
        propagation.disable();
      }
      shutdownPromise = withTimeout(
        (async () => {
          // The store is the source of truth: get it on disk before waiting on any collector.
          await logger.flush();
          await Promise.allSettled([tracerProvider?.shutdown(), meterProvider?.shutdown()]);
          await logger.shutdown();
        })(),
        shutdownTimeoutMs,
      );
      return shutdownPromise;
    },
  };
  active = instance;
  return instance;
}
