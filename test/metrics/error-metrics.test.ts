import { join } from 'node:path';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { registerErrorInstrumentation } from '../../src/register.js';
import { tempDir } from '../helpers/temp-dir.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

interface Point {
  attributes: Record<string, unknown>;
  value: unknown;
}

async function setup() {
  const dir = await tempDir();
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const insight = registerErrorInstrumentation({
    logFile: join(dir, 'e.jsonl'),
    resources: false,
    warnOnStderr: false,
    metricReaders: [reader],
  });
  cleanup.push(() => insight.shutdown());
  const points = async (name: string): Promise<Point[]> => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics
      .flatMap((s) => s.metrics)
      .filter((m) => m.descriptor.name === name)
      .flatMap((m) => m.dataPoints as Point[]);
  };
  return { insight, points };
}

describe('error metrics', () => {
  it('count errors by type, category and phase', async () => {
    const { insight, points } = await setup();
    for (let i = 0; i < 3; i++)
      insight.logger.logStructuredError(new RangeError(`bad ${i}`), undefined, { phase: 'RENDERING' });
    insight.logger.logStructuredError(new TypeError('x'), undefined, { phase: 'ENCODING' });
    const counts = (await points('error_insight.errors')).map((p) => [
      p.attributes['error.type'],
      p.attributes['error_insight.phase'],
      p.value,
    ]);
    expect(counts).toContainEqual(['RangeError', 'RENDERING', 3]);
    expect(counts).toContainEqual(['TypeError', 'ENCODING', 1]);
    expect(counts).toHaveLength(2);
  });

  it('keep cardinality bounded: past 100 distinct phases the rest share _OTHER', async () => {
    const { insight, points } = await setup();
    for (let i = 0; i < 130; i++)
      insight.logger.logStructuredError(new Error('e'), undefined, { phase: `PHASE_${i}` });
    const phases = new Set(
      (await points('error_insight.errors')).map((p) => p.attributes['error_insight.phase']),
    );
    expect(phases.size).toBe(101);
    expect(phases.has('_OTHER')).toBe(true);
    const other = (await points('error_insight.errors')).find(
      (p) => p.attributes['error_insight.phase'] === '_OTHER',
    );
    expect(other?.value).toBe(30);
  });
});
