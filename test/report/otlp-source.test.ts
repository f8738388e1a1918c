import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { exceptionEventAttributes } from '../../src/engine/exception-event.js';
import type { ErrorRecord } from '../../src/record.js';
import { aggregateReport, generateReport } from '../../src/report/generate-report.js';
import { readOtlpFiles } from '../../src/report/otlp-json-reader.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeRecord } from './report-fixtures.js';

/** One ExportTraceServiceRequest line, made by the real SDK and OTLP JSON serializer from records the way the engine sends them. */
async function traceLine(
  records: ErrorRecord[],
  spanStart: Date,
): Promise<{ line: string; traceIds: string[] }> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'clips-exporter',
      'process.pid': 4242,
      'host.name': 'render-01',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('test');
  for (const record of records) {
    const span = tracer.startSpan(record.phase ?? 'work', { startTime: spanStart });
    span.addEvent('exception', exceptionEventAttributes(record), new Date(record.time));
    span.end(new Date(record.time));
  }
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  await provider.shutdown();
  return {
    line: new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)),
    traceIds: spans.map((s) => s.spanContext().traceId),
  };
}

type OtlpAttribute = { key: string; value: Record<string, unknown> };

/** One ExportTraceServiceRequest line: a span with the given events, as a collector writes it. */
function spanLine(name: string, events: Array<{ name: string; attributes: OtlpAttribute[] }>) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: '0af7651916cd43dd8448eb211c80319c',
                spanId: '00f067aa0ba902b7',
                name,
                startTimeUnixNano: '1795600000000000000',
                events: events.map((e) => ({ ...e, timeUnixNano: '1795600001000000000' })),
              },
            ],
          },
        ],
      },
    ],
  };
}

async function readAll(path: string) {
  const stats = { files: 0, lines: 0, records: 0, corruptLines: 0 };
  const records: ErrorRecord[] = [];
  for await (const r of readOtlpFiles([path], stats)) records.push(r);
  return { records, stats };
}

