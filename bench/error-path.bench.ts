/**
 * The error path through the public API, against pino in the same run (rows 1–3 and 9 of
 * docs/performance.md, and the floors):
 * - a fresh `new Error('boom ' + i)` per call: `logger.logStructuredError(e, ctx)` against
 *   `pino.error({ err: e, ...ctx }, msg)` to an async `pino.destination` file;
 * - the same over 10,000 distinct fingerprints (letters-only tokens, in the message and as the
 *   error's code, which the fingerprint keeps);
 * - a storm of 100,000 errors from one site: caller's time and bytes on disk per error;
 * - spans that record no error, with and without ErrorInsightSpanProcessor;
 * - the floors: `new Error()` alone and with its `stack` read.
 * The caller's time is summed over bursts of 200 calls with a `setImmediate` yield between, so
 * background work runs but is not counted; the total CPU (process.cpuUsage, all threads) runs
 * from the first call until everything is on disk, so deferred work is counted there.
 * Build first; `node --expose-gc dist/bench/error-path.bench.js`.
 */
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { ErrorInsightSpanProcessor, ExportLogger } from '../src/index.js';
import {
  dirBytes,
  envInt,
  letterToken,
  median,
  nsPerOp,
  reportRow,
  tempDir,
  timedBursts,
} from './bench-helpers.js';

const N = envInt('BENCH_PATH_ERRORS', 20_000, 3_000);
const N_FP = envInt('BENCH_FP_ERRORS', 30_000, 10_000);
const FINGERPRINTS = 10_000;
const N_STORM = envInt('BENCH_STORM_ERRORS', 100_000, 10_000);
const ROUNDS = envInt('BENCH_ROUNDS', 5, 2);
const STORM_ROUNDS = envInt('BENCH_STORM_ROUNDS', 3, 1);
const BURST = 200;

type MakeError = (i: number) => Error;
type Ctx = (i: number) => Record<string, unknown> | undefined;

interface SideResult {
  /** Caller's time per error, ns. */
  callerNs: number;
  /** Total CPU per error from the first call until flushed, ns. */
  cpuNs: number;
  /** Bytes on disk per error. */
  bytes: number;
  uniqueErrors?: number;
}

const pathCtx: Ctx = (i) => ({
  phase: 'ENCODING',
  videoHash: 'v1',
  segment: i,
  codec: 'h264',
  attempt: (i % 3) + 1,
});

function cpuNsSince(start: NodeJS.CpuUsage, n: number): number {
  const d = process.cpuUsage(start);
  return ((d.user + d.system) * 1000) / n;
}

async function runOurs(n: number, make: MakeError, ctx: Ctx): Promise<SideResult> {
  const tmp = await tempDir('ours');
  const logger = new ExportLogger({ logFile: `${tmp.dir}/errors.jsonl`, warnOnStderr: false });
  const cpu0 = process.cpuUsage();
  const ms = await timedBursts(n, BURST, (i) => {
    const c = ctx(i);
    if (c === undefined) logger.logStructuredError(make(i));
    else logger.logStructuredError(make(i), c);
  });
  await logger.flush();
  const cpuNs = cpuNsSince(cpu0, n);
  const uniqueErrors = logger.getErrorStats().uniqueErrors;
  await logger.shutdown();
  const bytes = await dirBytes(tmp.dir);
  await tmp.remove();
  return { callerNs: (ms * 1e6) / n, cpuNs, bytes: bytes / n, uniqueErrors };
}

async function runPino(n: number, make: MakeError, ctx: Ctx): Promise<SideResult> {
  const tmp = await tempDir('pino');
  const dest = pino.destination({ dest: `${tmp.dir}/pino.log`, sync: false });
  await new Promise<void>((resolve) => dest.once('ready', () => resolve()));
  const log = pino(dest);
  const cpu0 = process.cpuUsage();
  const ms = await timedBursts(n, BURST, (i) => {
    const e = make(i);
    const c = ctx(i);
    if (c === undefined) log.error({ err: e }, e.message);
    else log.error({ err: e, ...c }, e.message);
  });
  await new Promise<void>((resolve, reject) => dest.flush((err) => (err ? reject(err) : resolve())));
  const cpuNs = cpuNsSince(cpu0, n);
  await new Promise<void>((resolve) => {
    dest.once('close', () => resolve());
    dest.end();
  });
  const bytes = await dirBytes(tmp.dir);
  await tmp.remove();
  return { callerNs: (ms * 1e6) / n, cpuNs, bytes: bytes / n };
}

