import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExportLogger } from '../../src/logger/export-logger.js';
import { exportOtlpJson } from '../../src/otlp/otlp-json-export-api.js';
import type { ReportAggregation } from '../../src/report/report-aggregation.js';
import * as A from '../../src/semconv.js';
import { ensureBuilt, runCli } from '../cli/cli-run.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';
import { exceptionLogRecords, logsOf, type Receiver, startReceiver } from './otlp-receiver.js';

beforeAll(() => ensureBuilt());

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A store of a render worker: repeats, phases, videos, codes, causes and context. */
async function workerStore(): Promise<string> {
  const dir = await tempDir();
  const logger = new ExportLogger({
    logFile: join(dir, 'store', 'errors.jsonl'),
    serviceName: 'render-worker',
    resources: false,
    warnOnStderr: false,
  });
  for (let i = 0; i < 30; i++) {
    logger.setContext({ phase: i % 3 === 0 ? 'ENCODING' : 'RENDERING', videoHash: `v${i % 7}` });
    if (i % 2 === 0)
      logger.logStructuredError(new Error(`encoder hevc_nvenc failed on segment ${i}`), { segment: i });
    if (i % 5 === 0) {
      const err = Object.assign(new Error(`ENOENT: no such file or directory, open '/tmp/f${i}.mp4'`), {
        code: 'ENOENT',
      });
      logger.logStructuredError(err);
    }
    if (i % 10 === 0)
      logger.logStructuredError(new TypeError('frame has no texture', { cause: new Error('gpu lost') }));
  }
  await logger.shutdown();
  return join(dir, 'store');
}

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/logs`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const top = (a: ReportAggregation) =>
  a.groups.map((g) => ({
    fingerprint: g.fingerprint,
    count: g.count,
    type: g.type,
    message: g.message,
    category: g.category,
    phases: g.phases,
    videos: g.videos,
    codes: g.codes,
    heapUsed: g.heapUsed,
  }));

describe('export --format otlp', () => {
  it('round-trips: the exported lines, received as the otlpjsonfile receiver reads them, give the same top errors as the store', async () => {
    const store = await workerStore();
    const out = join(await tempDir(), 'errors.otlp.json');
    const exported = await runCli(['export', '--format', 'otlp', '--store', store, '--out', out]);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(/exported 24 records as 1 OTLP\/JSON lines/);

    // Each line is one ExportLogsServiceRequest: hand them to a receiver that decodes OTLP/JSON,
    // and keep what it got as the Collector's file exporter writes it (one request per line).
    const receiver: Receiver = await startReceiver();
    cleanup.push(receiver.close);
    const lines = (await readFile(out, 'utf8')).split('\n').filter((l) => l.length > 0);
    for (const line of lines) expect(await post(receiver.url, line)).toBe(200);
    const received = exceptionLogRecords(receiver.requests);
    const stored = await readStoreLines(store);
    expect(received.map((l) => l[A.ATTR_RECORD_ID]).sort()).toEqual(stored.map((r) => r.id).sort());
    expect(received.every((l) => l.eventName === 'exception' && l.service === 'render-worker')).toBe(true);
    const collectorFile = join(await tempDir(), 'logs.json');
    await writeFile(collectorFile, receiver.requests.map((r) => `${JSON.stringify(logsOf(r))}\n`).join(''));

    const fromStore = await runCli(['report', '--store', store, '--format', 'json']);
    const fromOtlp = await runCli(['report', '--otlp', collectorFile, '--format', 'json']);
    expect(fromStore.code).toBe(0);
    expect(fromOtlp.code).toBe(0);
    const a = JSON.parse(fromStore.stdout) as ReportAggregation;
    const b = JSON.parse(fromOtlp.stdout) as ReportAggregation;
    expect(a.groups.length).toBe(3);
    expect(top(b)).toEqual(top(a));
  });

  it('applies the report filters and returns the lines from the library function', async () => {
    const store = await workerStore();
    const result = await exportOtlpJson({
      source: { store },
      filters: { phase: 'ENCODING' },
      recordsPerLine: 4,
    });
    const stored = (await readStoreLines(store)).filter((r) => r.phase === 'ENCODING');
    expect(result.records).toBe(stored.length);
    expect(result.lines).toBe(Math.ceil(stored.length / 4));
    const lines = (result.content ?? '').split('\n').filter((l) => l.length > 0);
    expect(lines).toHaveLength(result.lines);
    const phases = lines.flatMap((l) =>
      (JSON.parse(l) as ReturnType<typeof logsOf>).resourceLogs.flatMap((rl) =>
        rl.scopeLogs.flatMap((sl) =>
          sl.logRecords.map((lr) => lr.attributes.find((x) => x.key === A.ATTR_PHASE)?.value.stringValue),
        ),
      ),
    );
    expect(phases).toEqual(stored.map(() => 'ENCODING'));
  });

  it('refuses bad arguments at the call and reports a missing store with its exit code', async () => {
    expect(() => exportOtlpJson({ source: {} })).toThrow(/needs source\.store/);
    expect(() => exportOtlpJson({ source: { store: 'x' }, recordsPerLine: 0 })).toThrow(RangeError);
    const missing = await runCli(['export', '--store', join(await tempDir(), 'nope')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/store not found/);
  });
});
