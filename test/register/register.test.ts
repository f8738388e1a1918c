import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getExportLogger } from '../../src/logger/default-logger.js';
import { registerErrorInstrumentation } from '../../src/register.js';
import * as A from '../../src/semconv.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';
import { exceptionEvents, type Receiver, startReceiver, tracesOf } from '../otlp/otlp-receiver.js';

async function collector(hang = false): Promise<Receiver> {
  return startReceiver(hang ? 'hang' : 'ok');
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function register(options: Parameters<typeof registerErrorInstrumentation>[0] = {}) {
  const dir = await tempDir();
  const insight = registerErrorInstrumentation({
    logFile: join(dir, 'errors.jsonl'),
    resources: false,
    warnOnStderr: false,
    shutdownTimeoutMs: 2000,
    ...options,
  });
  cleanup.push(() => insight.shutdown());
  return { dir, insight };
}

describe('registerErrorInstrumentation', () => {
  it('sends enriched exception events to an OTLP/HTTP collector and keeps them in the store', async () => {
    const c = await collector();
    cleanup.push(c.close);
    const { dir, insight } = await register({
      serviceName: 'clips-exporter',
      otlp: { endpoint: c.url, headers: { 'x-api-key': 'sekret-PLANTED' } },
    });
    await insight.logger
      .logErrors({ phase: 'ENCODING', videoHash: 'v7' }, async () => {
        throw new Error('Unknown encoder hevc_nvenc');
      })
      .catch(() => undefined);
    await insight.forceFlush();

    const traces = c.requests.filter((r) => r.path === '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    expect(traces[0]?.headers['x-api-key']).toBe('sekret-PLANTED');
    expect(traces[0]?.headers['content-type']).toBe('application/x-protobuf');
    const events = traces.flatMap((r) => exceptionEvents(tracesOf(r)));
    const [record] = await readStoreLines(dir);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      service: 'clips-exporter',
      span: 'ENCODING',
      [A.ATTR_EXCEPTION_TYPE]: 'Error',
      [A.ATTR_PHASE]: 'ENCODING',
      [A.ATTR_VIDEO_HASH]: 'v7',
      [A.ATTR_FINGERPRINT]: record?.fingerprint,
      [A.ATTR_RECORD_ID]: record?.id,
    });
    expect(JSON.stringify(record)).not.toContain('sekret-PLANTED');
  });

  it('compresses exports with gzip unless OTEL_EXPORTER_OTLP_COMPRESSION says otherwise', async () => {
    const encodings = async (): Promise<Array<string | undefined>> => {
      const c = await collector();
      cleanup.push(c.close);
      const { insight } = await register({ otlp: { endpoint: c.url } });
      insight.logger.logErrors({ phase: 'UPLOADING', rethrow: false }, () => {
        throw new Error('upload refused');
      });
      await insight.forceFlush();
      const traces = c.requests.filter((r) => r.path === '/v1/traces');
      expect(traces.flatMap((r) => exceptionEvents(tracesOf(r)))).toHaveLength(1);
      await insight.shutdown();
      return traces.map((r) => r.headers['content-encoding'] as string | undefined);
    };
    expect(await encodings()).toEqual(['gzip']);
    const before = process.env.OTEL_EXPORTER_OTLP_COMPRESSION;
    process.env.OTEL_EXPORTER_OTLP_COMPRESSION = 'none';
    try {
      expect(await encodings()).toEqual([undefined]);
    } finally {
      if (before === undefined) delete process.env.OTEL_EXPORTER_OTLP_COMPRESSION;
      else process.env.OTEL_EXPORTER_OTLP_COMPRESSION = before;
    }
  });

  it('sends OTLP/JSON when the protocol is http/json, with the same attributes', async () => {
    const c = await collector();
    cleanup.push(c.close);
    const before = process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';
    try {
      const { dir, insight } = await register({ otlp: { endpoint: c.url } });
      insight.logger.logErrors({ phase: 'MUXING', videoHash: 'v9', rethrow: false }, () => {
        throw new Error('moov atom not found');
      });
      await insight.forceFlush();
      const traces = c.requests.filter((r) => r.path === '/v1/traces');
      expect(traces.map((r) => r.headers['content-type'])).toEqual(traces.map(() => 'application/json'));
      const [record] = await readStoreLines(dir);
      const events = traces.flatMap((r) => exceptionEvents(JSON.parse(r.body.toString('utf8'))));
      expect(events).toEqual([
        expect.objectContaining({
          span: 'MUXING',
          [A.ATTR_EXCEPTION_MESSAGE]: 'moov atom not found',
          [A.ATTR_VIDEO_HASH]: 'v9',
          [A.ATTR_FINGERPRINT]: record?.fingerprint,
          [A.ATTR_RECORD_ID]: record?.id,
        }),
      ]);
    } finally {
      if (before === undefined) delete process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
      else process.env.OTEL_EXPORTER_OTLP_PROTOCOL = before;
    }
  });

  it('refuses an otlp option it does not know, such as url, and bad headers or timeouts', () => {
    const bad = (otlp: unknown) => () =>
      registerErrorInstrumentation({ otlp: otlp as { endpoint: string }, store: false });
    expect(bad({ url: 'http://127.0.0.1:4318' })).toThrow(
      /otlp\.url is not an option; give the collector base URL as otlp\.endpoint/,
    );
    expect(bad({ endpoint: 'http://127.0.0.1:4318', headers: { 'x-key': 7 } })).toThrow(TypeError);
    expect(bad({ endpoint: 'http://127.0.0.1:4318', timeoutMillis: 0 })).toThrow(RangeError);
  });

  it('rejects an OTLP protocol it cannot send, from the option or the environment', () => {
    expect(() =>
      registerErrorInstrumentation({
        otlp: { endpoint: 'http://127.0.0.1:4318', protocol: 'grpc' as 'http/json' },
        store: false,
      }),
    ).toThrow(/otlp\.protocol must be one of http\/protobuf, http\/json/);
    const before = process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL;
    process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = 'grpc';
    try {
      expect(() =>
        registerErrorInstrumentation({ otlp: { endpoint: 'http://127.0.0.1:4318' }, store: false }),
      ).toThrow(TypeError);
    } finally {
      if (before === undefined) delete process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL;
      else process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = before;
    }
  });

  it('counts errors for a metric reader the app passes, and sets up no meter provider without one', async () => {
    const { AggregationTemporality, InMemoryMetricExporter, PeriodicExportingMetricReader } = await import(
      '@opentelemetry/sdk-metrics'
    );
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const { insight } = await register({ otlp: false, metricReaders: [reader] });
    insight.logger.logStructuredError(new Error('counted'));
    await insight.forceFlush();
    const names = exporter
      .getMetrics()
      .flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.descriptor.name)));
    expect(names).toContain('error_insight.errors');
    await insight.shutdown();
    const { insight: bare } = await register({ otlp: false });
    expect(bare.meterProvider).toBeUndefined();
    expect(bare.tracerProvider).toBeDefined();
  });

  it('makes its logger the default one', async () => {
    const { insight } = await register();
    expect(getExportLogger()).toBe(insight.logger);
  });

  it('resolves shutdown within its bound when the collector never answers, and keeps the record', async () => {
    const c = await collector(true);
    cleanup.push(c.close);
    const { dir, insight } = await register({
      otlp: { endpoint: c.url, timeoutMillis: 60_000 },
      shutdownTimeoutMs: 300,
    });
    insight.logger.logErrors({ phase: 'UPLOADING', rethrow: false }, () => {
      throw new Error('upload failed');
    });
    const first = insight.shutdown();
    const second = insight.shutdown();
    expect(second).toBe(first);
    await first;
    expect((await readStoreLines(dir)).map((r) => r.exception.message)).toEqual(['upload failed']);
  });

  it('takes the service name from OTEL_SERVICE_NAME', async () => {
    const before = process.env.OTEL_SERVICE_NAME;
    process.env.OTEL_SERVICE_NAME = 'render-worker';
    try {
      const { insight } = await register();
      const record = insight.logger.logStructuredError(new Error('x'));
      expect(record.service.name).toBe('render-worker');
    } finally {
      if (before === undefined) delete process.env.OTEL_SERVICE_NAME;
      else process.env.OTEL_SERVICE_NAME = before;
    }
  });

  it('rejects a bad endpoint and a negative shutdown bound at the call', () => {
    expect(() => registerErrorInstrumentation({ otlp: { endpoint: 'not a url' }, store: false })).toThrow(
      TypeError,
    );
    expect(() => registerErrorInstrumentation({ shutdownTimeoutMs: -1, store: false })).toThrow(RangeError);
  });

  it('sends metrics only to a metrics endpoint, never to the traces URL', async () => {
    const c = await collector();
    cleanup.push(c.close);
    const before = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = `${c.url}/v1/traces`;
    try {
      const { insight } = await register();
      await insight.logger.logErrors({ phase: 'ENCODING', rethrow: false }, async () => {
        throw new Error('e');
      });
      await insight.forceFlush();
    } finally {
      if (before === undefined) delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
      else process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = before;
    }
    expect(c.requests.length).toBeGreaterThan(0);
    expect(c.requests.map((r) => r.path)).toEqual(c.requests.map(() => '/v1/traces'));
    expect(c.requests.every((r) => tracesOf(r).resourceSpans.length > 0)).toBe(true);
  });

  it('replaces a default logger made earlier, so a crash is watched and stored once', async () => {
    const earlier = getExportLogger();
    const watchers = process.listenerCount('uncaughtExceptionMonitor');
    const { insight } = await register();
    expect(insight.logger).not.toBe(earlier);
    expect(process.listenerCount('uncaughtExceptionMonitor')).toBe(watchers);
    await earlier.shutdown();
  });

  it('puts phase spans on its own provider when it does not register globally', async () => {
    const { InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
    const exporter = new InMemorySpanExporter();
    const { insight } = await register({
      registerGlobal: false,
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    insight.logger.logErrors({ phase: 'MUXING', rethrow: false }, () => {
      throw new Error('moov atom not found');
    });
    await insight.forceFlush();
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['MUXING']);
    expect(spans[0]?.events[0]?.attributes?.[A.ATTR_FINGERPRINT]).toBeTypeOf('string');
  });

  it('does not echo an endpoint that may hold credentials in its error', () => {
    let message = '';
    try {
      registerErrorInstrumentation({ otlp: { endpoint: 'http://user:s3cr3t@[bad' }, store: false });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('otlp.endpoint');
    expect(message).not.toContain('s3cr3t');
  });

  it('honours OTEL_RESOURCE_ATTRIBUTES on what it exports', async () => {
    const c = await collector();
    cleanup.push(c.close);
    const before = process.env.OTEL_RESOURCE_ATTRIBUTES;
    process.env.OTEL_RESOURCE_ATTRIBUTES = 'deployment.environment.name=render-farm,host.pool=gpu-a';
    try {
      const { insight } = await register({ otlp: { endpoint: c.url } });
      insight.logger.logErrors({ phase: 'RENDERING', rethrow: false }, () => {
        throw new Error('GPU lost');
      });
      await insight.forceFlush();
    } finally {
      if (before === undefined) delete process.env.OTEL_RESOURCE_ATTRIBUTES;
      else process.env.OTEL_RESOURCE_ATTRIBUTES = before;
    }
    const request = c.requests.find((r) => r.path === '/v1/traces');
    const resource = request === undefined ? [] : tracesOf(request).resourceSpans[0]?.resource.attributes;
    const attrs = Object.fromEntries((resource ?? []).map((a) => [a.key, a.value.stringValue]));
    expect(attrs).toMatchObject({ 'deployment.environment.name': 'render-farm', 'host.pool': 'gpu-a' });
  });

  it('with OTEL_SDK_DISABLED sets up no SDK, and the store and stats still work', async () => {
    const before = process.env.OTEL_SDK_DISABLED;
    process.env.OTEL_SDK_DISABLED = 'true';
    try {
      const { dir, insight } = await register();
      expect(insight.tracerProvider).toBeUndefined();
      insight.logger.logStructuredError(new Error('still recorded'));
      await insight.logger.flush();
      expect((await readStoreLines(dir)).map((r) => r.exception.message)).toEqual(['still recorded']);
      expect(insight.logger.getErrorStats().totalErrors).toBe(1);
    } finally {
      if (before === undefined) delete process.env.OTEL_SDK_DISABLED;
      else process.env.OTEL_SDK_DISABLED = before;
    }
  });
});