async function compare(
  n: number,
  rounds: number,
  make: MakeError,
  ctx: Ctx,
): Promise<{ ours: SideResult[]; pino: SideResult[] }> {
  // One small warm-up of each side so neither pays the JIT in its first round.
  await runOurs(Math.min(n, 2000), make, ctx);
  await runPino(Math.min(n, 2000), make, ctx);
  const ours: SideResult[] = [];
  const peer: SideResult[] = [];
  for (let r = 0; r < rounds; r++) {
    ours.push(await runOurs(n, make, ctx));
    peer.push(await runPino(n, make, ctx));
  }
  return { ours, pino: peer };
}

const med = (xs: SideResult[], k: keyof SideResult): number => median(xs.map((x) => x[k] ?? Number.NaN));
const round1 = (xs: number[]): number[] => xs.map((x) => Math.round(x));

async function main(): Promise<void> {
  console.log(`node ${process.version}; bursts of ${BURST} with a setImmediate yield between`);

  // Floors: what any logger pays before it sees the error.
  const floorRuns = { bare: [] as number[], stack: [] as number[] };
  // The first rounds in a fresh process run two to three times slower (JIT, stack-trace
  // machinery warming up): one discarded round of each first.
  nsPerOp(N, (i) => new Error(`boom ${i}`));
  nsPerOp(N, (i) => new Error(`boom ${i}`).stack);
  for (let r = 0; r < ROUNDS; r++) {
    floorRuns.bare.push(nsPerOp(N, (i) => new Error(`boom ${i}`)));
    floorRuns.stack.push(nsPerOp(N, (i) => new Error(`boom ${i}`).stack));
  }
  reportRow({
    id: 'floor.new-error',
    label: "floor: new Error('boom ' + i)",
    unit: 'ns',
    ours: median(floorRuns.bare),
    n: N,
    rounds: ROUNDS,
    detail: { runs: round1(floorRuns.bare) },
  });
  reportRow({
    id: 'floor.new-error-stack',
    label: 'floor: the same with .stack read',
    unit: 'ns',
    ours: median(floorRuns.stack),
    n: N,
    rounds: ROUNDS,
    detail: { runs: round1(floorRuns.stack) },
  });

  // Row 1.
  console.log(`error path: ${ROUNDS} rounds × ${N} errors, median`);
  const boom: MakeError = (i) => new Error(`boom ${i}`);
  const p = await compare(N, ROUNDS, boom, pathCtx);
  const detail1 = {
    oursCallerNs: round1(p.ours.map((x) => x.callerNs)),
    pinoCallerNs: round1(p.pino.map((x) => x.callerNs)),
    oursCpuNs: round1(p.ours.map((x) => x.cpuNs)),
    pinoCpuNs: round1(p.pino.map((x) => x.cpuNs)),
    oursBytesPerError: Math.round(med(p.ours, 'bytes')),
    pinoBytesPerError: Math.round(med(p.pino, 'bytes')),
  };
  reportRow({
    id: 'error-path.caller',
    label: 'error path (caller)',
    unit: 'ns',
    ours: med(p.ours, 'callerNs'),
    peer: med(p.pino, 'callerNs'),
    peerName: 'pino',
    target: '≤ 1.00',
    ok: med(p.ours, 'callerNs') <= med(p.pino, 'callerNs'),
    n: N,
    rounds: ROUNDS,
    detail: detail1,
  });
  reportRow({
    id: 'error-path.cpu',
    label: 'error path (total CPU until on disk)',
    unit: 'ns',
    ours: med(p.ours, 'cpuNs'),
    peer: med(p.pino, 'cpuNs'),
    peerName: 'pino',
    target: '≤ 1.00',
    ok: med(p.ours, 'cpuNs') <= med(p.pino, 'cpuNs'),
    n: N,
    rounds: ROUNDS,
    detail: detail1,
  });

  // Row 2.
  console.log(`${FINGERPRINTS} fingerprints: ${ROUNDS} rounds × ${N_FP} errors, median`);
  // Fingerprint version 2 groups one line by its text, not its message: each token is also the
  // error's code, so the 10,000 groups stay 10,000.
  const stage: MakeError = (i) => {
    const token = letterToken(i % FINGERPRINTS);
    return Object.assign(new Error(`render failed in stage ${token}`), { code: `E_${token.toUpperCase()}` });
  };
  const f = await compare(N_FP, ROUNDS, stage, pathCtx);
  const unique = med(f.ours, 'uniqueErrors');
  console.log(`  getErrorStats().uniqueErrors = ${unique}`);
  const detail2 = {
    uniqueErrors: f.ours.map((x) => x.uniqueErrors),
    oursCallerNs: round1(f.ours.map((x) => x.callerNs)),
    pinoCallerNs: round1(f.pino.map((x) => x.callerNs)),
    oursCpuNs: round1(f.ours.map((x) => x.cpuNs)),
    pinoCpuNs: round1(f.pino.map((x) => x.cpuNs)),
  };
  reportRow({
    id: 'fingerprints-10k.caller',
    label: `${FINGERPRINTS / 1000}k fingerprints (caller)`,
    unit: 'ns',
    ours: med(f.ours, 'callerNs'),
    peer: med(f.pino, 'callerNs'),
    peerName: 'pino',
    target: '≤ 1.00',
    ok: med(f.ours, 'callerNs') <= med(f.pino, 'callerNs'),
    n: N_FP,
    rounds: ROUNDS,
    detail: detail2,
  });
  reportRow({
    id: 'fingerprints-10k.cpu',
    label: `${FINGERPRINTS / 1000}k fingerprints (total CPU)`,
    unit: 'ns',
    ours: med(f.ours, 'cpuNs'),
    peer: med(f.pino, 'cpuNs'),
    peerName: 'pino',
    target: '≤ 1.00',
    ok: med(f.ours, 'cpuNs') <= med(f.pino, 'cpuNs'),
    n: N_FP,
    rounds: ROUNDS,
    detail: detail2,
  });

  // Row 3.
  console.log(`storm: ${STORM_ROUNDS} rounds × ${N_STORM} errors from one site, median`);
  const storm: MakeError = () => new Error('retry 3 failed: connect ECONNREFUSED 127.0.0.1:9');
  const s = await compare(N_STORM, STORM_ROUNDS, storm, () => undefined);
  const detail3 = {
    oursCallerNs: round1(s.ours.map((x) => x.callerNs)),
    pinoCallerNs: round1(s.pino.map((x) => x.callerNs)),
    oursCpuNs: round1(s.ours.map((x) => x.cpuNs)),
    pinoCpuNs: round1(s.pino.map((x) => x.cpuNs)),
    oursBytes: s.ours.map((x) => Math.round(x.bytes)),
    pinoBytes: s.pino.map((x) => Math.round(x.bytes)),
    uniqueErrors: s.ours.map((x) => x.uniqueErrors),
  };
  for (const [id, label, key, target] of [
    ['storm.caller', 'storm (caller)', 'callerNs', 0.5],
    ['storm.cpu', 'storm (total CPU)', 'cpuNs', undefined],
    ['storm.bytes', 'storm (bytes on disk per error)', 'bytes', 0.2],
  ] as const) {
    const ours = med(s.ours, key);
    const peer = med(s.pino, key);
    reportRow({
      id,
      label,
      unit: key === 'bytes' ? 'B' : 'ns',
      ours,
      peer,
      peerName: 'pino',
      ...(target !== undefined ? { target: `≤ ${target.toFixed(2)}`, ok: ours / peer <= target } : {}),
      n: N_STORM,
      rounds: STORM_ROUNDS,
      detail: detail3,
    });
  }

  // Row 9: what the processor costs spans that record no error.
  const spans = envInt('BENCH_SPANS', 200_000, 50_000);
  const spanNs = (provider: BasicTracerProvider): number => {
    const tracer = provider.getTracer('bench');
    return nsPerOp(spans, () => tracer.startSpan('RENDERING').end());
  };
  spanNs(new BasicTracerProvider());
  spanNs(new BasicTracerProvider({ spanProcessors: [new ErrorInsightSpanProcessor()] }));
  const bare: number[] = [];
  const withProcessor: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    bare.push(spanNs(new BasicTracerProvider()));
    withProcessor.push(
      spanNs(new BasicTracerProvider({ spanProcessors: [new ErrorInsightSpanProcessor()] })),
    );
  }
  const [b, w] = [median(bare), median(withProcessor)];
  reportRow({
    id: 'spans-no-error',
    label: 'span start+end, no error',
    unit: 'ns',
    ours: w,
    peer: b,
    peerName: 'bare',
    target: '≤ bare + 30 ns',
    ok: w - b <= 30,
    n: spans,
    rounds: ROUNDS,
    detail: { extraNs: Math.round(w - b), bareNs: round1(bare), withProcessorNs: round1(withProcessor) },
  });
}

await main();
