import {
  CompressionAlgorithm,
  createOtlpNetworkExportDelegate,
  OTLPExporterBase,
} from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExporterMetrics,
} from '@opentelemetry/otlp-exporter-base/node-http';
import {
  JsonMetricsSerializer,
  JsonTraceSerializer,
  MetricsExporterMetricsHelper,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
  TraceExporterMetricsHelper,
} from '@opentelemetry/otlp-transformer';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ExportGate } from './export-gate.js';
import { OtlpHttpTransport } from './otlp-http-transport.js';
import { OTLP_CONTENT_TYPES, type OtlpProtocol } from './otlp-protocol.js';

/** One signal's resolved OTLP settings. */
export interface OtlpSignalSettings {
  /** The full URL, `/v1/traces` or `/v1/metrics` included. */
  url: string;
  protocol: OtlpProtocol;
  headers: Record<string, string> | undefined;
  timeoutMillis: number;
  /**
   * `'gzip'` unless the environment names a compression for the signal, which the SDK's
   * configuration merge then applies (`none` turns it off). Gzip is what the Collector's own
   * OTLP exporters default to: an error's stack and attributes compress several times over.
   */
  compression: 'gzip' | undefined;
}

/** The SDK's configuration merge of our settings with the `OTEL_EXPORTER_OTLP_*` variables. */
function httpConfig(s: OtlpSignalSettings, signal: 'TRACES' | 'METRICS', path: string) {
  return convertLegacyHttpOptions(
    {
      url: s.url,
      timeoutMillis: s.timeoutMillis,
      ...(s.headers ? { headers: s.headers } : {}),
      ...(s.compression ? { compression: CompressionAlgorithm.GZIP } : {}),
    },
    signal,
    path,
    { 'Content-Type': OTLP_CONTENT_TYPES[s.protocol] },
  );
}

/**
 * The pieces the SDK's `OTLPTraceExporter` (proto or JSON) is made of — its configuration
 * merge (so `OTEL_EXPORTER_OTLP_*_HEADERS`, `_COMPRESSION` still apply), export delegate,
 * serializer and self-metrics — around {@link OtlpHttpTransport}. This module is only ever
 * loaded with `import()`, on the first export.
 */
export function createSpanExporter(
  s: OtlpSignalSettings,
  gate: ExportGate,
  onRetry?: () => void,
): OTLPExporterBase<ReadableSpan[]> {
  const config = httpConfig(s, 'TRACES', 'v1/traces');
  const serializer = s.protocol === 'http/json' ? JsonTraceSerializer : ProtobufTraceSerializer;
  const metrics = createOtlpHttpExporterMetrics(
    'otlp_http_span_exporter',
    TraceExporterMetricsHelper,
    config.url,
    undefined,
  );
  return new OTLPExporterBase(
    createOtlpNetworkExportDelegate(
      config,
      serializer,
      metrics,
      new OtlpHttpTransport(config, gate, onRetry),
    ),
  );
}

/** The metrics counterpart of {@link createSpanExporter}. */
export function createMetricExporter(
  s: OtlpSignalSettings,
  gate: ExportGate,
): OTLPExporterBase<ResourceMetrics> {
  const config = httpConfig(s, 'METRICS', 'v1/metrics');
  const serializer = s.protocol === 'http/json' ? JsonMetricsSerializer : ProtobufMetricsSerializer;
  const metrics = createOtlpHttpExporterMetrics(
    'otlp_http_metric_exporter',
    MetricsExporterMetricsHelper,
    config.url,
    undefined,
  );
  return new OTLPExporterBase(
    createOtlpNetworkExportDelegate(config, serializer, metrics, new OtlpHttpTransport(config, gate)),
  );
}
