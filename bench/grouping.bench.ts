/**
 * Benchmark of grouping (not a test: it prints figures, it asserts nothing).
 *
 *   npx tsc -p tsconfig.json && node --expose-gc dist/bench/grouping.bench.js
 *
 * 1. Fingerprint cost per error next to the cost of the error itself (`new Error()` and reading
 *    its `stack`), interleaved in the same run, medians over rounds.
 * 2. Heap held by the grouping state (aggregator with its template miner, pattern detector,
 *    flood guard) after 1,000,000 errors over 10,000 fingerprints, against the documented bound.
 * 3. normalizeMessage on adversarial inputs of growing length: time per character stays flat
 *    (linear time), and the input bound caps the cost.
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ErrorAggregator } from '../src/grouping/error-aggregator.js';
import { fingerprintException } from '../src/grouping/fingerprint.js';
import { FloodGuard } from '../src/grouping/flood-guard.js';
import { normalizeMessage } from '../src/grouping/message-template.js';
import { PatternDetector } from '../src/grouping/pattern-detector.js';
import { parseStackFrames } from '../src/grouping/stack-frames.js';
import type { ErrorRecord, ExceptionInfo } from '../src/record.js';
import { median, nsPerOp } from './bench-helpers.js';

/** The bound docs/grouping.md promises for 10,000 fingerprints with default options. */
const HEAP_BOUND_MB = 96;
const ERRORS = Number(process.env.BENCH_ERRORS ?? 1_000_000);
const FINGERPRINTS = Number(process.env.BENCH_FINGERPRINTS ?? 10_000);
const ROUNDS = 11;
const PER_ROUND = 5_000;

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g !== undefined) {
    g();
    g();
    return;
  }
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function compare(variants: Record<string, (i: number) => unknown>): Record<string, number> {
  const names = Object.keys(variants);
  const out: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) nsPerOp(PER_ROUND, variants[n]!);
  for (let r = 0; r < ROUNDS; r++) {
    for (const n of r % 2 === 0 ? names : [...names].reverse())
      out[n]!.push(nsPerOp(PER_ROUND, variants[n]!));
  }
  return Object.fromEntries(names.map((n) => [n, median(out[n]!)]));
}

// ---- 1. fingerprint cost next to the error's own cost ----------------------------------------

function renderFrame(i: number): Error {
  return new Error(
    `frame ${i} missing at 00:00:${String(i % 60).padStart(2, '0')}.12 in /tmp/job-${i}/seg.ts`,
  );
}

function encodeSegment(i: number): Error {
  return renderFrame(i);
}

function runPipeline(i: number): Error {
  return encodeSegment(i);
}

const projectRoot = process.cwd();
const samples: ExceptionInfo[] = Array.from({ length: 1000 }, (_, i) => {
  const e = runPipeline(i);
  return { type: 'Error', message: e.message, stacktrace: e.stack ?? '' };
});

const cost = compare({
  'new Error()': (i) => runPipeline(i),
  'new Error() + .stack': (i) => runPipeline(i).stack,
  normalizeMessage: (i) => normalizeMessage(samples[i % 1000]!.message),
  parseStackFrames: (i) => parseStackFrames(samples[i % 1000]!.stacktrace!, projectRoot),
  fingerprintException: (i) => fingerprintException(samples[i % 1000]!, { projectRoot }),
});
const base = cost['new Error() + .stack']!;
console.log('1. cost per error (median of rounds, ns):');
for (const [name, ns] of Object.entries(cost)) {
  console.log(
    `   ${name.padEnd(22)} ${ns.toFixed(0).padStart(7)} ns   ${(ns / base).toFixed(2)}× new Error()+.stack`,
  );
}

// ---- 2. heap under 1,000,000 errors over 10,000 fingerprints --------------------------------

const PHASES = ['PREPARATION', 'VALIDATION', 'RENDERING', 'ENCODING', 'MUXING', 'UPLOADING'];
const STACK_TAIL = [
  '    at renderFrame (/srv/app/src/render.ts:10:5)',
  '    at encodeSegment (/srv/app/src/encode.ts:22:7)',
  '    at runPipeline (/srv/app/src/pipeline.ts:3:1)',
  '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
].join('\n');

