import { readFile } from 'node:fs/promises';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import type { Breadcrumb } from '../../src/record.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { testLogger } from '../helpers/test-logger.js';
import { tracing } from '../helpers/tracing.js';

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(
  JSON.parse(await readFile(new URL('../../schema/error-record.schema.json', import.meta.url), 'utf8')),
);

let server: Server | undefined;
let closeTracing: (() => Promise<void>) | undefined;

afterEach(async () => {
  await closeTracing?.();
  closeTracing = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function localServer(): Promise<string> {
  server = createServer((req, res) => {
    res.statusCode = req.url?.startsWith('/missing') ? 404 : 200;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function categories(crumbs: Breadcrumb[] | undefined): string[] {
  return (crumbs ?? []).map((c) => c.category);
}

describe('breadcrumbs', () => {
  it('records a real fetch, console lines and spans before the error, oldest first', async () => {
    const base = await localServer();
    const { logger, dir } = await testLogger({ breadcrumbs: true });
    const t = tracing(logger);
    closeTracing = t.close;
    const record = await logger.logErrors({ phase: 'UPLOADING', rethrow: false }, async () => {
      const tracer = trace.getTracer('test');
      await tracer.startActiveSpan('sign-url', async (span) => {
        span.addEvent('signed', { bucket: 'clips', password: 'hunter2' });
        span.end();
      });
      console.warn('retrying upload', 2);
      const res = await fetch(`${base}/missing/clip.mp4?token=abc123secret&part=3`);
      await res.text();
      console.error({ step: 'upload', apiKey: 'sk_live_zzz' });
      return logger.logStructuredError(new Error('upload rejected'));
    });
    const crumbs = record!.breadcrumbs!;
    expect(categories(crumbs)).toEqual([
      'span.start',
      'span.start',
      'span.event',
      'span.end',
      'console',
      'http',
      'console',
    ]);
    expect(crumbs[0]!.message).toBe('UPLOADING');
    expect(crumbs[1]!.message).toBe('sign-url');
    expect(crumbs[2]).toMatchObject({
      message: 'signed',
      data: { span: 'sign-url', attributes: { bucket: 'clips', password: '[Filtered]' } },
    });
    expect(crumbs[3]!.message).toBe('sign-url');
    expect(typeof crumbs[3]!.data!.durationMs).toBe('number');
    expect(crumbs[4]).toMatchObject({ level: 'warning', message: 'retrying upload 2' });
    const http = crumbs[5]!;
    expect(http.level).toBe('warning');
    expect(http.data).toMatchObject({ method: 'GET', statusCode: 404 });
    expect(http.message).toBe(`GET ${base}/missing/clip.mp4?token=[Filtered]&part=3`);
    expect(JSON.stringify(crumbs)).not.toContain('abc123secret');
    expect(crumbs[6]!.message).toContain('"step":"upload"');
    expect(crumbs[6]!.message).not.toContain('sk_live_zzz');
    for (let i = 1; i < crumbs.length; i++) expect(crumbs[i]!.time >= crumbs[i - 1]!.time).toBe(true);
    await logger.flush();
    const [line] = await readStoreLines(dir);
    expect(line!.breadcrumbs).toEqual(crumbs);
    expect(validate(line), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('keeps the events of concurrent jobs apart', async () => {
    const base = await localServer();
    const { logger } = await testLogger({ breadcrumbs: true });
    const job = (name: string, delay: number) =>
      logger.logErrors({ phase: name, rethrow: false }, async () => {
        console.warn(`${name} starts`);
        await new Promise((r) => setTimeout(r, delay));
        await (await fetch(`${base}/${name}`)).text();
        return logger.logStructuredError(new Error(`${name} failed`));
      });
    const [a, b] = await Promise.all([job('a', 20), job('b', 5)]);
    expect(a!.breadcrumbs!.map((c) => c.message)).toEqual(['a starts', `GET ${base}/a`]);
    expect(b!.breadcrumbs!.map((c) => c.message)).toEqual(['b starts', `GET ${base}/b`]);
  });

  it('records node:http requests and leaves out userinfo', async () => {
    const base = await localServer();
    const { logger } = await testLogger({ breadcrumbs: true });
    const record = await logger.logErrors({ phase: 'P', rethrow: false }, async () => {
      const url = base.replace('http://', 'http://user:pw@');
      await new Promise<void>((resolve) => get(`${url}/ok`, (res) => res.resume().on('end', resolve)));
      return logger.logStructuredError(new Error('after http'));
    });
    expect(record!.breadcrumbs!.map((c) => [c.category, c.message, c.data?.statusCode])).toEqual([
      ['http', `GET ${base}/ok`, 200],
    ]);
  });

  it('bounds breadcrumbs by count and bytes, keeping the newest', async () => {
    const { logger } = await testLogger({ breadcrumbs: { max: 5 } });
    const record = logger.logErrors({ phase: 'P', rethrow: false }, () => {
      for (let i = 0; i < 30; i++) console.warn(`line ${i}`);
      return logger.logStructuredError(new Error('x'));
    });
    expect(record!.breadcrumbs!.map((c) => c.message)).toEqual([
      'line 25',
      'line 26',
      'line 27',
      'line 28',
      'line 29',
    ]);
    const { logger: small } = await testLogger({ breadcrumbs: { maxBytes: 300 } });
    const r2 = small.logErrors({ phase: 'P', rethrow: false }, () => {
      for (let i = 0; i < 30; i++) console.warn(`line ${i} ${'x'.repeat(40)}`);
      return small.logStructuredError(new Error('y'));
    });
    expect(Buffer.byteLength(JSON.stringify(r2!.breadcrumbs))).toBeLessThanOrEqual(300);
    expect(r2!.breadcrumbs!.at(-1)!.message).toContain('line 29');
  });

  it('takes no breadcrumb of what happens after the capture', async () => {
    const { logger } = await testLogger({ breadcrumbs: true });
    const record = logger.logErrors({ phase: 'P', rethrow: false }, () => {
      console.warn('before');
      const r = logger.logStructuredError(new Error('x'));
      console.warn('after');
      return r;
    });
    expect(record!.breadcrumbs!.map((c) => c.message)).toEqual(['before']);
  });

  it('restores console.warn and console.error when the logger shuts down, and has none when off', async () => {
    const warn = console.warn;
    const { logger } = await testLogger({ breadcrumbs: true });
    expect(console.warn).not.toBe(warn);
    await logger.shutdown();
    expect(console.warn).toBe(warn);
    const { logger: off } = await testLogger();
    expect(console.warn).toBe(warn);
    const r = off.logErrors({ phase: 'P', rethrow: false }, () => {
      console.warn('x');
      return off.logStructuredError(new Error('x'));
    });
    expect(r!.breadcrumbs).toBeUndefined();
  });

  it('rejects bad breadcrumb options at the call', async () => {
    await expect(testLogger({ breadcrumbs: { max: 0 } })).rejects.toThrow(RangeError);
    await expect(testLogger({ breadcrumbs: { max: 65 } })).rejects.toThrow(RangeError);
    await expect(testLogger({ breadcrumbs: { colour: true } as never })).rejects.toThrow(
      /unknown breadcrumbs option/,
    );
    await expect(testLogger({ breadcrumbs: 'yes' as never })).rejects.toThrow(TypeError);
  });
});

describe('breadcrumbs in a record too big for maxRecordBytes', () => {
  it('are dropped first, and the record says it was cut', async () => {
    const { logger, dir } = await testLogger({
      breadcrumbs: { maxBytes: 8192 },
      limits: { maxRecordBytes: 4096 },
    });
    logger.logErrors({ phase: 'P', rethrow: false }, () => {
      for (let i = 0; i < 20; i++) console.warn(`warning ${i} ${'w'.repeat(300)}`);
      logger.logStructuredError(new Error('big'), { job: 'kept' });
    });
    await logger.flush();
    const [line] = await readStoreLines(dir);
    expect(line!.breadcrumbs).toBeUndefined();
    expect(line!.truncated).toBe(true);
    expect(line!.context).toEqual({ job: 'kept' });
  });
});
