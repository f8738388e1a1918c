import { join } from 'node:path';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { registerErrorInstrumentation } from '../../src/register.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('release and environment with registerErrorInstrumentation', () => {
  it('puts the version and environment options on every record and on the spans resource', async () => {
    const dir = await tempDir();
    const exporter = new InMemorySpanExporter();
    const insight = registerErrorInstrumentation({
      logFile: join(dir, 'errors.jsonl'),
      resources: false,
      warnOnStderr: false,
      otlp: false,
      serviceName: 'clips-exporter',
      serviceVersion: '3.0.0',
      environment: 'production',
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    cleanup.push(() => insight.shutdown());
    insight.tracer.startActiveSpan('RENDERING', (span) => {
      span.recordException(new Error('frame 7 missing'));
      span.end();
    });
    insight.logger.logStructuredError(new Error('outside any span'));
    await insight.forceFlush();
    const records = await readStoreLines(dir);
    expect(records.map((r) => [r.service.name, r.service.version, r.environment])).toEqual([
      ['clips-exporter', '3.0.0', 'production'],
      ['clips-exporter', '3.0.0', 'production'],
    ]);
    const attrs = exporter.getFinishedSpans()[0]?.resource.attributes ?? {};
    expect(attrs['service.version']).toBe('3.0.0');
    expect(attrs['deployment.environment.name']).toBe('production');
  });
});
