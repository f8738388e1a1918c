/**
 * Event-loop stalls and collector bytes in an error storm with OTLP on (rows 4 and 5 of
 * docs/performance.md). A storm of BENCH_STORM_SECONDS (10) at 2,000 errors/s, paced by a
 * timer (20 errors every 10 ms), each error recorded inside a span:
 * `tracer.startActiveSpan('RENDERING', span => { span.recordException(err); span.end() })`,
 * exported to a node:http sink on 127.0.0.1 that reads and counts every body byte. Three
 * configurations, each in its own child process, interleaved for BENCH_STALL_RUNS (3) runs:
 * - ours: `registerErrorInstrumentation({ serviceName, otlp: { endpoint } })`;
 * - stock: NodeTracerProvider + BatchSpanProcessor + OTLPTraceExporter (OTLP/HTTP protobuf, the SDK default, as ours);
 * - idle: the same timer and histogram, no errors.
 * `monitorEventLoopDelay({ resolution: 1 })` gives the max and p99 during the storm.
 * Build first; `node dist/bench/otlp-storm.bench.js`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { envInt, median, reportRow, runChild, startOtlpSink, tempDir } from './bench-helpers.js';

const SECONDS = envInt('BENCH_STORM_SECONDS', 10, 3);
const RUNS = envInt('BENCH_STALL_RUNS', 3, 1);
const PER_TICK = 20;
const TICK_MS = 10;
const WARMUP = 200;

type Config = 'ours' | 'stock' | 'idle';

interface ChildFigures {
  config: Config;
  errors: number;
  maxMs: number;
  p99Ms: number;
  meanMs: number;
  /** Wall time of flushing and shutting down after the storm. */
  shutdownMs: number;
}