describe('OTLP/JSON source', () => {
  it('turns exception events written by the SDK back into the records the engine sent', async () => {
    const original = makeRecord({
      time: '2026-11-20T10:00:05.000Z',
      exception: {
        type: 'SystemError',
        message: 'write EPIPE 管道',
        stacktrace: 'Error: write EPIPE\n    at mux (/app/mux.js:3:9)',
        code: 'EPIPE',
        errno: -32,
        syscall: 'write',
        causes: [{ type: 'Error', message: 'ffmpeg died', stacktrace: 'Error: ffmpeg died\n    at x' }],
      },
      classification: {
        category: 'io',
        subcategory: 'pipe',
        severity: 'high',
        retryable: true,
        suggestion: '重试',
        rule: 'epipe',
      },
      occurrence: 7,
      phase: 'MUXING',
      context: { attempt: 2, 'key with "quotes"': ['a', 1] },
    });
    const dir = await tempDir();
    const file = join(dir, 'traces.json');
    const { line, traceIds } = await traceLine([original], new Date('2026-11-20T10:00:00.000Z'));
    await writeFile(file, `${line}\n{"resourceMetrics":[]}\nnot json\n\n`);
    const { records, stats } = await readAll(file);
    expect(stats).toEqual({ files: 1, lines: 3, records: 1, corruptLines: 1 });
    const [r] = records;
    expect(r).toMatchObject({
      id: original.id,
      time: original.time,
      service: { name: 'clips-exporter' },
      process: { pid: 4242, hostname: 'render-01' },
      exception: original.exception,
      fingerprint: original.fingerprint,
      fingerprintVersion: original.fingerprintVersion,
      messageTemplate: original.messageTemplate,
      occurrence: 7,
      classification: original.classification,
      phase: 'MUXING',
      videoHash: original.videoHash,
      memory: original.memory,
      resources: original.resources,
    });
    expect(r?.context).toEqual(original.context);
    expect(r?.phaseElapsedMs).toBe(5000);
    expect(r?.trace?.traceId).toBe(traceIds[0]);
    expect(r?.trace?.spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('reads collector-style lines: 64-bit ints as strings, base64 ids, log records, and foreign exceptions', async () => {
    const traceIdB64 = Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex').toString('base64');
    const logs = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'uploader' } }] },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: '1795600000000000000',
                  traceId: traceIdB64,
                  spanId: Buffer.from('b7ad6b7169203331', 'hex').toString('base64'),
                  attributes: [
                    { key: 'exception.type', value: { stringValue: 'TimeoutError' } },
                    { key: 'exception.message', value: { stringValue: 'upload timed out' } },
                    { key: 'error_insight.fingerprint', value: { stringValue: 'fp-up' } },
                    { key: 'error_insight.occurrence', value: { intValue: '12' } },
                    { key: 'error_insight.memory.heap_used', value: { intValue: '1048576' } },
                    { key: 'error_insight.classification.retryable', value: { boolValue: true } },
                  ],
                },
                {
                  timeUnixNano: '1795600000000000000',
                  body: { stringValue: 'just a log line' },
                  attributes: [],
                },
              ],
            },
          ],
        },
      ],
    };
    const foreign = spanLine('GET /', [
      {
        name: 'exception',
        attributes: [
          { key: 'exception.type', value: { stringValue: 'Error' } },
          { key: 'exception.message', value: { stringValue: 'boom' } },
        ],
      },
      { name: 'not-an-exception', attributes: [] },
    ]);
    const dir = await tempDir();
    const file = join(dir, 'collector.json');
    await writeFile(file, `${JSON.stringify(logs)}\n${JSON.stringify(foreign)}\n`);
    const { records } = await readAll(file);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      time: new Date(1795600000000).toISOString(),
      service: { name: 'uploader' },
      exception: { type: 'TimeoutError', message: 'upload timed out' },
      fingerprint: 'fp-up',
      occurrence: 12,
      memory: { heapUsed: 1048576 },
      classification: { retryable: true, category: 'unknown' },
      trace: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' },
    });
    expect(records[1]).toMatchObject({
      exception: { type: 'Error', message: 'boom' },
      classification: { category: 'unknown' },
      service: { name: 'unknown_service' },
    });
    expect(records[1]?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('counts an exception that arrives twice (a replay after an outage) once in the report', async () => {
    const record = makeRecord({ time: '2026-11-20T10:00:05.000Z' });
    const { line } = await traceLine([record], new Date('2026-11-20T10:00:00.000Z'));
    const dir = await tempDir();
    await writeFile(join(dir, 'a.json'), `${line}\n`);
    await writeFile(join(dir, 'b.json'), `${line}\n`);
    const report = await aggregateReport({ source: { otlp: [join(dir, 'a.json'), join(dir, 'b.json')] } });
    expect(report.totals.records).toBe(1);
    expect(report.source).toMatchObject({ kind: 'otlp', files: 2, lines: 2, duplicates: 1 });
  });
});

describe('OTLP input from other code', () => {
  it('is scrubbed of secrets before any report format sees it', async () => {
    const secretMessage =
      'connect failed for postgres://admin:S3cretPassw0rd@db.internal/clips?api_key=AKIAIOSFODNN7EXAMPLE';
    const line = spanLine('db.query', [
      {
        name: 'exception',
        attributes: [
          { key: 'exception.type', value: { stringValue: 'Error' } },
          { key: 'exception.message', value: { stringValue: secretMessage } },
          {
            key: 'exception.stacktrace',
            value: {
              stringValue:
                'Error: x\n    at auth (Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbg)',
            },
          },
          {
            key: 'error_insight.context',
            value: { stringValue: JSON.stringify({ password: 'hunter2-PLANTED', table: 'clips' }) },
          },
        ],
      },
    ]);
    const dir = await tempDir();
    const file = join(dir, 'collector.json');
    await writeFile(file, `${JSON.stringify(line)}\n`);
    for (const format of ['html', 'csv', 'json', 'jsonl'] as const) {
      const out = await generateReport({ source: { otlp: file }, format });
      for (const secret of [
        'S3cretPassw0rd',
        'AKIAIOSFODNN7EXAMPLE',
        'eyJhbGciOiJIUzI1NiJ9',
        'hunter2-PLANTED',
      ]) {
        expect(out, `${format} leaks ${secret}`).not.toContain(secret);
      }
      expect(out).toContain('db.internal');
    }
  });
});
