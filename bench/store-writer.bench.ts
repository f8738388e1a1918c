/**
 * Store writer throughput against pino writing the same records with `pino.destination`, in the
 * same run. Build first (`npx tsc -p tsconfig.json`), then `node dist/bench/store-writer.bench.js`.
 * Reports records/s (append until every line is on disk) and bytes per record, and the ratios.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import pino from 'pino';
import type { ErrorRecord } from '../src/record.js';
import { JsonlStore } from '../src/store/jsonl-store.js';
import { median } from './bench-helpers.js';

const N = Number(process.env.BENCH_RECORDS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Records appended per event-loop turn: a burst of errors, then the loop gets to do I/O. */
const BURST = 500;

/** Appends in bursts, yielding to the loop between them (as a busy service would); returns the caller's ms. */
async function appendAll(records: ErrorRecord[], write: (r: ErrorRecord) => void): Promise<number> {
  let callerMs = 0;
  for (let i = 0; i < records.length; i += BURST) {
    const t = performance.now();
    for (let j = i; j < Math.min(i + BURST, records.length); j++) write(records[j]!);
    callerMs += performance.now() - t;
    await yieldToLoop();
  }
  return callerMs;
}

function makeRecord(i: number): ErrorRecord {
  return {
    schema: 1,
    id: `0193a1b2c3d4-${i.toString(36).padStart(8, '0')}`,
    time: new Date(1_764_000_000_000 + i).toISOString(),
    service: { name: 'clips-exporter', version: '1.4.2' },
    process: { pid: 4242, hostname: 'render-07' },
    source: 'api',
    exception: {
      type: 'Error',
      message: `ffmpeg exited with code 1 while encoding segment ${i % 40} of video 9f86d081884c7d65 编码失败`,
      stacktrace:
        'Error: ffmpeg exited with code 1\n    at ChildProcess.<anonymous> (/app/dist/encode.js:88:19)\n' +
        '    at ChildProcess.emit (node:events:519:28)\n    at maybeClose (node:internal/child_process:1105:16)\n' +
        '    at Process.ChildProcess._handle.onexit (node:internal/child_process:305:5)',
      code: 'FFMPEG_EXIT',
    },
    fingerprint: `e3b0c44298fc1c14${i % 12}`,
    fingerprintVersion: '1',
    messageTemplate: 'ffmpeg exited with code <n> while encoding segment <n> of video <hash> 编码失败',
    occurrence: (i % 50) + 1,
    classification: {
      category: 'media',
      subcategory: 'encoder',
      severity: 'high',
      retryable: true,
      suggestion: 'Check the encoder arguments and the input stream; retry with a software encoder.',
      rule: 'ffmpeg-exit',
      severityText: 'ERROR',
    },
    phase: 'ENCODING',
    videoHash: '9f86d081884c7d65',
    context: { segment: i % 40, preset: 'veryfast', crf: 23, attempt: 1 },
    memory: {
      heapUsed: 48_123_456,
      heapTotal: 64_000_000,
      heapLimit: 4_345_298_944,
      heapUsedRatio: 0.011,
      rss: 120_000_000,
    },
  };
}

function dirSize(dir: string): number {
  return fs.readdirSync(dir).reduce((sum, n) => sum + fs.statSync(path.join(dir, n)).size, 0);
}

interface Result {
  /** Most records waiting in the store's memory queue at once (0 for pino, whose buffer is unbounded). */
  maxPending: number;
  seconds: number;
  bytes: number;
  appendNs: number;
}

async function runStore(records: ErrorRecord[]): Promise<Result> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ei-bench-store-'));
  const store = new JsonlStore({
    logFile: path.join(dir, 'errors.jsonl'),
    maxLogs: 10_000,
    handleExit: false,
    retentionDays: 0,
    maxTotalBytes: 0,
    // The bench measures throughput, so neither writer may drop (pino's buffer is unbounded too).
    maxBufferedRecords: records.length,
  });
  const t0 = performance.now();
  let maxPending = 0;
  const callerMs = await appendAll(records, (r) => {
    store.append(r);
    const p = store.stats().pending;
    if (p > maxPending) maxPending = p;
  });
  await store.close();
  const t2 = performance.now();
  const { written, dropped } = store.stats();
  if (written !== records.length || dropped !== 0)
    throw new Error(`store wrote ${written}, dropped ${dropped}`);
  const bytes = dirSize(dir);
  fs.rmSync(dir, { recursive: true });
  return { maxPending, seconds: (t2 - t0) / 1000, bytes, appendNs: (callerMs * 1e6) / records.length };
}

async function runPino(records: ErrorRecord[]): Promise<Result> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ei-bench-pino-'));
  const dest = pino.destination({ dest: path.join(dir, 'pino.log'), sync: false, minLength: 4096 });
  await new Promise<void>((resolve) => dest.once('ready', () => resolve()));
  const logger = pino({ base: null, timestamp: false }, dest);
  const t0 = performance.now();
  const callerMs = await appendAll(records, (r) => logger.error(r));
  await new Promise<void>((resolve, reject) => dest.flush((err) => (err ? reject(err) : resolve())));
  dest.flushSync();
  const t2 = performance.now();
  dest.end();
  const bytes = dirSize(dir);
  fs.rmSync(dir, { recursive: true });
  return { maxPending: 0, seconds: (t2 - t0) / 1000, bytes, appendNs: (callerMs * 1e6) / records.length };
}

async function main(): Promise<void> {
  const records = Array.from({ length: N }, (_, i) => makeRecord(i));
  const store: Result[] = [];
  const pinoRuns: Result[] = [];
  await runStore(records.slice(0, 2000));
  await runPino(records.slice(0, 2000));
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate so both writers see the same disk and CPU conditions.
    store.push(await runStore(records));
    pinoRuns.push(await runPino(records));
  }
  const summarize = (runs: Result[]) => ({
    recordsPerSecond: Math.round(N / median(runs.map((r) => r.seconds))),
    bytesPerRecord: Math.round(median(runs.map((r) => r.bytes)) / N),
    callNs: Math.round(median(runs.map((r) => r.appendNs))),
    maxPending: Math.max(...runs.map((r) => r.maxPending)),
  });
  const s = summarize(store);
  const p = summarize(pinoRuns);
  console.log(
    `store writer vs pino.destination: ${N} records x ${ROUNDS} rounds (median), node ${process.version}`,
  );
  console.table({ 'error-insight JsonlStore': s, 'pino + pino.destination': p });
  console.log(
    `ratio store/pino: throughput ${(s.recordsPerSecond / p.recordsPerSecond).toFixed(2)}x, ` +
      `bytes/record ${(s.bytesPerRecord / p.bytesPerRecord).toFixed(2)}x, ` +
      `caller cost per record ${(s.callNs / p.callNs).toFixed(2)}x`,
  );
}

await main();