async function child(config: Config, port: number, storeDir: string): Promise<void> {
  const endpoint = `http://127.0.0.1:${port}`;
  let startSpan: (name: string, fn: (span: { recordException(e: Error): void; end(): void }) => void) => void;
  let stop: () => Promise<void>;
  if (config === 'ours') {
    const { registerErrorInstrumentation } = await import('../src/index.js');
    const insight = registerErrorInstrumentation({
      serviceName: 'bench-storm',
      logFile: `${storeDir}/errors.jsonl`,
      warnOnStderr: false,
      otlp: { endpoint },
    });
    startSpan = (name, fn) => insight.tracer.startActiveSpan(name, fn);
    stop = () => insight.shutdown();
  } else if (config === 'stock') {
    const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
    const { BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
    const { resourceFromAttributes } = await import('@opentelemetry/resources');
    const provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'bench-storm' }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }))],
    });
    provider.register();
    const tracer = provider.getTracer('bench');
    startSpan = (name, fn) => tracer.startActiveSpan(name, fn);
    stop = () => provider.shutdown();
  } else {
    startSpan = () => undefined;
    stop = async () => undefined;
  }
  // A warm-up outside the histogram, so module loading and JIT are not the storm's stall; its
  // spans are sent too and count in the bytes per error.
  for (let i = 0; i < WARMUP; i++)
    startSpan('RENDERING', (span) => {
      span.recordException(new Error(`encode failed for segment ${i}`));
      span.end();
    });
  await new Promise((resolve) => setTimeout(resolve, 300));

  const h = monitorEventLoopDelay({ resolution: 1 });
  let errors = 0;
  const ticks = (SECONDS * 1000) / TICK_MS;
  h.enable();
  await new Promise<void>((resolve) => {
    let tick = 0;
    const timer = setInterval(() => {
      if (config !== 'idle') {
        for (let k = 0; k < PER_TICK; k++) {
          const err = new Error(`encode failed for segment ${errors}`);
          startSpan('RENDERING', (span) => {
            span.recordException(err);
            span.end();
          });
          errors++;
        }
      }
      if (++tick >= ticks) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  h.disable();
  const t = performance.now();
  await stop().catch(() => undefined);
  const figures: ChildFigures = {
    config,
    errors,
    maxMs: h.max / 1e6,
    p99Ms: h.percentile(99) / 1e6,
    meanMs: h.mean / 1e6,
    shutdownMs: performance.now() - t,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

async function main(): Promise<void> {
  console.log(
    `storm of ${SECONDS} s at ${(PER_TICK * 1000) / TICK_MS} errors/s in spans, OTLP to a sink on 127.0.0.1, ${RUNS} runs`,
  );
  const sink = await startOtlpSink();
  const runs: Record<Config, (ChildFigures & { traceBytes: number; protocol: string })[]> = {
    ours: [],
    stock: [],
    idle: [],
  };
  try {
    for (let r = 0; r < RUNS; r++) {
      for (const config of ['idle', 'ours', 'stock'] as const) {
        const tmp = await tempDir('storm');
        sink.reset();
        const res = await runChild<ChildFigures>(
          [fileURLToPath(import.meta.url), '--child', config, String(sink.port), tmp.dir],
          { timeoutMs: (SECONDS + 60) * 1000 },
        ).finally(() => tmp.remove());
        if (res.result === undefined || res.code !== 0)
          throw new Error(`${config} child failed (${res.code ?? res.signal}): ${res.stderr.slice(-2000)}`);
        const traces = sink.counts.get('/v1/traces');
        const protocol =
          traces === undefined
            ? 'none'
            : `OTLP/HTTP ${traces.contentTypes.join(',')} (${traces.contentEncodings.join(',')})`;
        runs[config].push({ ...res.result, traceBytes: traces?.bodyBytes ?? 0, protocol });
        console.log(
          `  run ${r + 1} ${config.padEnd(5)} max ${res.result.maxMs.toFixed(1)} ms, p99 ${res.result.p99Ms.toFixed(1)} ms, ` +
            `${res.result.errors} errors, ${((traces?.bodyBytes ?? 0) / 1024 ** 2).toFixed(1)} MiB to /v1/traces, ${protocol}`,
        );
      }
    }
  } finally {
    await sink.close();
  }
  const m = (c: Config, k: 'maxMs' | 'p99Ms') => median(runs[c].map((x) => x[k]));
  const range = (c: Config, k: 'maxMs' | 'p99Ms') => runs[c].map((x) => Math.round(x[k] * 10) / 10);
  const detail = {
    seconds: SECONDS,
    errorsPerSecond: (PER_TICK * 1000) / TICK_MS,
    oursMaxMs: range('ours', 'maxMs'),
    stockMaxMs: range('stock', 'maxMs'),
    idleMaxMs: range('idle', 'maxMs'),
    oursP99Ms: range('ours', 'p99Ms'),
    stockP99Ms: range('stock', 'p99Ms'),
    idleP99Ms: range('idle', 'p99Ms'),
    oursProtocol: runs.ours[0]?.protocol,
    stockProtocol: runs.stock[0]?.protocol,
    oursShutdownMs: runs.ours.map((x) => Math.round(x.shutdownMs)),
    stockShutdownMs: runs.stock.map((x) => Math.round(x.shutdownMs)),
  };
  // The target compares each run of ours with the idle loop of the same run.
  const worstOverIdle = Math.max(...runs.ours.map((x, i) => x.maxMs - (runs.idle[i]?.maxMs ?? 0)));
  reportRow({
    id: 'stall.max',
    label: 'longest event-loop stall (max)',
    unit: 'ms',
    ours: m('ours', 'maxMs'),
    peer: m('stock', 'maxMs'),
    peerName: 'stock',
    target: `≤ idle + 1 ms (idle ${m('idle', 'maxMs').toFixed(1)})`,
    ok: worstOverIdle <= 1,
    n: SECONDS * ((PER_TICK * 1000) / TICK_MS),
    rounds: RUNS,
    detail: { ...detail, worstOursOverIdleMs: Math.round(worstOverIdle * 10) / 10 },
  });
  reportRow({
    id: 'stall.p99',
    label: 'event-loop delay p99',
    unit: 'ms',
    ours: m('ours', 'p99Ms'),
    peer: m('stock', 'p99Ms'),
    peerName: 'stock',
    n: SECONDS * ((PER_TICK * 1000) / TICK_MS),
    rounds: RUNS,
    detail,
  });
  const perError = (c: Config) => median(runs[c].map((x) => x.traceBytes / Math.max(1, x.errors + WARMUP)));
  reportRow({
    id: 'otlp.bytes',
    label: 'bytes to the collector per error',
    unit: 'B',
    ours: perError('ours'),
    peer: perError('stock'),
    peerName: 'stock',
    target: '≤ 1.00',
    ok: perError('ours') <= perError('stock'),
    n: SECONDS * ((PER_TICK * 1000) / TICK_MS),
    rounds: RUNS,
    detail: {
      oursTraceMiB: runs.ours.map((x) => Math.round((x.traceBytes / 1024 ** 2) * 10) / 10),
      stockTraceMiB: runs.stock.map((x) => Math.round((x.traceBytes / 1024 ** 2) * 10) / 10),
      oursProtocol: detail.oursProtocol,
      stockProtocol: detail.stockProtocol,
    },
  });
}

if (process.argv[2] === '--child')
  await child(process.argv[3] as Config, Number(process.argv[4]), process.argv[5] as string);
else await main();
