import { join } from 'node:path';
import { SpanStatusCode } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setDiagnosticWriter } from '../../src/diag/diagnostics.js';
import { ExportLogger } from '../../src/logger/export-logger.js';
import { ErrorInsightSpanProcessor } from '../../src/processor/error-insight-span-processor.js';
import * as A from '../../src/semconv.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';

// The app's own LoggerProvider, registered globally as NodeSDK does with logRecordProcessors.
const logExporter = new InMemoryLogRecordExporter();
const loggerProvider = new LoggerProvider({
  processors: [new SimpleLogRecordProcessor({ exporter: logExporter })],
});
beforeAll(() => {
  logs.setGlobalLoggerProvider(loggerProvider);
});
afterAll(async () => {
  await loggerProvider.shutdown();
  logs.disable();
});

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
  logExporter.reset();
  setDiagnosticWriter();
  delete process.env.OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN;
});

async function setup(processors: (logger: ExportLogger) => ErrorInsightSpanProcessor[]) {
  const dir = await tempDir();
  const logger = new ExportLogger({
    logFile: join(dir, 'errors.jsonl'),
    resources: false,
    warnOnStderr: false,
  });
  const spans = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [...processors(logger), new SimpleSpanProcessor(spans)],
  });
  cleanup.push(
    () => logger.shutdown(),
    () => provider.shutdown(),
  );
  return { dir, logger, spans, provider, tracer: provider.getTracer('clips-api') };
}

/** Log records of this process that carry `message`. */
function logsWith(message: string) {
  return logExporter
    .getFinishedLogRecords()
    .filter((r) => r.attributes[A.ATTR_EXCEPTION_MESSAGE] === message);
}

function fail(tracer: ReturnType<BasicTracerProvider['getTracer']>, message: string) {
  const span = tracer.startSpan('RENDERING');
  span.recordException(new RangeError(message));
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
  return span.spanContext();
}

describe('exceptions as log records on the app’s own LoggerProvider', () => {
  it('with logs, sends each exception as an exception log record of its span and adds no span event', async () => {
    const { spans, tracer, dir, provider } = await setup((logger) => [
      new ErrorInsightSpanProcessor({ logger, exceptionSignal: 'logs' }),
    ]);
    const ctx = fail(tracer, 'frame 120 is out of range');
    await provider.forceFlush();

    const [log] = logsWith('frame 120 is out of range');
    expect(logsWith('frame 120 is out of range')).toHaveLength(1);
    const [stored] = await readStoreLines(dir);
    expect(log!.eventName).toBe('exception');
    expect(log!.severityText).toBe('ERROR');
    expect(log!.attributes[A.ATTR_EXCEPTION_TYPE]).toBe('RangeError');
    expect(log!.attributes[A.ATTR_FINGERPRINT]).toBe(stored!.fingerprint);
    expect(log!.spanContext?.traceId).toBe(ctx.traceId);
    expect(log!.spanContext?.spanId).toBe(ctx.spanId);
    expect(log!.instrumentationScope.name).toBe('error-insight');

    const span = spans.getFinishedSpans().find((s) => s.name === 'RENDERING');
    expect(span!.events.filter((e) => e.name === 'exception')).toEqual([]);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('with both, sends the log record and keeps the span event, and an error outside any span goes as a log record', async () => {
    const { logger, spans, tracer, provider } = await setup((logger) => [
      new ErrorInsightSpanProcessor({ logger, exceptionSignal: 'both' }),
    ]);
    fail(tracer, 'encoder h264 gave up');
    logger.logStructuredError(new Error('config /etc/clips/api.json is missing'), {}, { phase: 'INIT' });
    await provider.forceFlush();

    expect(logsWith('encoder h264 gave up')).toHaveLength(1);
    const span = spans.getFinishedSpans().find((s) => s.name === 'RENDERING');
    expect(span!.events.filter((e) => e.name === 'exception')).toHaveLength(1);
    const [outside] = logsWith('config /etc/clips/api.json is missing');
    expect(outside!.spanContext).toBeUndefined();
    expect(outside!.attributes[A.ATTR_PHASE]).toBe('INIT');
  });

  it('by default sends no log record, and OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN=logs/dup turns both on', async () => {
    const plain = await setup((logger) => [new ErrorInsightSpanProcessor({ logger })]);
    fail(plain.tracer, 'stays a span event');
    await plain.provider.forceFlush();
    expect(logsWith('stays a span event')).toEqual([]);

    process.env.OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN = 'http, logs/dup';
    const dup = await setup((logger) => [new ErrorInsightSpanProcessor({ logger })]);
    fail(dup.tracer, 'goes both ways');
    await dup.provider.forceFlush();
    expect(logsWith('goes both ways')).toHaveLength(1);
    const span = dup.spans.getFinishedSpans().find((s) => s.name === 'RENDERING');
    expect(span!.events.filter((e) => e.name === 'exception')).toHaveLength(1);
  });

  it('sends each exception once when two processors share one logger', async () => {
    const { tracer, provider } = await setup((logger) => [
      new ErrorInsightSpanProcessor({ logger, exceptionSignal: 'both' }),
      new ErrorInsightSpanProcessor({ logger, exceptionSignal: 'both' }),
    ]);
    fail(tracer, 'seen by two processors');
    await provider.forceFlush();
    expect(logsWith('seen by two processors')).toHaveLength(1);
  });

  it('redacts secrets before they reach the log record', async () => {
    const { tracer, provider } = await setup((logger) => [
      new ErrorInsightSpanProcessor({ logger, exceptionSignal: 'both' }),
    ]);
    const span = tracer.startSpan('UPLOADING');
    span.recordException(
      new Error('upload refused for Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'),
    );
    span.end();
    await provider.forceFlush();
    const text = JSON.stringify(logExporter.getFinishedLogRecords().map((r) => [r.body, r.attributes]));
    expect(text).toContain('upload refused for');
    expect(text).not.toContain('eyJhbGciOiJIUzI1NiJ9');
  });

  it('refuses an unknown exceptionSignal at the call', () => {
    expect(() => new ErrorInsightSpanProcessor({ exceptionSignal: 'events' as never })).toThrow(
      /exceptionSignal must be one of span-events, logs, both/,
    );
  });
});

describe('exceptions as log records without a LoggerProvider', () => {
  it('keeps the span events and says once that the records have no way out', async () => {
    logs.disable();
    cleanup.push(async () => {
      logs.setGlobalLoggerProvider(loggerProvider);
    });
    const lines: string[] = [];
    setDiagnosticWriter((line) => lines.push(line));
    const { spans, tracer, provider } = await setup((logger) => [
      new ErrorInsightSpanProcessor({ logger, exceptionSignal: 'logs' }),
    ]);
    fail(tracer, 'nobody listens for logs');
    fail(tracer, 'still nobody');
    await provider.forceFlush();

    const events = spans
      .getFinishedSpans()
      .filter((s) => s.name === 'RENDERING')
      .flatMap((s) => s.events.filter((e) => e.name === 'exception'));
    expect(events).toHaveLength(2);
    expect(lines.filter((l) => l.includes('no global LoggerProvider is registered'))).toHaveLength(1);
  });
});
