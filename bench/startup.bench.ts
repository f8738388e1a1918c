/**
 * Start-up (row 8 of docs/performance.md): in a fresh child, import error-insight and call
 * `registerErrorInstrumentation({ otlp: false })`, against importing @opentelemetry/sdk-trace-node
 * and `new NodeTracerProvider().register()`. Measured at ready: the time since the process began
 * (performance.now(), so node's own start is in both) and the RSS. Interleaved, BENCH_STARTUP_RUNS
 * (7) runs each, median. Build first; `node dist/bench/startup.bench.js`.
 *
 * This file imports only node built-ins and the helpers at top level, so each child loads only
 * what its side needs.
 */
import { fileURLToPath } from 'node:url';
import { envInt, median, reportRow, runChild, tempDir } from './bench-helpers.js';

const RUNS = envInt('BENCH_STARTUP_RUNS', 7, 3);

type Side = 'ours' | 'bare';

interface ChildFigures {
  readyMs: number;
  rssMiB: number;
}

async function child(side: Side, storeDir: string): Promise<void> {
  let stop: () => Promise<void>;
  if (side === 'ours') {
    const { registerErrorInstrumentation } = await import('../src/index.js');
    const insight = registerErrorInstrumentation({
      otlp: false,
      logFile: `${storeDir}/errors.jsonl`,
      warnOnStderr: false,
    });
    stop = () => insight.shutdown();
  } else {
    const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
    const provider = new NodeTracerProvider();
    provider.register();
    stop = () => provider.shutdown();
  }
  const figures: ChildFigures = { readyMs: performance.now(), rssMiB: process.memoryUsage().rss / 1024 ** 2 };
  await stop();
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

async function main(): Promise<void> {
  console.log(`start-up to ready, ${RUNS} runs each, interleaved, median`);
  const runs: Record<Side, ChildFigures[]> = { ours: [], bare: [] };
  for (let r = 0; r < RUNS; r++) {
    for (const side of ['bare', 'ours'] as const) {
      const tmp = await tempDir('startup');
      const res = await runChild<ChildFigures>([fileURLToPath(import.meta.url), '--child', side, tmp.dir], {
        timeoutMs: 60_000,
      }).finally(() => tmp.remove());
      if (res.result === undefined) throw new Error(`${side} child failed: ${res.stderr.slice(-2000)}`);
      runs[side].push(res.result);
    }
  }
  const m = (s: Side, k: keyof ChildFigures) => median(runs[s].map((x) => x[k]));
  const detail = {
    oursReadyMs: runs.ours.map((x) => Math.round(x.readyMs)),
    bareReadyMs: runs.bare.map((x) => Math.round(x.readyMs)),
    oursRssMiB: runs.ours.map((x) => Math.round(x.rssMiB)),
    bareRssMiB: runs.bare.map((x) => Math.round(x.rssMiB)),
  };
  reportRow({
    id: 'startup.time',
    label: 'start-up: import + register (time)',
    unit: 'ms',
    ours: m('ours', 'readyMs'),
    peer: m('bare', 'readyMs'),
    peerName: 'bare provider',
    target: '≤ 1.20',
    ok: m('ours', 'readyMs') <= 1.2 * m('bare', 'readyMs'),
    rounds: RUNS,
    detail,
  });
  reportRow({
    id: 'startup.rss',
    label: 'start-up: import + register (RSS)',
    unit: 'MiB',
    ours: m('ours', 'rssMiB'),
    peer: m('bare', 'rssMiB'),
    peerName: 'bare provider',
    rounds: RUNS,
    detail,
  });
}

if (process.argv[2] === '--child') await child(process.argv[3] as Side, process.argv[4] as string);
else await main();
