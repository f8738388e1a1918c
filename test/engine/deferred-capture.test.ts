import { inspect } from 'node:util';
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorRecord } from '../../src/record.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { testLogger } from '../helpers/test-logger.js';
import { tracing } from '../helpers/tracing.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** An Error whose stack is counted when read, as V8 formats it on first read. */
function countingError(message: string): { error: Error; reads: () => number } {
  const error = new Error(message);
  const real = error.stack;
  let reads = 0;
  Object.defineProperty(error, 'stack', {
    get: () => {
      reads++;
      return real;
    },
  });
  return { error, reads: () => reads };
}

describe('the caller’s path', () => {
  it('takes the error without formatting its stack; the record completes after the turn', async () => {
    const { logger, dir } = await testLogger();
    const { error, reads } = countingError('render failed');
    logger.logStructuredError(error, { attempt: 1 });
    expect(reads()).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(reads()).toBe(1);
    await logger.flush();
    const [stored] = await readStoreLines(dir);
    expect(stored?.exception.stacktrace).toContain('render failed');
    expect(stored?.context).toEqual({ attempt: 1 });
  });

  it('hands back a record that completes when first read, with every field', async () => {
    const { logger } = await testLogger();
    const { error, reads } = countingError('encode failed');
    const record = logger.logStructuredError(error, { attempt: 2 }, { phase: 'ENCODING', videoHash: 'v7' });
    expect(record.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(reads()).toBe(1);
    expect(record).toMatchObject({
      schema: 1,
      source: 'api',
      phase: 'ENCODING',
      videoHash: 'v7',
      occurrence: 1,
      exception: { type: 'Error', message: 'encode failed' },
      context: { attempt: 2 },
    });
    expect(record.classification.category).toBe('unknown');
    expect(record.memory.heapUsed).toBeGreaterThan(0);
  });

  it('keeps the order of occurrences when a later record is read first', async () => {
    const { logger } = await testLogger();
    const records = [1, 2, 3].map(() => logger.logStructuredError(new Error('disk full on /data')));
    expect(records[2]!.occurrence).toBe(3);
    expect(records.map((r) => r.occurrence)).toEqual([1, 2, 3]);
    expect(new Set(records.map((r) => r.id)).size).toBe(3);
    expect([...records.map((r) => r.id)].sort()).toEqual(records.map((r) => r.id));
  });

  it('keeps the context as it was passed, though the caller reassigns a key right after', async () => {
    const { logger, dir } = await testLogger();
    const ctx: Record<string, unknown> = { segment: 4, codec: 'h264' };
    const record = logger.logStructuredError(new Error('mux failed'), ctx);
    ctx.segment = 5;
    delete ctx.codec;
    expect(record.context).toEqual({ segment: 4, codec: 'h264' });
    await logger.flush();
    expect((await readStoreLines(dir))[0]?.context).toEqual({ segment: 4, codec: 'h264' });
  });

  it('counts in the stats and reaches the store without waiting for the drain', async () => {
    const { logger, dir } = await testLogger();
    for (let i = 0; i < 3; i++) logger.logStructuredError(new Error(`upload ${i} refused`));
    expect(logger.getErrorStats().totalErrors).toBe(3);
    await logger.flush();
    expect(await readStoreLines(dir)).toHaveLength(3);
  });

  it('loses nothing when errors come faster than the drain: the caller completes the oldest', async () => {
    const { logger, dir } = await testLogger({ maxLogs: 100_000 });
    for (let i = 0; i < 10_000; i++) logger.logStructuredError(new Error(`segment ${i} failed`), { i });
    await logger.flush();
    const stored = await readStoreLines(dir);
    expect(stored).toHaveLength(10_000);
    expect(stored.map((r) => r.context?.i)).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(logger.getErrorStats()).toMatchObject({ totalErrors: 10_000, dropped: 0 });
  });
});

describe('the returned record', () => {
  it('behaves as the plain object it stands for', async () => {
    const { logger, dir } = await testLogger();
    const record = logger.logStructuredError(new TypeError('bad frame'), { frame: 12 });
    await logger.flush();
    const [stored] = await readStoreLines(dir);
    const plain = JSON.parse(JSON.stringify(record)) as ErrorRecord;
    expect(plain).toEqual(stored);
    expect({ ...record }).toEqual(stored);
    expect(Object.keys(record)).toEqual(Object.keys(plain));
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect('fingerprint' in record).toBe(true);
    expect(structuredClone({ ...record }).fingerprint).toBe(record.fingerprint);
    expect(inspect(record)).toContain(record.fingerprint);
    expect(inspect(record)).toContain("type: 'TypeError'");
  });

  it('prints whole with console.log-style inspection even before any field was read', async () => {
    const { logger } = await testLogger();
    const record = logger.logStructuredError(new Error('not read yet'));
    expect(inspect(record)).toContain('fingerprint');
    expect(inspect(record)).toContain("message: 'not read yet'");
  });

  it('can be written to, frozen and still read, without touching what was stored', async () => {
    const { logger, dir } = await testLogger();
    const record = logger.logStructuredError(new Error('stage failed'), undefined, { phase: 'MUXING' });
    record.phase = 'UPLOADING';
    expect(record.phase).toBe('UPLOADING');
    Object.freeze(record);
    expect(Object.isFrozen(record)).toBe(true);
    expect(record.exception.message).toBe('stage failed');
    await logger.flush();
    expect((await readStoreLines(dir))[0]?.phase).toBe('MUXING');
  });
});

describe('span events of deferred records', () => {
  it('are on a watched span that ends right after the error', async () => {
    const { logger } = await testLogger();
    const t = tracing(logger);
    closers.push(t.close);
    const tracer = t.provider.getTracer('test');
    tracer.startActiveSpan('RENDERING', (span) => {
      logger.logStructuredError(new Error('gpu lost'));
      span.end();
    });
    await t.provider.forceFlush();
    const [span] = t.exporter.getFinishedSpans();
    const event = span?.events.find((e) => e.name === 'exception');
    expect(event?.attributes?.['exception.message']).toBe('gpu lost');
    expect(event?.attributes?.['error_insight.fingerprint']).toMatch(/^[0-9a-f]{16}$/);
  });

  it('are on a span of a provider without error-insight’s processor, completed at once', async () => {
    const { logger } = await testLogger();
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
    closers.push(async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
    });
    provider.getTracer('test').startActiveSpan('ENCODING', (span) => {
      logger.logStructuredError(new Error('nvenc busy'));
      span.end();
    });
    await provider.forceFlush();
    const event = exporter.getFinishedSpans()[0]?.events.find((e) => e.name === 'exception');
    expect(event?.attributes?.['exception.message']).toBe('nvenc busy');
  });
});
