/**
 * The one place that reads environment variables. Everything else receives their values
 * through resolved options, so tests pass an `env` object instead of mutating `process.env`.
 */

/** The standard OpenTelemetry variables error-insight honours. */
export interface EnvConfig {
  /** `OTEL_SERVICE_NAME`. */
  serviceName: string | undefined;
  /** `OTEL_TRACES_EXPORTER` as a list (comma-separated, trimmed, duplicates and empties left out); undefined when unset or empty. */
  tracesExporters: string[] | undefined;
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
  /** `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`, as written. */
  otlpMetricsTemporality: string | undefined;
  /** `OTEL_SDK_DISABLED=true`: no SDK is set up; the local store still works. */
  sdkDisabled: boolean;
}

/** A comma-separated list as `@opentelemetry/core`'s `getStringListFromEnv` reads it, without duplicates. */
function list(value: string | undefined): string[] | undefined {
  const items = [
    ...new Set(
      value
        ?.split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '') ?? [],
    ),
  ];
  return items.length > 0 ? items : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

function signalUrl(base: string | undefined, path: string): string | undefined {
  if (base === undefined) return undefined;
  return base.endsWith('/') ? `${base}${path}` : `${base}/${path}`;
}

/** Reads the variables once; pass a custom `env` in tests. */
export function readEnvConfig(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const base = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  return {
    serviceName: nonEmpty(env.OTEL_SERVICE_NAME),
    tracesExporters: list(env.OTEL_TRACES_EXPORTER),
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
    otlpMetricsTemporality: nonEmpty(env.OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE),
    sdkDisabled: nonEmpty(env.OTEL_SDK_DISABLED)?.toLowerCase() === 'true',
  };
}
