import { join } from 'node:path';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterEach, describe, expect, it } from 'vitest';
import { readEnvConfig } from '../../src/config/env.js';
import { resolveEngineOptions } from '../../src/engine/engine-options.js';
import { ExportLogger, type ExportLoggerOptions } from '../../src/logger/export-logger.js';
import { ErrorInsightSpanProcessor } from '../../src/processor/error-insight-span-processor.js';
import type { ErrorRecord } from '../../src/record.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const RESOURCE = {
  'service.name': 'clips-exporter',
  'service.version': '2.4.1',
  'service.instance.id': 'pod-7f9c',
  'deployment.environment.name': 'staging',
};

async function setup(
  resource: Record<string, string | Promise<string>> = RESOURCE,
  options: ExportLoggerOptions = {},
) {
  const dir = await tempDir();
  const records: ErrorRecord[] = [];
  const logger = new ExportLogger({
    logFile: join(dir, 'errors.jsonl'),
    resources: false,
    warnOnStderr: false,
    onRecord: (r) => records.push(r),
    ...options,
  });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: [new ErrorInsightSpanProcessor({ logger })],
  });
  provider.register();
  cleanup.push(
    () => logger.shutdown(),
    async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  );
  return { dir, logger, provider, records, tracer: provider.getTracer('app') };
}

describe('service identity from the span resource', () => {
  it('gives a span exception the resource name, version, instance and environment', async () => {
    const { dir, logger, tracer } = await setup();
    tracer.startActiveSpan('render', (span) => {
      span.recordException(new Error('frame 12 missing'));
      span.end();
    });
    await logger.flush();
    const [record] = await readStoreLines(dir);
    expect(record?.service).toEqual({ name: 'clips-exporter', version: '2.4.1', instanceId: 'pod-7f9c' });
    expect(record?.environment).toBe('staging');
  });

  it('gives a logger-API record outside any span the resource of the spans seen before', async () => {
    const { logger, tracer, records } = await setup();
    tracer.startSpan('warm-up').end();
    logger.logStructuredError(new Error('outside a span'));
    await logger.flush();
    expect(records.map((r) => [r.service.name, r.service.version, r.environment])).toEqual([
      ['clips-exporter', '2.4.1', 'staging'],
    ]);
  });

  it('finds the registered SDK resource when no span started yet', async () => {
    const { logger, records } = await setup();
    logger.logStructuredError(new Error('first thing that happened'));
    await logger.flush();
    expect(records[0]?.service.name).toBe('clips-exporter');
    expect(records[0]?.environment).toBe('staging');
  });

  it('keeps service name, version and environment set in the options over the resource', async () => {
    const { logger, tracer, records } = await setup(RESOURCE, {
      serviceName: 'from-options',
      serviceVersion: '9.9.9',
      environment: 'prod',
    });
    tracer.startActiveSpan('render', (span) => {
      span.recordException(new Error('x'));
      span.end();
    });
    await logger.flush();
    expect(records[0]?.service).toEqual({ name: 'from-options', version: '9.9.9', instanceId: 'pod-7f9c' });
    expect(records[0]?.environment).toBe('prod');
  });

  it('reads the resource while a detector value is still a promise, as NodeSDK leaves host.id', async () => {
    const { logger, tracer, records } = await setup({
      ...RESOURCE,
      'host.id': new Promise<string>(() => {}),
    });
    tracer.startActiveSpan('render', (span) => {
      span.recordException(new Error('x'));
      span.end();
    });
    await logger.flush();
    expect(records[0]?.service.name).toBe('clips-exporter');
    expect(records[0]?.environment).toBe('staging');
  });

  it('keeps a known name over the SDK default unknown_service name', async () => {
    const { logger, tracer, records } = await setup(
      { 'service.name': 'unknown_service:node', 'service.version': '1.0.0' },
      { serviceName: undefined },
    );
    const before = logger.engine.identities.fallback.service.name;
    tracer.startActiveSpan('render', (span) => {
      span.recordException(new Error('x'));
      span.end();
    });
    await logger.flush();
    expect(records[0]?.service.name).toBe(before);
    expect(records[0]?.service.version).toBe('1.0.0');
  });
});

