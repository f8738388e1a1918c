/**
 * A store of BENCH_REPORT_RECORDS (1,000,000) records over 10,000 fingerprints, written by the
 * library itself (rows 7 and 10 of docs/performance.md):
 * - engine heap: a child feeds the errors through `logStructuredError` (store on, in a temp dir)
 *   in batches with awaits, flushes, runs `global.gc()` and reports heapUsed and RSS (no peer;
 *   targets heap ≤ 64 MiB, RSS ≤ 128 MiB);
 * - `error-insight report` over that store, html and json, each in its own child: wall time and
 *   peak RSS, against reading the same files with readline and `JSON.parse`-ing every line.
 * Peak RSS comes from max-rss-probe (`node --import`). The temp store is removed at the end.
 * Build first; `node --expose-gc dist/bench/report.bench.js`.
 */
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  dirBytes,
  envInt,
  letterToken,
  maxRssMiBFrom,
  median,
  reportRow,
  runChild,
  tempDir,
} from './bench-helpers.js';

const N = envInt('BENCH_REPORT_RECORDS', 1_000_000, 50_000);
const RUNS = envInt('BENCH_REPORT_RUNS', 1, 1);
const FINGERPRINTS = 10_000;
const BATCH = 1000;
const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'src', 'cli', 'main.js');
const probe = join(here, 'max-rss-probe.js');
const millions = N >= 1e6 ? `${N / 1e6}M` : `${N / 1e3}k`;
const PHASES = ['PREPARATION', 'VALIDATION', 'RENDERING', 'ENCODING', 'MUXING', 'UPLOADING'];

interface GenerateFigures {
  records: number;
  uniqueErrors: number;
  heapUsedMiB: number;
  rssMiB: number;
  seconds: number;
}

