import { join } from 'node:path';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exceptionEventAttributes } from '../../src/engine/exception-event.js';
import { STACK_RESEND_MS } from '../../src/engine/span-recorder.js';
import { registerErrorInstrumentation } from '../../src/register.js';
import * as A from '../../src/semconv.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';
import { failRendering } from '../helpers/tracing.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanup.splice(0)) await c();
});

async function setup() {
  const dir = await tempDir();
  const exporter = new InMemorySpanExporter();
  const insight = registerErrorInstrumentation({
    logFile: join(dir, 'errors.jsonl'),
    warnOnStderr: false,
    otlp: false,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  cleanup.push(() => insight.shutdown());
  return { dir, exporter, insight };
}

function events(spans: ReadableSpan[]) {
  return spans.flatMap((s) => s.events.filter((e) => e.name === 'exception').map((e) => e.attributes ?? {}));
}

describe('the exception event on a live span', () => {
  it("sends a fingerprint's stack once; later events with the same frames name the record that carried it", async () => {
    const { dir, exporter, insight } = await setup();
    for (let i = 0; i < 3; i++) failRendering(insight.tracer, i);
    await insight.forceFlush();
    const [first, ...later] = events(exporter.getFinishedSpans());
    const records = await readStoreLines(dir);
    expect(records).toHaveLength(3);
    expect(first?.[A.ATTR_EXCEPTION_STACKTRACE]).toContain('frame 0 failed');
    expect(first?.[A.ATTR_RECORD_ID]).toBe(records[0]?.id);
    expect(later).toHaveLength(2);
    for (const [n, attrs] of later.entries()) {
      expect(attrs[A.ATTR_EXCEPTION_STACKTRACE]).toBeUndefined();
      expect(attrs[A.ATTR_STACKTRACE_REF]).toBe(records[0]?.id);
      expect(attrs[A.ATTR_EXCEPTION_MESSAGE]).toBe(`frame ${n + 1} failed`);
      expect(attrs[A.ATTR_OCCURRENCE]).toBe(n + 2);
    }
    // The store keeps every stack.
    expect(records.map((r) => r.exception.stacktrace?.includes('failRendering'))).toEqual([true, true, true]);
  });

  it('sends the stack again once the resend window has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { exporter, insight } = await setup();
    for (let i = 0; i < 3; i++) {
      if (i === 2) vi.setSystemTime(Date.now() + STACK_RESEND_MS + 1);
      failRendering(insight.tracer, i);
    }
    await insight.forceFlush();
    expect(
      events(exporter.getFinishedSpans()).map((a) => a[A.ATTR_EXCEPTION_STACKTRACE] !== undefined),
    ).toEqual([true, false, true]);
  });

  it('keeps the searchable attributes and leaves the bulky ones in the store', async () => {
    const { dir, exporter, insight } = await setup();
    insight.logger.logErrors({ phase: 'ENCODING', videoHash: '3a7bd3e2f', rethrow: false }, () => {
      throw Object.assign(new Error('spawn ffmpeg ENOENT'), { code: 'ENOENT' });
    });
    await insight.forceFlush();
    const [attrs] = events(exporter.getFinishedSpans());
    const [record] = await readStoreLines(dir);
    expect(attrs).toMatchObject({
      [A.ATTR_EXCEPTION_TYPE]: 'Error',
      [A.ATTR_EXCEPTION_MESSAGE]: 'spawn ffmpeg ENOENT',
      [A.ATTR_EXCEPTION_CODE]: 'ENOENT',
      [A.ATTR_RECORD_ID]: record?.id,
      [A.ATTR_FINGERPRINT]: record?.fingerprint,
      [A.ATTR_OCCURRENCE]: 1,
      [A.ATTR_CLASSIFICATION_CATEGORY]: record?.classification.category,
      [A.ATTR_CLASSIFICATION_SEVERITY]: record?.classification.severity,
      [A.ATTR_CLASSIFICATION_RETRYABLE]: record?.classification.retryable,
      [A.ATTR_CLASSIFICATION_RULE]: record?.classification.rule,
      [A.ATTR_PHASE]: 'ENCODING',
      [A.ATTR_VIDEO_HASH]: '3a7bd3e2f',
      [A.ATTR_MEMORY_HEAP_USED]: record?.memory.heapUsed,
    });
    for (const bulky of [
      A.ATTR_RESOURCES,
      A.ATTR_CLASSIFICATION_SUGGESTION,
      A.ATTR_CONTEXT,
      A.ATTR_MEMORY_RSS,
    ]) {
      expect(attrs?.[bulky]).toBeUndefined();
    }
    expect(record?.classification.suggestion).not.toBe('');
    expect(record?.resources).toBeDefined();
  });

  it('exceptionEventAttributes still gives the complete record, also for one completed later', async () => {
    const { insight } = await setup();
    const record = insight.logger.logStructuredError(new Error('late'), { attempt: 2 });
    await insight.logger.flush();
    const attrs = exceptionEventAttributes(record);
    expect(attrs).toMatchObject({
      [A.ATTR_RECORD_ID]: record.id,
      [A.ATTR_CLASSIFICATION_SUGGESTION]: record.classification.suggestion,
      [A.ATTR_MEMORY_HEAP_TOTAL]: record.memory.heapTotal,
    });
    expect(JSON.parse(String(attrs[A.ATTR_CONTEXT]))).toEqual(record.context);
    expect(attrs[A.ATTR_EXCEPTION_STACKTRACE]).toContain('late');
  });
});
