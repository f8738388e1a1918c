import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions } from '@opentelemetry/otlp-exporter-base/node-http';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { Resource } from '@opentelemetry/resources';
import type { ErrorRecord } from '../record.js';
import type { ExportCounters } from './export-counters.js';
import type { ExportGate } from './export-gate.js';
import { LogRecordBatcher } from './log-record-batch.js';
import type { OtlpSignalSettings } from './otlp-exporter-factory.js';
import { OtlpHttpTransport } from './otlp-http-transport.js';
import { OTLP_CONTENT_TYPES } from './otlp-protocol.js';

/** How one batch went. `retryable` carries the collector's `Retry-After`, when it gave one. */
export type LogSendResult =
  | { status: 'success'; rejected: number }
  | { status: 'retryable'; retryInMillis?: number; error?: Error }
  | { status: 'failure'; error: Error };

/** What the durable and the in-memory log exporters send through. */
export interface LogSender {
  send(records: readonly ErrorRecord[]): Promise<LogSendResult>;
  shutdown(): void;
}

/**
 * Sends records as one OTLP logs request: the SDK's log records ({@link LogRecordBatcher}),
 * the SDK's logs serializer (protobuf by default, JSON for `http/json`) and its configuration
 * merge (`OTEL_EXPORTER_OTLP_LOGS_*` headers, compression, timeout), over error-insight's HTTP
 * transport, so the shutdown gate and unref'd sockets apply as for spans. Unlike the stock
 * exporter it tells the caller *why* a batch failed, with the collector's `Retry-After`, since
 * the caller keeps the batch in the store and decides when to try again. Only ever loaded with
 * `import()`.
 */
export function createLogSender(
  s: OtlpSignalSettings,
  gate: ExportGate,
  resource: Resource | undefined,
  counters: ExportCounters,
  limits: { attributeValueLengthLimit?: number; attributeCountLimit?: number } = {},
): LogSender {
  const config = convertLegacyHttpOptions(
    {
      url: s.url,
      timeoutMillis: s.timeoutMillis,
      ...(s.headers ? { headers: s.headers } : {}),
      ...(s.compression ? { compression: CompressionAlgorithm.GZIP } : {}),
    },
    'LOGS',
    'v1/logs',
    { 'Content-Type': OTLP_CONTENT_TYPES[s.protocol] },
  );
  const serializer = s.protocol === 'http/json' ? JsonLogsSerializer : ProtobufLogsSerializer;
  const transport = new OtlpHttpTransport(config, gate, () => counters.retries++);
  const batcher = new LogRecordBatcher(resource, limits);
  return {
    async send(records) {
      const logRecords = batcher.toLogRecords(records);
      counters.truncatedAttributes += batcher.takeTruncated();
      const body = serializer.serializeRequest(logRecords);
      if (body === undefined)
        return { status: 'failure', error: new Error('log records could not be serialized') };
      const response = await transport.send(body, config.timeoutMillis);
      if (response.status === 'success') {
        let rejected = 0;
        try {
          const parsed =
            response.data && response.data.length > 0
              ? serializer.deserializeResponse(response.data)
              : undefined;
          rejected = Number(parsed?.partialSuccess?.rejectedLogRecords ?? 0) || 0;
        } catch {
          // An unreadable success body is still a success.
        }
        return { status: 'success', rejected };
      }
      if (response.status === 'retryable')
        return response.retryInMillis === undefined
          ? { status: 'retryable', ...(response.error ? { error: response.error } : {}) }
          : { status: 'retryable', retryInMillis: response.retryInMillis };
      return { status: 'failure', error: response.error };
    },
    shutdown() {
      transport.shutdown();
    },
  };
}
