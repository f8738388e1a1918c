import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportLogger } from '../../src/logger/export-logger.js';
import * as A from '../../src/semconv.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';
import { tracing } from '../helpers/tracing.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup() {
  const dir = await tempDir();
  const logger = new ExportLogger({
    logFile: join(dir, 'errors.jsonl'),
    resources: false,
    warnOnStderr: false,
  });
  const t = tracing(logger);
  cleanup.push(() => logger.shutdown(), t.close);
  return { dir, logger, ...t };
}

async function enoent(): Promise<Error> {
  try {
    await readFile('/nonexistent/render/frame-000120.png');
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected ENOENT');
}

describe('ErrorInsightSpanProcessor', () => {
  it('enriches a foreign span.recordException with the class name, code, fingerprint and memory', async () => {
    const { logger, provider, exporter, dir } = await setup();
    const err = await enoent();
    const tracer = trace.getTracer('someone-else');
    tracer.startActiveSpan('render-frame', (span) => {
      span.recordException(err);
      span.end();
    });
    await provider.forceFlush();

    const [span] = exporter.getFinishedSpans();
    const events = span!.events.filter((e) => e.name === 'exception');
    expect(events).toHaveLength(1);
    const attrs = events[0]!.attributes!;
    expect(attrs[A.ATTR_EXCEPTION_TYPE]).toBe('Error');
    expect(attrs[A.ATTR_EXCEPTION_CODE]).toBe('ENOENT');
    expect(attrs[A.ATTR_FINGERPRINT]).toBe(logger.getErrorStats().mostFrequent[0]?.fingerprint);
    expect(attrs[A.ATTR_OCCURRENCE]).toBe(1);
    expect(attrs[A.ATTR_MEMORY_HEAP_USED]).toBeGreaterThan(0);
    expect(attrs[A.ATTR_CLASSIFICATION_CATEGORY]).toBeTypeOf('string');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);

    expect(logger.getErrorStats().totalErrors).toBe(1);
    await logger.flush();
    const [line] = await readStoreLines(dir);
    expect(line?.source).toBe('span');
    expect(line?.trace).toEqual({ traceId: span!.spanContext().traceId, spanId: span!.spanContext().spanId });
  });

  it('records the cause chain on the event, structured and as "Caused by:"', async () => {
    const { provider, exporter } = await setup();
    const root = new Error('ffmpeg exited with code 1');
    const err = new Error('Encoding failed for 3a7bd3e2f', { cause: root });
    trace.getTracer('t').startActiveSpan('ENCODING', (span) => {
      span.recordException(err);
      span.end();
    });
    await provider.forceFlush();
    const attrs = exporter.getFinishedSpans()[0]!.events[0]!.attributes!;
    expect(String(attrs[A.ATTR_EXCEPTION_STACKTRACE])).toContain(
      'Caused by: Error: ffmpeg exited with code 1',
    );
    expect(JSON.parse(String(attrs[A.ATTR_EXCEPTION_CAUSES]))[0]).toMatchObject({
      type: 'Error',
      message: 'ffmpeg exited with code 1',
    });
  });

  it('enriches an exception event added without recordException, once', async () => {
    const { logger, provider, exporter } = await setup();
    trace.getTracer('t').startActiveSpan('UPLOADING', (span) => {
      span.addEvent('exception', {
        'exception.type': 'FetchError',
        'exception.message': 'connect ECONNREFUSED 127.0.0.1:9',
      });
      span.end();
    });
    await provider.forceFlush();
    const attrs = exporter.getFinishedSpans()[0]!.events[0]!.attributes!;
    expect(attrs[A.ATTR_EXCEPTION_TYPE]).toBe('FetchError');
    expect(attrs[A.ATTR_FINGERPRINT]).toBeTypeOf('string');
    expect(attrs[A.ATTR_CAPTURED]).toBe(true);
    expect(logger.getErrorStats().totalErrors).toBe(1);
  });

  it('counts an error once when the API recorded it and the app also calls recordException', async () => {
    const { logger, provider, exporter } = await setup();
    const err = new Error('twice?');
    trace.getTracer('t').startActiveSpan('MUXING', (span) => {
      logger.logStructuredError(err);
      span.recordException(err);
      span.end();
    });
    await provider.forceFlush();
    expect(logger.getErrorStats().totalErrors).toBe(1);
    expect(exporter.getFinishedSpans()[0]!.events.filter((e) => e.name === 'exception')).toHaveLength(1);
  });

  it('puts logErrors phase spans out with the phase, the video and the error', async () => {
    const { logger, provider, exporter } = await setup();
    await logger
      .logErrors({ phase: 'RENDERING', videoHash: 'v42' }, async () => {
        throw new Error('GPU lost');
      })
      .catch(() => undefined);
    await provider.forceFlush();
    const [span] = exporter.getFinishedSpans();
    expect(span!.name).toBe('RENDERING');
    expect(span!.attributes[A.ATTR_PHASE]).toBe('RENDERING');
    expect(span!.attributes[A.ATTR_VIDEO_HASH]).toBe('v42');
    expect(span!.events[0]!.attributes![A.ATTR_PHASE]).toBe('RENDERING');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('folds an error loop inside one span into one event per fingerprint; the store keeps all', async () => {
    const { logger, provider, exporter, dir } = await setup();
    logger.logErrors({ phase: 'ENCODING', rethrow: false }, () => {
      for (let i = 0; i < 300; i++) logger.logStructuredError(new Error(`retry ${i} failed: EAGAIN`));
      logger.logStructuredError(new TypeError('a different one'));
    });
    await provider.forceFlush();
    const [span] = exporter.getFinishedSpans();
    const events = span!.events.filter((e) => e.name === 'exception');
    expect(events).toHaveLength(2);
    expect(events[0]!.attributes!['error_insight.span.repeats']).toBe(300);
    expect(events[0]!.attributes![A.ATTR_OCCURRENCE]).toBe(300);
    expect(span!.attributes[A.ATTR_ERROR_COUNT]).toBe(301);
    expect(span!.droppedEventsCount).toBe(0);
    await logger.flush();
    expect(await readStoreLines(dir)).toHaveLength(301);
  });

  it('says how many events a span could not hold when others overflow it', async () => {
    const { provider, exporter } = await setup();
    trace.getTracer('t').startActiveSpan('noisy', (span) => {
      for (let i = 0; i < 130; i++) span.addEvent(`progress ${i}`);
      span.end();
    });
    await provider.forceFlush();
    expect(exporter.getFinishedSpans()[0]!.attributes[A.ATTR_EVENTS_DROPPED]).toBe(2);
  });
});
