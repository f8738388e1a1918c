import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { ATTR_SPAN_REPEATS } from '../../src/engine/span-recorder.js';
import { aggregateReport, generateReport } from '../../src/report/generate-report.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { testLogger } from '../helpers/test-logger.js';
import { tracing } from '../helpers/tracing.js';

function uploadRefused(attempt: number): Error {
  return Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:9 (attempt ${attempt})`), {
    code: 'ECONNREFUSED',
  });
}

describe('a report from OTLP files of spans with repeated errors', () => {
  it('counts an event folded from 3 repeats as 3 errors, as the store does (10 in all)', async () => {
    const { logger, dir } = await testLogger();
    const { provider, exporter, close } = tracing(logger);
    try {
      const tracer = provider.getTracer('test');
      // One span: the same upload failure 3 times (folded into one event), then 7 other errors.
      tracer.startActiveSpan('UPLOADING', (span) => {
        for (let attempt = 1; attempt <= 3; attempt++) logger.logStructuredError(uploadRefused(attempt));
        // Seven other errors, each of its own fingerprint (the class is part of it).
        const others = [
          TypeError,
          RangeError,
          SyntaxError,
          EvalError,
          URIError,
          ReferenceError,
          AggregateError,
        ];
        others.forEach((Kind, i) => {
          const err =
            Kind === AggregateError
              ? new AggregateError([], 'all encoders failed')
              : new (Kind as ErrorConstructor)(`frame ${i} has no timecode`);
          logger.logStructuredError(err, {}, { phase: `P${i}` });
        });
        span.end();
      });
      await logger.flush();
      await provider.forceFlush();
      const spans = exporter.getFinishedSpans();
      const events = spans.flatMap((s) => s.events.filter((e) => e.name === 'exception'));
      // The span really carries the folded form: fewer events than errors.
      expect(events.map((e) => e.attributes?.[ATTR_SPAN_REPEATS] ?? 1).sort()).toEqual([
        1, 1, 1, 1, 1, 1, 1, 3,
      ]);
      const file = join(dir, 'traces.json');
      await writeFile(file, `${new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans))}\n`);

      const fromOtlp = await aggregateReport({ source: { otlp: file } });
      const fromStore = await aggregateReport({ source: { store: dir } });
      expect((await readStoreLines(dir)).length).toBe(10);
      expect(fromStore.totals.records).toBe(10);
      expect(fromOtlp.totals.records).toBe(10);
      expect(fromOtlp.groups.map((g) => g.count).sort()).toEqual(fromStore.groups.map((g) => g.count).sort());
      const upload = fromOtlp.groups.find((g) => g.count === 3);
      expect(upload?.type).toBe('Error');

      // Every format agrees: three JSONL lines for the folded event, with occurrences 1, 2, 3.
      const jsonl = (await generateReport({ source: { otlp: file }, format: 'jsonl' }))
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string; fingerprint: string; occurrence: number });
      expect(jsonl).toHaveLength(10);
      const repeats = jsonl.filter((r) => r.fingerprint === upload?.fingerprint);
      expect(repeats.map((r) => r.occurrence)).toEqual([1, 2, 3]);
      expect(new Set(repeats.map((r) => r.id)).size).toBe(3);
    } finally {
      await close();
      expect(trace.getActiveSpan()).toBeUndefined();
    }
  });
});
