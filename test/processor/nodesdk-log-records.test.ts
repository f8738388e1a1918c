import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { ExportLogger } from '../../src/logger/export-logger.js';
import { ErrorInsightSpanProcessor } from '../../src/processor/error-insight-span-processor.js';
import * as A from '../../src/semconv.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = await tempDir();
const logger = new ExportLogger({
  logFile: join(dir, 'errors.jsonl'),
  resources: false,
  warnOnStderr: false,
});
const logExporter = new InMemoryLogRecordExporter();
const spanExporter = new InMemorySpanExporter();
// The app's own SDK: error-insight is one span processor, the logs leave through the app's pipeline.
const processor = new ErrorInsightSpanProcessor({ logger, exceptionSignal: 'logs' });
const sdk = new NodeSDK({
  serviceName: 'clips-api',
  spanProcessors: [processor, new SimpleSpanProcessor(spanExporter)],
  logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: logExporter })],
  metricReaders: [],
  instrumentations: [],
  resourceDetectors: [],
});
sdk.start();
afterAll(async () => {
  await sdk.shutdown();
  await logger.shutdown();
});

describe('the NodeSDK route with exceptions as log records', () => {
  it("sends span.recordException as a log record through the app's LoggerProvider, with its resource", async () => {
    const tracer = trace.getTracer('clips-api');
    const ctx = tracer.startActiveSpan('ENCODING', (span) => {
      span.recordException(new TypeError('codec h265 is not supported by this encoder'));
      span.end();
      return span.spanContext();
    });
    await processor.forceFlush();

    const sent = logExporter
      .getFinishedLogRecords()
      .filter((r) => r.eventName === 'exception' && r.attributes[A.ATTR_EXCEPTION_TYPE] === 'TypeError');
    expect(sent).toHaveLength(1);
    const [log] = sent;
    const [stored] = await readStoreLines(dir);
    expect(log!.resource.attributes['service.name']).toBe('clips-api');
    expect(log!.attributes[A.ATTR_FINGERPRINT]).toBe(stored!.fingerprint);
    expect(log!.spanContext?.spanId).toBe(ctx.spanId);
    const span = spanExporter.getFinishedSpans().find((s) => s.name === 'ENCODING');
    expect(span!.events.map((e) => e.name)).toEqual([]);
  });
});