function record(i: number, now: number): ErrorRecord {
  const fp = i % FINGERPRINTS;
  const message = `frame ${i} failed in group ${fp}`;
  return {
    schema: 1,
    id: `r-${i}`,
    time: new Date(now).toISOString(),
    service: { name: 'bench' },
    process: { pid: 4242, hostname: 'bench-host' },
    source: 'api',
    exception: { type: 'Error', message, stacktrace: `Error: ${message}\n${STACK_TAIL}` },
    fingerprint: fp.toString(16).padStart(16, '0'),
    fingerprintVersion: '1',
    messageTemplate: `frame <frame> failed in group <num> kind${fp % 97}`,
    occurrence: 0,
    classification: {
      category: 'encoding',
      severity: 'high',
      retryable: false,
      suggestion: 'check',
      rule: 'r',
    },
    phase: PHASES[i % PHASES.length]!,
    videoHash: `v${(i * 7919) % 50_000}`,
    context: { attempt: i % 5, preset: 'h264-1080p', params: { crf: 23, width: 1920, height: 1080 } },
    memory: { heapUsed: 1e8, heapTotal: 2e8, heapLimit: 4e9, heapUsedRatio: 0.025 + (i % 10) / 1000 },
    resources: { 'system.cpu.utilization': 0.4, volumes: [{ 'system.filesystem.utilization': 0.5 }] },
  };
}

gc();
const before = process.memoryUsage().heapUsed;
let t = Date.UTC(2026, 10, 28);
const clock = () => t;
const aggregator = new ErrorAggregator();
const detector = new PatternDetector({ now: clock });
const guard = new FloodGuard();
let warnings = 0;
let admitted = 0;
let totalNs = 0;
const CHUNK = 10_000;
for (let start = 0; start < ERRORS; start += CHUNK) {
  // Records are built outside the timed loop, a chunk at a time, as the engine hands them over.
  const chunk: ErrorRecord[] = [];
  for (let i = start; i < Math.min(start + CHUNK, ERRORS); i++) chunk.push(record(i, t + (i - start)));
  const t0 = process.hrtime.bigint();
  for (const r of chunk) {
    t += 1; // 1,000 errors a second
    r.occurrence = aggregator.observe(r);
    warnings += detector.observe(r).length;
    if (guard.admit(r.fingerprint, t)) admitted++;
  }
  totalNs += Number(process.hrtime.bigint() - t0);
}
gc();
const held = process.memoryUsage().heapUsed - before;
const stats = aggregator.stats();
console.log(
  `2. ${ERRORS.toLocaleString('en')} errors over ${FINGERPRINTS.toLocaleString('en')} fingerprints:`,
);
console.log(`   heap held by aggregator + detector + flood guard: ${(held / 2 ** 20).toFixed(1)} MiB`);
console.log(
  `   per fingerprint: ${(held / FINGERPRINTS / 1024).toFixed(2)} KiB; documented bound ${HEAP_BOUND_MB} MiB: ${held < HEAP_BOUND_MB * 2 ** 20 ? 'within' : 'EXCEEDED'}`,
);
console.log(
  `   aggregator.observe + detector.observe + guard.admit: ${(totalNs / ERRORS).toFixed(0)} ns per error`,
);
console.log(
  `   unique ${stats.uniqueErrors}, evicted ${stats.evicted}, warnings ${warnings}, stored by the guard ${admitted}, folded ${guard.foldedTotal}`,
);
// Keep everything alive until measured.
if (stats.totalErrors !== ERRORS || detector.options === undefined) console.log('unexpected');

// ---- 3. linear time on adversarial inputs ------------------------------------------------------

const adversarial: Record<string, (n: number) => string> = {
  'digits run': (n) => '1'.repeat(n),
  'word run': (n) => 'a'.repeat(n),
  'unclosed quotes': (n) => "'a".repeat(n / 2),
  'slashes and dots': (n) => 'a/.'.repeat(n / 3),
  'colons and hex': (n) => 'a1:'.repeat(n / 3),
  'at signs': (n) => 'a.b@'.repeat(n / 4),
};
console.log('3. normalizeMessage, ns per input character (flat = linear):');
for (const [name, make] of Object.entries(adversarial)) {
  const row: string[] = [];
  for (const n of [128, 256, 512, 1024, 8192]) {
    const s = make(n);
    const ns = median(Array.from({ length: 5 }, () => nsPerOp(200, () => normalizeMessage(s))));
    row.push(`${n}: ${(ns / n).toFixed(1)}`);
  }
  console.log(`   ${name.padEnd(17)} ${row.join('  ')}`);
}
