import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setDiagnosticWriter } from '../../src/diag/diagnostics.js';
import { registerErrorInstrumentation } from '../../src/register.js';
import * as A from '../../src/semconv.js';
import { formatStoreFileName } from '../../src/store/store-file-name.js';
import { runNode } from '../helpers/run-process.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';
import {
  exceptionLogRecords,
  type Receiver,
  type Responder,
  refusedUrl,
  startReceiver,
} from './otlp-receiver.js';

const fixture = fileURLToPath(new URL('./fixtures/durable-run.mjs', import.meta.url));

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  setDiagnosticWriter();
});

async function receiver(opts: { port?: number; respond?: Responder } = {}): Promise<Receiver> {
  const r = await startReceiver('ok', opts);
  cleanup.push(r.close);
  return r;
}

function register(dir: string, endpoint: string, extra: Record<string, unknown> = {}) {
  const insight = registerErrorInstrumentation({
    serviceName: 'durable-check',
    logFile: join(dir, 'errors.jsonl'),
    resources: false,
    warnOnStderr: false,
    shutdownTimeoutMs: 4000,
    otlp: { endpoint, timeoutMillis: 2000 },
    ...extra,
  });
  cleanup.push(() => insight.shutdown());
  return insight;
}

const ids = (r: Receiver) => exceptionLogRecords(r.requests).map((l) => String(l[A.ATTR_RECORD_ID]));

async function runApp(
  endpoint: string,
  dir: string,
  errors: number,
  label: string,
  crash = false,
): Promise<string> {
  const r = await runNode(fixture, [endpoint, dir, String(errors), label, ...(crash ? ['crash'] : [])]);
  if (r.code === 0 || (crash && r.signal === 'SIGKILL')) return r.stdout;
  throw new Error(`exit ${r.code}: ${r.stderr}`);
}

