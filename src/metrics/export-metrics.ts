import type { Meter } from '@opentelemetry/api';
import type { ExportCounters } from '../otlp/export-counters.js';

/**
 * error-insight's own export as metrics, read from the same counters as
 * `getErrorStats().export`, so a dashboard shows a collector outage (failures, retries, the
 * durable exporter's lag) next to the errors it hides.
 */
export function registerExportMetrics(meter: Meter, counters: ExportCounters): void {
  const counter = (name: string, description: string, unit: string, read: () => number) =>
    meter.createObservableCounter(name, { description, unit }).addCallback((r) => r.observe(read()));
  const gauge = (name: string, description: string, unit: string, read: () => number) =>
    meter.createObservableGauge(name, { description, unit }).addCallback((r) => r.observe(read()));
  counter('error_insight.export.sent', 'Spans and log records the collector accepted', '{item}', () => {
    const s = counters.snapshot().sent;
    return s.spans + s.logRecords;
  });
  counter(
    'error_insight.export.failures',
    'OTLP export requests that failed',
    '{request}',
    () => counters.failedRequests,
  );
  counter(
    'error_insight.export.retries',
    'OTLP export attempts repeated after a retryable failure',
    '{request}',
    () => counters.retries,
  );
  counter(
    'error_insight.export.dropped',
    'Spans and log records given up (queue full, refused, past retention)',
    '{item}',
    () => counters.snapshot().dropped,
  );
  counter(
    'error_insight.export.attributes_truncated',
    'Log record attributes cut or dropped by the SDK limits',
    '{attribute}',
    () => counters.truncatedAttributes,
  );
  gauge(
    'error_insight.export.queue_depth',
    'Spans and log records waiting in memory to be sent',
    '{item}',
    () => counters.snapshot().queued,
  );
  gauge(
    'error_insight.export.durable.pending',
    'Records in the store not yet sent as log records',
    '{record}',
    () => counters.snapshot().durable.pendingRecords,
  );
  gauge(
    'error_insight.export.durable.lag',
    'Age of the oldest record in the store not yet sent',
    'ms',
    () => counters.snapshot().durable.lagMs,
  );
}