async function generate(dir: string): Promise<void> {
  const { ExportLogger } = await import('../src/index.js');
  const logger = new ExportLogger({
    store: { logFile: join(dir, 'errors.jsonl'), maxLogs: 100_000, maxTotalBytes: 0, retentionDays: 0 },
    warnOnStderr: false,
    // Version 2 groups by the throwing line, which is one here: version 1 hashes the message
    // template, so the 10,000 messages stay 10,000 groups.
    fingerprintVersion: '1',
  });
  const t = performance.now();
  for (let start = 0; start < N; start += BATCH) {
    for (let i = start; i < Math.min(N, start + BATCH); i++) {
      const fp = i % FINGERPRINTS;
      logger.logStructuredError(
        new Error(`render failed in stage ${letterToken(fp)}`),
        { segment: i % 40, attempt: 1 + (i % 3), codec: 'libx264' },
        { phase: PHASES[fp % PHASES.length] as string, videoHash: `9f86d081${(i % 5000).toString(16)}` },
      );
    }
    // Waiting for the store now and then keeps its bounded queue from dropping records.
    if ((start / BATCH) % 10 === 9) await logger.flush();
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await logger.flush();
  const stats = logger.getErrorStats();
  global.gc?.();
  global.gc?.();
  const mem = process.memoryUsage();
  const figures: GenerateFigures = {
    records: stats.totalErrors,
    uniqueErrors: stats.uniqueErrors,
    heapUsedMiB: mem.heapUsed / 1024 ** 2,
    rssMiB: mem.rss / 1024 ** 2,
    seconds: (performance.now() - t) / 1000,
  };
  await logger.shutdown();
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** The peer: read every line of the same files and JSON.parse it, nothing else. */
async function parseOnly(dir: string): Promise<void> {
  const { listStoreFiles } = await import('../src/index.js');
  let records = 0;
  for (const file of await listStoreFiles(dir)) {
    const lines = createInterface({
      input: createReadStream(file, { encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (line.length === 0) continue;
      const record = JSON.parse(line) as { id?: string };
      if (record.id !== undefined) records++;
    }
  }
  process.stdout.write(`${JSON.stringify({ records })}\n`);
}

interface Measured {
  seconds: number;
  maxRssMiB: number;
}

async function measure(kind: 'parse' | 'json' | 'html', dir: string, out: string): Promise<Measured> {
  const args =
    kind === 'parse'
      ? ['--import', probe, fileURLToPath(import.meta.url), '--parse', dir]
      : ['--import', probe, cli, 'report', '--store', dir, '--format', kind, '--out', out, '--no-progress'];
  const res = await runChild<unknown>(args, { timeoutMs: 30 * 60_000 });
  if (res.code !== 0)
    throw new Error(`${kind} failed (${res.code ?? res.signal}): ${res.stderr.slice(-2000)}`);
  if (kind !== 'parse') await rm(out, { force: true });
  return { seconds: res.wallMs / 1000, maxRssMiB: maxRssMiBFrom(res.stderr) ?? Number.NaN };
}

async function main(): Promise<void> {
  const tmp = await tempDir('report');
  const storeDir = join(tmp.dir, 'store');
  try {
    console.log(
      `store of ${N.toLocaleString('en-US')} errors over ${FINGERPRINTS} fingerprints, written by ExportLogger`,
    );
    const gen = await runChild<GenerateFigures>(
      ['--expose-gc', fileURLToPath(import.meta.url), '--generate', storeDir],
      { timeoutMs: 60 * 60_000 },
    );
    if (gen.result === undefined) throw new Error(`generator failed: ${gen.stderr.slice(-2000)}`);
    const g = gen.result;
    const bytes = await dirBytes(storeDir);
    console.log(
      `  ${g.records} records, ${g.uniqueErrors} unique, ${(bytes / 1024 ** 2).toFixed(0)} MiB on disk, in ${g.seconds.toFixed(1)} s`,
    );
    reportRow({
      id: 'heap.heap-used',
      label: `engine after ${millions} errors (heapUsed)`,
      unit: 'MiB',
      ours: g.heapUsedMiB,
      target: '≤ 64 MiB',
      ok: g.heapUsedMiB <= 64,
      n: N,
      rounds: 1,
      detail: { uniqueErrors: g.uniqueErrors, records: g.records },
    });
    reportRow({
      id: 'heap.rss',
      label: `engine after ${millions} errors (RSS)`,
      unit: 'MiB',
      ours: g.rssMiB,
      target: '≤ 128 MiB',
      ok: g.rssMiB <= 128,
      n: N,
      rounds: 1,
      detail: { uniqueErrors: g.uniqueErrors, records: g.records },
    });

    const out = (f: string) => join(tmp.dir, `report.${f}`);
    await measure('parse', storeDir, ''); // warms the page cache so every side reads from memory
    const runs: Record<'parse' | 'json' | 'html', Measured[]> = { parse: [], json: [], html: [] };
    for (let r = 0; r < RUNS; r++) {
      for (const kind of ['parse', 'json', 'html'] as const) {
        const m = await measure(kind, storeDir, out(kind));
        runs[kind].push(m);
        console.log(`  ${kind.padEnd(5)} ${m.seconds.toFixed(1)} s, peak RSS ${m.maxRssMiB.toFixed(0)} MiB`);
      }
    }
    const med = (k: 'parse' | 'json' | 'html', f: keyof Measured) => median(runs[k].map((x) => x[f]));
    for (const kind of ['html', 'json'] as const) {
      reportRow({
        id: `report.${kind}.time`,
        label: `report --format ${kind} (time)`,
        unit: 's',
        ours: med(kind, 'seconds'),
        peer: med('parse', 'seconds'),
        peerName: 'readline+parse',
        target: '≤ 1.00',
        ok: med(kind, 'seconds') <= med('parse', 'seconds'),
        n: g.records,
        rounds: RUNS,
        detail: { runs: runs[kind], parseRuns: runs.parse, storeMiB: Math.round(bytes / 1024 ** 2) },
      });
      reportRow({
        id: `report.${kind}.rss`,
        label: `report --format ${kind} (peak RSS)`,
        unit: 'MiB',
        ours: med(kind, 'maxRssMiB'),
        peer: med('parse', 'maxRssMiB'),
        peerName: 'readline+parse',
        target: '≤ 200 MiB',
        ok: med(kind, 'maxRssMiB') <= 200,
        n: g.records,
        rounds: RUNS,
      });
    }
  } finally {
    await tmp.remove();
    await stat(tmp.dir).then(
      () => console.log(`  (could not remove ${tmp.dir})`),
      () => undefined,
    );
  }
}

if (process.argv[2] === '--generate') await generate(process.argv[3] as string);
else if (process.argv[2] === '--parse') await parseOnly(process.argv[3] as string);
else await main();
