import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setDiagnosticWriter } from '../../src/diag/diagnostics.js';
import { registerErrorInstrumentation } from '../../src/register.js';
import * as A from '../../src/semconv.js';
import { nodeStoreFs } from '../../src/store/store-fs.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';
import {
  exceptionEvents,
  exceptionLogRecords,
  type Receiver,
  startReceiver,
  tracesOf,
} from './otlp-receiver.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setUp(otlp: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const receiver: Receiver = await startReceiver();
  cleanup.push(receiver.close);
  const dir = await tempDir();
  const insight = registerErrorInstrumentation({
    serviceName: 'clips-exporter',
    logFile: join(dir, 'errors.jsonl'),
    resources: false,
    warnOnStderr: false,
    shutdownTimeoutMs: 3000,
    otlp: { endpoint: receiver.url, ...otlp },
    ...extra,
  });
  cleanup.push(() => insight.shutdown());
  return { receiver, dir, insight };
}

/** One error inside a RENDERING span, one outside any span. */
async function logTwo(insight: ReturnType<typeof registerErrorInstrumentation>) {
  await insight.logger
    .logErrors({ phase: 'RENDERING', videoHash: '3a7bd3e2f' }, async () => {
      throw new TypeError('frame 12 has no texture');
    })
    .catch(() => undefined);
  insight.logger.logStructuredError(new Error('upload quota exceeded'), { bucket: 'clips' });
  await insight.forceFlush();
}

function spanEvents(receiver: Receiver) {
  return receiver.requests
    .filter((r) => r.path === '/v1/traces')
    .flatMap((r) => exceptionEvents(tracesOf(r)));
}

const withEnv = async (name: string, value: string, work: () => Promise<void>) => {
  const before = process.env[name];
  process.env[name] = value;
  try {
    await work();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
};

describe('exceptions as OTLP log records', () => {
  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    it(`sends every exception as a log record with the semconv and error-insight attributes in logs mode (${protocol})`, async () => {
      const { receiver, dir, insight } = await setUp({ exceptionSignal: 'logs', protocol });
      await logTwo(insight);
      const stored = await readStoreLines(dir);
      const logs = exceptionLogRecords(receiver.requests);
      const logRequests = receiver.requests.filter((r) => r.path === '/v1/logs');
      expect(logRequests[0]?.headers['content-type']).toBe(
        protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
      );
      expect(logs.map((l) => l[A.ATTR_RECORD_ID]).sort()).toEqual(stored.map((r) => r.id).sort());
      const inSpan = stored.find((r) => r.phase === 'RENDERING');
      const log = logs.find((l) => l[A.ATTR_RECORD_ID] === inSpan?.id);
      expect(log).toMatchObject({
        service: 'clips-exporter',
        scope: 'error-insight',
        eventName: 'exception',
        severityNumber: 17,
        severityText: 'ERROR',
        body: 'TypeError: frame 12 has no texture',
        traceId: inSpan?.trace?.traceId,
        spanId: inSpan?.trace?.spanId,
        [A.ATTR_EXCEPTION_TYPE]: 'TypeError',
        [A.ATTR_EXCEPTION_MESSAGE]: 'frame 12 has no texture',
        [A.ATTR_FINGERPRINT]: inSpan?.fingerprint,
        [A.ATTR_CLASSIFICATION_CATEGORY]: inSpan?.classification.category,
        [A.ATTR_PHASE]: 'RENDERING',
        [A.ATTR_VIDEO_HASH]: '3a7bd3e2f',
      });
      expect(Number(log?.[A.ATTR_OCCURRENCE])).toBe(1);
      expect(Number(log?.[A.ATTR_MEMORY_HEAP_USED])).toBe(inSpan?.memory.heapUsed);
      expect(String(log?.[A.ATTR_EXCEPTION_STACKTRACE])).toContain(
        'TypeError: frame 12 has no texture\n    at ',
      );
      // Logs only: the span keeps its error status but carries no exception event.
      expect(spanEvents(receiver)).toHaveLength(0);
      const outside = logs.find((l) => l[A.ATTR_EXCEPTION_MESSAGE] === 'upload quota exceeded');
      expect(outside?.traceId ?? '').toBe('');
      expect(JSON.parse(String(outside?.[A.ATTR_CONTEXT]))).toEqual({ bucket: 'clips' });
    });
  }

  it('keeps span events by default and sends only the error outside any span as a log record', async () => {
    const { receiver, insight } = await setUp({});
    await logTwo(insight);
    const events = spanEvents(receiver);
    const logs = exceptionLogRecords(receiver.requests);
    expect(events.map((e) => e[A.ATTR_EXCEPTION_MESSAGE])).toEqual(['frame 12 has no texture']);
    expect(logs.map((l) => l[A.ATTR_EXCEPTION_MESSAGE])).toEqual(['upload quota exceeded']);
  });

  it('sends both span events and log records with OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN=logs/dup', async () => {
    await withEnv('OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN', 'logs/dup', async () => {
      const { receiver, insight } = await setUp({});
      await logTwo(insight);
      expect(spanEvents(receiver).map((e) => e[A.ATTR_EXCEPTION_MESSAGE])).toEqual([
        'frame 12 has no texture',
      ]);
      expect(
        exceptionLogRecords(receiver.requests)
          .map((l) => l[A.ATTR_EXCEPTION_MESSAGE])
          .sort(),
      ).toEqual(['frame 12 has no texture', 'upload quota exceeded']);
    });
  });

  it('honours OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN=logs, and the option wins over it', async () => {
    await withEnv('OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN', 'logs', async () => {
      const a = await setUp({});
      await logTwo(a.insight);
      expect(spanEvents(a.receiver)).toHaveLength(0);
      expect(exceptionLogRecords(a.receiver.requests)).toHaveLength(2);
      await a.insight.shutdown();
      const b = await setUp({ exceptionSignal: 'span-events' });
      await logTwo(b.insight);
      expect(spanEvents(b.receiver)).toHaveLength(1);
      expect(exceptionLogRecords(b.receiver.requests)).toHaveLength(1);
    });
  });

  it('sends log records from memory when the store cannot be opened', async () => {
    const dir = await tempDir();
    const denied = () => {
      throw Object.assign(new Error('EACCES: injected'), { code: 'EACCES' });
    };
    const fs = { ...nodeStoreFs, mkdirSync: denied, openSync: denied, open: async () => denied() };
    // The store says once that it is unavailable; that is expected here.
    setDiagnosticWriter(() => {});
    cleanup.push(async () => setDiagnosticWriter());
    const { receiver, insight } = await setUp(
      { exceptionSignal: 'logs' },
      { logFile: undefined, store: { logFile: join(dir, 'store', 'errors.jsonl'), fs } },
    );
    expect(insight.logger.getErrorStats().store?.state).toBe('unavailable');
    await logTwo(insight);
    expect(exceptionLogRecords(receiver.requests)).toHaveLength(2);
  });

  it('sends log records from memory when there is no store', async () => {
    const { receiver, insight } = await setUp(
      { exceptionSignal: 'logs' },
      { store: false, logFile: undefined },
    );
    await logTwo(insight);
    expect(exceptionLogRecords(receiver.requests)).toHaveLength(2);
    expect(insight.logger.getErrorStats().export?.sent.logRecords).toBe(2);
  });
});
