/**
 * The one place that reads environment variables. Everything else receives their values
 * through resolved options, so tests pass an `env` object instead of mutating `process.env`.
 */

/** The standard OpenTelemetry variables error-insight honours. */
export interface EnvConfig {
  /** `OTEL_SERVICE_NAME`. */
  serviceName: string | undefined;
  /** `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (full URL), else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`. */
  otlpTracesEndpoint: string | undefined;
  /** `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` (full URL), else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/metrics`. */
  otlpMetricsEndpoint: string | undefined;
  /** `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`, as written (validated where it is used). */
  otlpTracesProtocol: string | undefined;
  /** `OTEL_EXPORTER_OTLP_METRICS_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`, as written. */
  otlpMetricsProtocol: string | undefined;
  /** `OTEL_EXPORTER_OTLP_TRACES_COMPRESSION`, else `OTEL_EXPORTER_OTLP_COMPRESSION`, as written (the SDK reads and checks it). */
  otlpTracesCompression: string | undefined;
  /** `OTEL_EXPORTER_OTLP_METRICS_COMPRESSION`, else `OTEL_EXPORTER_OTLP_COMPRESSION`, as written. */
  otlpMetricsCompression: string | undefined;
  /** `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT` (full URL), else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/logs`. */
  otlpLogsEndpoint: string | undefined;
  /** `OTEL_EXPORTER_OTLP_LOGS_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`, as written. */
  otlpLogsProtocol: string | undefined;
  /** `OTEL_EXPORTER_OTLP_LOGS_COMPRESSION`, else `OTEL_EXPORTER_OTLP_COMPRESSION`, as written. */
  otlpLogsCompression: string | undefined;
  /** `OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN` (`logs`, `logs/dup`), as written. */
  exceptionSignalOptIn: string | undefined;
  /** `OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT`, else `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`; unset or not a whole number ≥ 1: none. */
  logAttributeValueLengthLimit: number | undefined;
  /** `OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT`, else `OTEL_ATTRIBUTE_COUNT_LIMIT`; unset or invalid: the SDK's 128. */
  logAttributeCountLimit: number | undefined;
  /** `ERROR_INSIGHT_JAEGER_URL`: base URL of a Jaeger UI that trace ids link to. */
  jaegerUrl: string | undefined;
  /** `ERROR_INSIGHT_GRAFANA_URL`: base URL of a Grafana whose Explore view opens trace ids. */
  grafanaUrl: string | undefined;
  /** `ERROR_INSIGHT_GRAFANA_TEMPO_UID`: the uid of Grafana's Tempo data source. */
  grafanaTempoUid: string | undefined;
  /** `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`, as written. */
  otlpMetricsTemporality: string | undefined;
  /** `OTEL_SDK_DISABLED=true`: no SDK is set up; the local store still works. */
  sdkDisabled: boolean;
  /** `NODE_ENV=test`: process-wide watchers that a test run would trip over (stall detection) stay off by default. */
  testEnvironment: boolean;
  /** `OTEL_RESOURCE_ATTRIBUTES` as key/value pairs (percent-decoded; a malformed pair is skipped). */
  resourceAttributes: Readonly<Record<string, string>>;
}

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

function positiveInt(value: string | undefined): number | undefined {
  const v = nonEmpty(value);
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n >= 1 ? n : undefined;
}

function signalUrl(base: string | undefined, path: string): string | undefined {
  if (base === undefined) return undefined;
  return base.endsWith('/') ? `${base}${path}` : `${base}/${path}`;
}

/**
 * `key1=value1,key2=value2` with percent-encoded values, as the specification writes it. A
 * pair the SDK would reject (no `=`, empty key, bad escape) is skipped rather than failing the
 * whole variable, so one typo does not lose the service version.
 */
export function parseResourceAttributes(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === undefined) return out;
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    if (key === '') continue;
    try {
      out[key] = decodeURIComponent(raw);
    } catch {
      // A stray `%`: keep the rest of the variable.
    }
  }
  return out;
}

/** Reads the variables once; pass a custom `env` in tests. */
export function readEnvConfig(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const base = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  return {
    serviceName: nonEmpty(env.OTEL_SERVICE_NAME),
    otlpTracesEndpoint: nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) ?? signalUrl(base, 'v1/traces'),
    otlpMetricsEndpoint: nonEmpty(env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT) ?? signalUrl(base, 'v1/metrics'),
    otlpTracesProtocol:
      nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_PROTOCOL),
    otlpMetricsProtocol:
      nonEmpty(env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_PROTOCOL),
    otlpTracesCompression:
      nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_COMPRESSION),
    otlpMetricsCompression:
      nonEmpty(env.OTEL_EXPORTER_OTLP_METRICS_COMPRESSION) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_COMPRESSION),
    otlpLogsEndpoint: nonEmpty(env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT) ?? signalUrl(base, 'v1/logs'),
    otlpLogsProtocol:
      nonEmpty(env.OTEL_EXPORTER_OTLP_LOGS_PROTOCOL) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_PROTOCOL),
    otlpLogsCompression:
      nonEmpty(env.OTEL_EXPORTER_OTLP_LOGS_COMPRESSION) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_COMPRESSION),
    exceptionSignalOptIn: nonEmpty(env.OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN),
    logAttributeValueLengthLimit:
      positiveInt(env.OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT) ??
      positiveInt(env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT),
    logAttributeCountLimit:
      positiveInt(env.OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT) ?? positiveInt(env.OTEL_ATTRIBUTE_COUNT_LIMIT),
    jaegerUrl: nonEmpty(env.ERROR_INSIGHT_JAEGER_URL),
    grafanaUrl: nonEmpty(env.ERROR_INSIGHT_GRAFANA_URL),
    grafanaTempoUid: nonEmpty(env.ERROR_INSIGHT_GRAFANA_TEMPO_UID),
    otlpMetricsTemporality: nonEmpty(env.OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE),
    sdkDisabled: nonEmpty(env.OTEL_SDK_DISABLED)?.toLowerCase() === 'true',
    testEnvironment: nonEmpty(env.NODE_ENV) === 'test',
    resourceAttributes: parseResourceAttributes(nonEmpty(env.OTEL_RESOURCE_ATTRIBUTES)),
  };
}
