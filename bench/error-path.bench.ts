/**
 * The error path end to end — `logStructuredError` with capture, classification, fingerprint,
 * memory, resources and the store append — beside pino logging the same error with its context to
 * `pino.destination`, and bare OpenTelemetry `span.recordException` on a recording span, in the same
 * run. Reports ns per error, bytes per error on disk, and the ratios; then an error storm with the
 * event-loop delay it caused. Build first; `node dist/bench/error-path.bench.js`.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { context, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { ExportLogger } from '../src/logger/export-logger.js';
import { ErrorInsightSpanProcessor } from '../src/processor/error-insight-span-processor.js';
import { median } from './bench-helpers.js';

const N = Number(process.env.BENCH_PATH_ERRORS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BURST = 200;

function makeErrors(n: number): Error[] {
  const out: Error[] = [];
  for (let i = 0; i < n; i++) {
    const e = new Error(
      `ENOENT: no such file or directory, open '/data/clips/${i % 50}/segment-${i}.ts'`,
    ) as Error & {
      code?: string;
    };
    e.code = 'ENOENT';
    out.push(e);
  }
  return out;
}

const ctx = (i: number) => ({ segment: i, codec: 'h264', bitrate: '4500k', attempt: (i % 3) + 1 });

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const f of await readdir(dir, { recursive: true })) {
    const s = await stat(join(dir, f));
    if (s.isFile()) total += s.size;
  }
  return total;
}

async function timed(errors: Error[], call: (e: Error, i: number) => void): Promise<number> {
  let ms = 0;
  for (let i = 0; i < errors.length; i += BURST) {
    const t = performance.now();
    for (let j = i; j < Math.min(i + BURST, errors.length); j++) call(errors[j]!, j);
    ms += performance.now() - t;
    await yieldToLoop();
  }
  return ms;
}

async function runInsight(errors: Error[]): Promise<{ ns: number; bytes: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'ei-bench-'));
  const logger = new ExportLogger({
    logFile: join(dir, 'errors.jsonl'),
    warnOnStderr: false,
    maxLogs: 1_000_000,
  });
  const ms = await timed(errors, (e, i) =>
    logger.logStructuredError(e, ctx(i), { phase: 'ENCODING', videoHash: 'v1' }),
  );
  await logger.shutdown();
  const bytes = await dirBytes(dir);
  await rm(dir, { recursive: true, force: true });
  return { ns: (ms * 1e6) / errors.length, bytes: bytes / errors.length };
}

async function runPino(errors: Error[]): Promise<{ ns: number; bytes: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'pino-bench-'));
  const dest = pino.destination({ dest: join(dir, 'pino.log'), sync: false, minLength: 4096 });
  const log = pino({ base: { pid: process.pid, hostname: 'render-07' } }, dest);
  const ms = await timed(errors, (e, i) =>
    log.error({ err: e, phase: 'ENCODING', videoHash: 'v1', ...ctx(i) }, e.message),
  );
  await new Promise<void>((r) => dest.flush(() => r()));
  dest.end();
  const bytes = await dirBytes(dir);
  await rm(dir, { recursive: true, force: true });
  return { ns: (ms * 1e6) / errors.length, bytes: bytes / errors.length };
}

async function runOtel(errors: Error[]): Promise<{ ns: number }> {
  const provider = new BasicTracerProvider();
  const tracer = provider.getTracer('bench');
  let span = tracer.startSpan('ENCODING');
  let n = 0;
  const ms = await timed(errors, (e) => {
    // A fresh span every 100 errors, as phases would have; the limit of 128 events is never hit.
    if (++n % 100 === 0) {
      span.end();
      span = tracer.startSpan('ENCODING');
    }
    context.with(trace.setSpan(context.active(), span), () => span.recordException(e));
  });
  span.end();
  await provider.shutdown();
  return { ns: (ms * 1e6) / errors.length };
}

async function main(): Promise<void> {
  console.log(`error path, ${ROUNDS} rounds × ${N} errors (median), node ${process.version}`);
  const ins: number[] = [];
  const pin: number[] = [];
  const ot: number[] = [];
  let insBytes = 0;
  let pinBytes = 0;
  await runInsight(makeErrors(2000));
  await runPino(makeErrors(2000));
  for (let r = 0; r < ROUNDS; r++) {
    const a = await runInsight(makeErrors(N));
    const b = await runPino(makeErrors(N));
    const c = await runOtel(makeErrors(N));
    ins.push(a.ns);
    pin.push(b.ns);
    ot.push(c.ns);
    insBytes = a.bytes;
    pinBytes = b.bytes;
  }
  const [i, p, o] = [median(ins), median(pin), median(ot)];
  console.log(
    `  error-insight logStructuredError: ${i.toFixed(0)} ns/error, ${insBytes.toFixed(0)} bytes/error`,
  );
  console.log(
    `  pino.error({ err, ...context }): ${p.toFixed(0)} ns/error, ${pinBytes.toFixed(0)} bytes/error`,
  );
  console.log(`  OpenTelemetry span.recordException: ${o.toFixed(0)} ns/error (no record kept anywhere)`);
  console.log(
    `  ratio time error-insight/pino = ${(i / p).toFixed(2)}, bytes = ${(insBytes / pinBytes).toFixed(2)}`,
  );
  console.log(`  ratio time error-insight/recordException = ${(i / o).toFixed(2)}`);

  // What the processor costs spans that record no error: onStart's interceptor and onEnding's scan.
  const spans = 200_000;
  const spanNs = (provider: BasicTracerProvider): number => {
    const tracer = provider.getTracer('bench');
    const t = performance.now();
    for (let i = 0; i < spans; i++) tracer.startSpan('RENDERING').end();
    return ((performance.now() - t) * 1e6) / spans;
  };
  const bareRuns: number[] = [];
  const withRuns: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    bareRuns.push(spanNs(new BasicTracerProvider()));
    withRuns.push(spanNs(new BasicTracerProvider({ spanProcessors: [new ErrorInsightSpanProcessor()] })));
  }
  const [bare, withProcessor] = [median(bareRuns), median(withRuns)];
  console.log(
    `span start+end without errors: bare ${bare.toFixed(0)} ns, with ErrorInsightSpanProcessor ` +
      `${withProcessor.toFixed(0)} ns, ratio ${(withProcessor / bare).toFixed(2)}`,
  );

  const storm = makeErrors(100_000).map(() => new Error('retry 3 failed: connect ECONNREFUSED 127.0.0.1:9'));
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const s = await runInsight(storm);
  h.disable();
  console.log(
    `storm of 100k identical errors: ${s.ns.toFixed(0)} ns/error, ${s.bytes.toFixed(0)} bytes/error, ` +
      `event-loop delay p99 ${(h.percentile(99) / 1e6).toFixed(2)} ms, max ${(h.max / 1e6).toFixed(2)} ms`,
  );
}

await main();