describe('service identity from the environment', () => {
  it('reads version, instance and environment from OTEL_RESOURCE_ATTRIBUTES, percent-decoded', () => {
    const env = readEnvConfig({
      OTEL_SERVICE_NAME: 'svc',
      OTEL_RESOURCE_ATTRIBUTES:
        'service.version=3.1.0,deployment.environment.name=eu%2Fprod,service.instance.id=i-1,broken,=x',
    });
    const o = resolveEngineOptions({}, env);
    expect([o.serviceName, o.serviceVersion, o.environment, o.serviceInstanceId]).toEqual([
      'svc',
      '3.1.0',
      'eu/prod',
      'i-1',
    ]);
    expect(o.explicitIdentity).toEqual({ name: false, version: false, environment: false });
  });

  it('takes the legacy deployment.environment and service.name from the resource variable', () => {
    const env = readEnvConfig({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=a,deployment.environment=qa' });
    const o = resolveEngineOptions({}, env);
    expect([o.serviceName, o.environment]).toEqual(['a', 'qa']);
  });

  it('rejects an empty environment option at the call', () => {
    expect(() => resolveEngineOptions({ environment: '' })).toThrow(/environment/);
  });
});

describe('request context from HTTP spans', () => {
  it('records method, route, path without query, status and client of a server span', async () => {
    const { logger, tracer, records } = await setup();
    const span = tracer.startSpan('GET /videos/:id', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/videos/:id',
        'url.path': '/videos/42?token=abc123secret',
        'http.response.status_code': 500,
        'client.address': '127.0.0.1',
      },
    });
    span.recordException(new Error('render failed'));
    span.end();
    await logger.flush();
    expect(records[0]?.request).toEqual({
      method: 'GET',
      route: '/videos/:id',
      path: '/videos/42',
      status: 500,
      peer: '127.0.0.1',
    });
  });

  it('gives an error on a child span the request of its trace server span', async () => {
    const { logger, tracer, records } = await setup();
    tracer.startActiveSpan(
      'POST /export',
      { kind: SpanKind.SERVER, attributes: { 'http.method': 'POST', 'http.target': '/export?key=k' } },
      (server) => {
        tracer.startActiveSpan('encode', (child) => {
          child.recordException(new Error('ffmpeg exited with code 1'));
          child.end();
        });
        server.end();
      },
    );
    await logger.flush();
    expect(records[0]?.request).toEqual({ method: 'POST', path: '/export' });
  });

  it('names the server of a client span as its peer and redacts secrets in the path', async () => {
    const { logger, tracer, records } = await setup();
    const span = tracer.startSpan('GET', {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': 'GET',
        'url.full': 'http://127.0.0.1:9000/upload/sk_live_abcdefghijklmnopqrstuvwx?sig=1',
        'server.address': '127.0.0.1',
        'server.port': 9000,
      },
    });
    span.recordException(new Error('upload refused'));
    span.end();
    await logger.flush();
    const request = records[0]?.request;
    expect(request?.peer).toBe('127.0.0.1:9000');
    expect(request?.path).toMatch(/^\/upload\//);
    expect(request?.path).not.toContain('sk_live_abcdefghijklmnopqrstuvwx');
    expect(request?.path).not.toContain('sig');
  });

  it('leaves request out of records whose span is not an HTTP span', async () => {
    const { logger, tracer, records } = await setup();
    tracer.startActiveSpan('RENDERING', (span) => {
      span.recordException(new Error('x'));
      span.end();
    });
    await logger.flush();
    expect(records[0]).toBeDefined();
    expect(records[0]?.request).toBeUndefined();
  });
});
