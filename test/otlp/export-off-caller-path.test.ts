import { join } from 'node:path';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { SPANS_PER_REQUEST } from '../../src/otlp/otlp-span-exporter.js';
import { registerErrorInstrumentation } from '../../src/register.js';
import { tempDir } from '../helpers/temp-dir.js';
import { failRendering } from '../helpers/tracing.js';
import { decodeTraces, startReceiver } from './otlp-receiver.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('OTLP span export', () => {
  it('never serializes inside span.end() and sends every span, at most 32 per request', async () => {
    const receiver = await startReceiver();
    cleanup.push(receiver.close);
    const dir = await tempDir();
    const insight = registerErrorInstrumentation({
      logFile: join(dir, 'errors.jsonl'),
      resources: false,
      warnOnStderr: false,
      otlp: { endpoint: receiver.url },
    });
    cleanup.push(() => insight.shutdown());
    const storm = (n: number, from: number) => {
      for (let i = from; i < from + n; i++) failRendering(insight.tracer, i);
    };
    // The exporter's modules load on the first export; load them before watching.
    storm(1, 0);
    await insight.forceFlush();

    const original = ProtobufTraceSerializer.serializeRequest;
    const sizes: number[] = [];
    let duringStorm = 0;
    let inStorm = false;
    ProtobufTraceSerializer.serializeRequest = (spans: ReadableSpan[]) => {
      sizes.push(spans.length);
      if (inStorm) duringStorm++;
      return original(spans);
    };
    cleanup.push(async () => {
      ProtobufTraceSerializer.serializeRequest = original;
    });
    // 600 spans: the batch processor exports a full batch of 512 from inside a span.end().
    inStorm = true;
    storm(600, 1);
    inStorm = false;
    await insight.forceFlush();

    expect(duringStorm).toBe(0);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(600);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(SPANS_PER_REQUEST);
    const received = receiver.requests
      .filter((r) => r.path === '/v1/traces')
      .flatMap((r) =>
        decodeTraces(r.body).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans)),
      );
    expect(received).toHaveLength(601);
    expect(new Set(received.map((s) => s.name))).toEqual(new Set(['RENDERING']));
  });
});
