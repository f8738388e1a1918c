/**
 * Report generation over a generated store of BENCH_RECORDS records (default 1,000,000),
 * against its peer in the same run: only reading the same files line by line and
 * `JSON.parse`-ing each line. Each measurement runs in its own process so its peak RSS is its
 * own. Build first (`npx tsc -p tsconfig.json`), then `node dist/bench/report.bench.js`.
 * The store goes to the OS temp directory and is removed at the end.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ErrorRecord } from '../src/record.js';
import { generateReport, type ReportFormat } from '../src/report/generate-report.js';
import { listStoreFiles } from '../src/store/read-store.js';
import { formatStoreFileName } from '../src/store/store-file-name.js';

const N = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const PER_FILE = 100_000;
const PHASES = ['PREPARATION', 'VALIDATION', 'RENDERING', 'ENCODING', 'MUXING', 'UPLOADING'];
const CATEGORIES = ['ffmpeg', 'io', 'network', 'memory', 'validation', 'programming'];

function makeRecord(i: number): ErrorRecord {
  const fp = (i * 7919) % 200;
  const phase = PHASES[fp % PHASES.length] as string;
  return {
    schema: 1,
    id: `0193a1b2c3d4-${i.toString(36).padStart(8, '0')}`,
    time: new Date(1_764_000_000_000 + Math.floor((i / N) * 7 * 86_400_000)).toISOString(),
    service: { name: 'clips-exporter', version: '1.4.2' },
    process: { pid: 4000 + (i % 8), hostname: `render-0${i % 8}` },
    source: 'api',
    exception: {
      type: fp % 5 === 0 ? 'TypeError' : 'Error',
      message: `ffmpeg exited with code ${fp % 9} while encoding segment ${i % 40} of video ${(i % 5000).toString(16)} 编码失败`,
      stacktrace:
        'Error: ffmpeg exited with code 1\n    at ChildProcess.<anonymous> (/app/dist/encode.js:88:19)\n' +
        '    at ChildProcess.emit (node:events:519:28)\n    at maybeClose (node:internal/child_process:1105:16)',
      code: 'FFMPEG_EXIT',
    },
    fingerprint: `e3b0c44298fc1c14${fp.toString(16).padStart(4, '0')}`,
    fingerprintVersion: '1',
    messageTemplate: `ffmpeg exited with code <num> while encoding segment <num> of video <hex> 编码失败 #${fp}`,
    occurrence: 1 + (i % 1000),
    classification: {
      category: CATEGORIES[fp % CATEGORIES.length] as string,
      severity: 'high',
      retryable: true,
      suggestion: '检查编码参数 / check the encoder settings',
      rule: 'ffmpeg-exit',
    },
    phase,
    videoHash: `9f86d081${(i % 5000).toString(16).padStart(6, '0')}`,
    context: { segment: i % 40, attempt: 1 + (i % 3), phaseElapsedMs: (i % 600) * 100, codec: 'libx264' },
    memory: {
      heapUsed: 50_000_000 + (i % 1000) * 10_000,
      heapTotal: 90_000_000,
      heapLimit: 4_345_298_944,
      heapUsedRatio: 0.0115 + (i % 100) / 1000,
      rss: 180_000_000,
    },
    resources: {
      at: 1_764_000_000_000,
      degraded: false,
      systemCpuUtilization: 0.62,
      loadAverage: [1.2, 1.1, 0.9],
      memory: { total: 25_000_000_000, used: 9_000_000_000, available: 16_000_000_000, free: 12_000_000_000 },
      volumes: [
        {
          path: '/tmp',
          total: 270_000_000_000,
          available: 84_000_000_000,
          free: 90_000_000_000,
          at: 1_764_000_000_000,
        },
      ],
    },
    trace: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' },
  };
}

async function generateStore(dir: string): Promise<number> {
  let bytes = 0;
  for (let start = 0, seq = 1; start < N; start += PER_FILE, seq++) {
    const name = formatStoreFileName('errors', 1_764_000_000_000 + seq, 999_999, 'benchrun', seq);
    const out = createWriteStream(path.join(dir, name));
    let chunk = '';
    for (let i = start; i < Math.min(N, start + PER_FILE); i++) {
      chunk += `${JSON.stringify(makeRecord(i))}\n`;
      if (chunk.length > 1 << 20) {
        bytes += Buffer.byteLength(chunk);
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    bytes += Buffer.byteLength(chunk);
    out.end(chunk);
    await once(out, 'close');
  }
  return bytes;
}

interface Measurement {
  records: number;
  ms: number;
  maxRssMiB: number;
}

/** The peer: read every line of the same files and JSON.parse it, nothing else. */
async function parseOnly(dir: string): Promise<number> {
  let records = 0;
  for (const file of await listStoreFiles(dir)) {
    const lines = createInterface({
      input: createReadStream(file, { encoding: 'utf8' }),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) {
      if (line.length === 0) continue;
      const record = JSON.parse(line) as ErrorRecord;
      if (record.id) records++;
    }
  }
  return records;
}

async function worker(kind: string, dir: string): Promise<void> {
  const t = performance.now();
  let records: number;
  if (kind === 'parse') records = await parseOnly(dir);
  else {
    // `json-no-patterns`: the aggregation alone, without the replayed pattern detector.
    const format = kind.replace('-no-patterns', '') as ReportFormat;
    const out = path.join(dir, `..${path.basename(dir)}-report.${format}`);
    await generateReport({
      source: { store: dir },
      format,
      outputFile: out,
      progress: false,
      ...(kind.endsWith('-no-patterns') ? { patterns: false as const } : {}),
    });
    records = N;
    await rm(out, { force: true });
  }
  const ms = performance.now() - t;
  const m: Measurement = { records, ms, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(`${JSON.stringify(m)}\n`);
}

function measure(kind: string, dir: string): Measurement {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--worker', kind, dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`${kind} worker failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Measurement;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'error-insight-report-bench-'));
  try {
    const t = performance.now();
    const bytes = await generateStore(dir);
    const files = (await listStoreFiles(dir)).length;
    console.log(
      `store: ${N.toLocaleString('en-US')} records, ${files} files, ${(bytes / 1024 ** 2).toFixed(0)} MiB, generated in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    measure('parse', dir); // warms the page cache so both sides read from memory
    const rows: [string, Measurement][] = [];
    for (const kind of ['parse', 'json', 'json-no-patterns', 'html', 'csv', 'jsonl', 'parse'])
      rows.push([kind, measure(kind, dir)]);
    const parses = rows.filter(([k]) => k === 'parse').map(([, m]) => m.records / (m.ms / 1000));
    const peer = parses.reduce((a, b) => a + b, 0) / parses.length;
    console.log('what                               records/s   peak RSS   vs read+parse');
    for (const [kind, m] of rows) {
      const rate = m.records / (m.ms / 1000);
      const label = kind === 'parse' ? 'read + JSON.parse only' : `report --format ${kind}`;
      console.log(
        `${label.padEnd(34)} ${Math.round(rate).toLocaleString('en-US').padStart(10)}  ${m.maxRssMiB.toFixed(0).padStart(6)} MiB   ${(rate / peer).toFixed(2)}×`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await stat(dir).catch(() => undefined);
  }
}

if (process.argv[2] === '--worker') await worker(process.argv[3] as string, process.argv[4] as string);
else await main();
