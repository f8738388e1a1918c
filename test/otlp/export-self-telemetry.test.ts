import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exceptionEventAttributes } from '../../src/engine/exception-event.js';
import { registerErrorInstrumentation } from '../../src/register.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';
import { type Receiver, refusedUrl, startReceiver } from './otlp-receiver.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function metricsSetUp(endpoint: string, otlp: Record<string, unknown> = {}) {
  const { AggregationTemporality, InMemoryMetricExporter, PeriodicExportingMetricReader } = await import(
    '@opentelemetry/sdk-metrics'
  );
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 600_000 });
  const dir = await tempDir();
  const insight = registerErrorInstrumentation({
    logFile: join(dir, 'errors.jsonl'),
    resources: false,
    warnOnStderr: false,
    shutdownTimeoutMs: 3000,
    metricReaders: [reader],
    otlp: { endpoint, timeoutMillis: 300, metricIntervalMillis: 600_000, ...otlp },
  });
  cleanup.push(() => insight.shutdown());
  const read = async () => {
    await reader.forceFlush();
    const values: Record<string, number> = {};
    for (const rm of exporter.getMetrics())
      for (const sm of rm.scopeMetrics)
        for (const m of sm.metrics) {
          const point = m.dataPoints[m.dataPoints.length - 1];
          if (point !== undefined) values[m.descriptor.name] = Number(point.value);
        }
    return values;
  };
  return { dir, insight, read };
}

describe('self-telemetry of the OTLP export', () => {
  it('counts sent spans and log records in getErrorStats().export and as metrics', async () => {
    const receiver: Receiver = await startReceiver();
    cleanup.push(receiver.close);
    const { insight, read } = await metricsSetUp(receiver.url);
    await insight.logger
      .logErrors({ phase: 'MUXING' }, async () => {
        throw new Error('mux failed');
      })
      .catch(() => undefined);
    insight.logger.logStructuredError(new Error('outside'));
    insight.logger.logStructuredError(new Error('outside again'));
    await insight.forceFlush();
    const stats = insight.logger.getErrorStats().export;
    expect(stats).toMatchObject({
      sent: { spans: 1, logRecords: 2 },
      failedRequests: 0,
      queued: 0,
      durable: { pendingRecords: 0, lagMs: 0 },
      dropped: 0,
      expired: 0,
      truncatedAttributes: 0,
    });
    const metrics = await read();
    expect(metrics['error_insight.export.sent']).toBe(3);
    expect(metrics['error_insight.export.failures']).toBe(0);
    expect(metrics['error_insight.export.queue_depth']).toBe(0);
    expect(metrics['error_insight.export.durable.pending']).toBe(0);
  });

  it('counts failures, retries and the durable lag while the collector is away', async () => {
    const { insight, read } = await metricsSetUp(await refusedUrl(), { exceptionSignal: 'logs' });
    for (let i = 0; i < 3; i++) insight.logger.logStructuredError(new Error(`lost ${i}`));
    await insight.forceFlush();
    const stats = insight.logger.getErrorStats().export;
    expect(stats?.sent.logRecords).toBe(0);
    expect(stats?.failedRequests).toBeGreaterThanOrEqual(1);
    expect(stats?.durable.pendingRecords).toBe(3);
    expect(stats?.durable.lagMs).toBeGreaterThanOrEqual(0);
    const metrics = await read();
    expect(metrics['error_insight.export.failures']).toBe(stats?.failedRequests);
    expect(metrics['error_insight.export.durable.pending']).toBe(3);
  });

  it('counts the attribute values the log SDK cut to OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT', async () => {
    const receiver: Receiver = await startReceiver();
    cleanup.push(receiver.close);
    const before = process.env.OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT;
    process.env.OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT = '40';
    try {
      const { dir, insight, read } = await metricsSetUp(receiver.url);
      insight.logger.logStructuredError(new Error(`a message well over forty characters: ${'x'.repeat(50)}`));
      await insight.forceFlush();
      const [record] = await readStoreLines(dir);
      const expected = Object.values(exceptionEventAttributes(record as never)).filter(
        (v) => typeof v === 'string' && v.length > 40,
      ).length;
      expect(expected).toBeGreaterThanOrEqual(2);
      expect(insight.logger.getErrorStats().export?.truncatedAttributes).toBe(expected);
      expect((await read())['error_insight.export.attributes_truncated']).toBe(expected);
    } finally {
      if (before === undefined) delete process.env.OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT;
      else process.env.OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT = before;
    }
  });
});