describe('the durable log exporter (the store is the source of truth)', () => {
  it('sends every record logged while the collector was down exactly once when it comes back', async () => {
    const first = await receiver();
    const port = first.port;
    const dir = await tempDir();
    const insight = register(dir, first.url);
    await first.close();
    for (let i = 0; i < 5; i++) insight.logger.logStructuredError(new Error(`encode failed ${i}`));
    await insight.forceFlush();
    const during = insight.logger.getErrorStats().export;
    expect(during?.sent.logRecords).toBe(0);
    expect(during?.durable.pendingRecords).toBe(5);
    expect(during?.failedRequests).toBeGreaterThan(0);

    const back = await receiver({ port });
    insight.logger.logStructuredError(new Error('encode failed after'));
    // The collector's answer reaches the exporter a moment after the request reached the receiver.
    await vi.waitFor(() => expect(insight.logger.getErrorStats().export?.sent.logRecords).toBe(6), {
      timeout: 60_000,
      interval: 100,
    });
    const stored = (await readStoreLines(dir)).map((r) => r.id).sort();
    expect([...ids(back)].sort()).toEqual(stored);
    expect(new Set(ids(back)).size).toBe(6);
    const after = insight.logger.getErrorStats().export;
    expect(after?.sent.logRecords).toBe(6);
    expect(after?.durable.pendingRecords).toBe(0);
  }, 90_000);

  it('resumes after an app restart: records of a run that could not send go out with the next run, each once', async () => {
    const dir = await tempDir();
    const down = await refusedUrl();
    const firstStats = JSON.parse((await runApp(down, dir, 3, 'first')).trim().split('\n').pop() ?? 'null');
    expect(firstStats.sent.logRecords).toBe(0);
    expect(firstStats.failedRequests).toBeGreaterThan(0);

    const collector = await receiver();
    await runApp(collector.url, dir, 1, 'second');
    const messages = exceptionLogRecords(collector.requests).map((l) => String(l[A.ATTR_EXCEPTION_MESSAGE]));
    expect(messages.sort()).toEqual([
      'first failed 0',
      'first failed 1',
      'first failed 2',
      'second failed 0',
    ]);
    // A third run has nothing left to send from the earlier ones.
    await runApp(collector.url, dir, 0, 'third');
    expect(ids(collector)).toHaveLength(4);
    expect(new Set(ids(collector)).size).toBe(4);
  }, 60_000);

  it('takes over the records of a run killed with SIGKILL while the collector was down', async () => {
    const dir = await tempDir();
    await runApp(await refusedUrl(), dir, 3, 'killed', true);
    const collector = await receiver();
    await runApp(collector.url, dir, 1, 'next');
    const messages = exceptionLogRecords(collector.requests).map((l) => String(l[A.ATTR_EXCEPTION_MESSAGE]));
    expect(messages.sort()).toEqual([
      'killed failed 0',
      'killed failed 1',
      'killed failed 2',
      'next failed 0',
    ]);
  }, 60_000);

  for (const status of [429, 503]) {
    it(`waits as long as a ${status} answer's Retry-After asks before sending the batch again`, async () => {
      const times: number[] = [];
      const collector = await receiver({
        respond: (req, index) => {
          if (req.path !== '/v1/logs') return undefined;
          times.push(Date.now());
          return index === 0 || times.length === 1 ? { status, headers: { 'retry-after': '3' } } : undefined;
        },
      });
      const dir = await tempDir();
      // A request timeout shorter than the Retry-After: the transport hands the wait to the durable exporter.
      const insight = register(dir, collector.url, {
        otlp: { endpoint: collector.url, timeoutMillis: 1000 },
      });
      insight.logger.logStructuredError(new Error('rate limited'));
      await vi.waitFor(() => expect(insight.logger.getErrorStats().export?.sent.logRecords).toBe(1), {
        timeout: 30_000,
        interval: 100,
      });
      expect(ids(collector)).toHaveLength(2);
      expect(times).toHaveLength(2);
      expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(2900);
      const stats = insight.logger.getErrorStats().export;
      expect(stats?.sent.logRecords).toBe(1);
      expect(stats?.retries).toBeGreaterThanOrEqual(1);
    }, 40_000);
  }

  it('holds one batch in memory through a long outage, then sends the whole backlog once', async () => {
    const first = await receiver();
    const port = first.port;
    const dir = await tempDir();
    // Short requests: each flush makes one attempt against the refused port and returns.
    const insight = register(dir, first.url, { otlp: { endpoint: first.url, timeoutMillis: 300 } });
    await first.close();
    const depths: number[] = [];
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 200; i++) insight.logger.logStructuredError(new Error(`storm ${round}-${i}`));
      await insight.forceFlush();
      depths.push(insight.logger.getErrorStats().export?.queued ?? -1);
    }
    const during = insight.logger.getErrorStats().export;
    expect(during?.durable.pendingRecords).toBe(2000);
    expect(Math.max(...depths)).toBeLessThanOrEqual(256);
    expect(Math.min(...depths)).toBeGreaterThanOrEqual(0);
    const back = await receiver({ port });
    await insight.forceFlush();
    await vi.waitFor(() => expect(ids(back)).toHaveLength(2000), { timeout: 60_000, interval: 200 });
    expect(new Set(ids(back)).size).toBe(2000);
  }, 120_000);

  it('does not replay what a store held before log export was first turned on', async () => {
    const dir = await tempDir();
    // An earlier run without OTLP wrote two errors.
    await runApp('', dir, 2, 'history');
    const collector = await receiver();
    await runApp(collector.url, dir, 1, 'now');
    expect(exceptionLogRecords(collector.requests).map((l) => l[A.ATTR_EXCEPTION_MESSAGE])).toEqual([
      'now failed 0',
    ]);
    expect(await readStoreLines(dir)).toHaveLength(3);
  }, 60_000);

  it('does not retry a batch the collector refuses with 400: counts it as dropped and says so once', async () => {
    const lines: string[] = [];
    setDiagnosticWriter((line) => lines.push(line));
    const collector = await receiver({
      respond: (req) => (req.path === '/v1/logs' ? { status: 400 } : undefined),
    });
    const dir = await tempDir();
    const insight = register(dir, collector.url);
    insight.logger.logStructuredError(new Error('malformed'));
    insight.logger.logStructuredError(new Error('malformed again'));
    await insight.forceFlush();
    await insight.forceFlush();
    expect(collector.requests.filter((r) => r.path === '/v1/logs')).toHaveLength(1);
    const stats = insight.logger.getErrorStats().export;
    expect(stats?.dropped).toBe(2);
    expect(stats?.failedRequests).toBe(1);
    expect(stats?.sent.logRecords).toBe(0);
    expect(lines.filter((l) => l.includes('refused a batch of log records'))).toHaveLength(1);
    expect(await readStoreLines(dir)).toHaveLength(2);
  });

  it('gives up records older than the retention, counts them and says so once', async () => {
    const dir = await tempDir();
    const lines: string[] = [];
    setDiagnosticWriter((line) => lines.push(line));
    // A writer that died with one record from 40 days ago and one from now.
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const record = (id: string, time: string, message: string) =>
      JSON.stringify({
        schema: 1,
        id,
        time,
        service: { name: 'old-worker' },
        process: { pid: 999_999, hostname: 'w1' },
        source: 'api',
        exception: { type: 'Error', message },
        fingerprint: 'f1',
        fingerprintVersion: '1',
        occurrence: 1,
        classification: {
          category: 'unknown',
          severity: 'medium',
          retryable: false,
          suggestion: '',
          rule: 'r',
        },
        memory: { heapUsed: 1, heapTotal: 2, heapLimit: 4, heapUsedRatio: 0.25 },
      });
    const name = formatStoreFileName('errors', Date.now() - 1000, 999_999, 'deadbeef', 1);
    await writeFile(
      join(dir, name),
      `${record('old-1', old, 'too old')}\n${record('new-1', new Date().toISOString(), 'recent')}\n`,
    );
    // A store that log export already runs on (so the dead writer's records are a backlog, not history).
    await mkdir(join(dir, 'otlp-export'));
    const collector = await receiver();
    const insight = register(dir, collector.url, { retentionDays: 30 });
    await insight.forceFlush();
    expect(exceptionLogRecords(collector.requests).map((l) => l[A.ATTR_EXCEPTION_MESSAGE])).toEqual([
      'recent',
    ]);
    const stats = insight.logger.getErrorStats().export;
    expect(stats?.expired).toBe(1);
    expect(stats?.dropped).toBe(1);
    expect(lines.filter((l) => l.includes('older than the store retention'))).toHaveLength(1);
  });
});
