/**
 * Process exit after `shutdown()` with the collector away (row 6 of docs/performance.md). A child
 * registers with OTLP to (a) a closed port on 127.0.0.1 (connection refused) or (b) a server on
 * 127.0.0.1 that accepts and never answers, records 100 errors inside spans, calls
 * `await shutdown()` and then lets its event loop drain (no process.exit). Measured: how long
 * shutdown() took and the wall time from calling it to the child's exit; for ours also whether
 * the store holds all 100 records. Ours with the default and with `shutdownTimeoutMs: 1500`,
 * against the stock NodeTracerProvider + BatchSpanProcessor + OTLPTraceExporter
 * (`provider.shutdown()`). Build first; `node dist/bench/exit.bench.js`.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { envInt, median, reportRow, runChild, tempDir } from './bench-helpers.js';

const RUNS = envInt('BENCH_EXIT_RUNS', 1, 1);
const ERRORS = 100;

type Config = 'ours' | 'ours-1500' | 'stock';

interface ChildFigures {
  shutdownCalledAt: number;
  shutdownMs: number;
  /** What shutdown() rejected with, if it did. */
  error: string | undefined;
}

async function child(config: Config, port: number, storeDir: string): Promise<void> {
  const endpoint = `http://127.0.0.1:${port}`;
  let tracer: import('@opentelemetry/api').Tracer;
  let shutdown: () => Promise<void>;
  if (config === 'stock') {
    const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
    const { BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
    const provider = new NodeTracerProvider({
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }))],
    });
    provider.register();
    tracer = provider.getTracer('bench');
    shutdown = () => provider.shutdown();
  } else {
    const { registerErrorInstrumentation } = await import('../src/index.js');
    const insight = registerErrorInstrumentation({
      serviceName: 'bench-exit',
      logFile: `${storeDir}/errors.jsonl`,
      warnOnStderr: false,
      otlp: { endpoint },
      ...(config === 'ours-1500' ? { shutdownTimeoutMs: 1500 } : {}),
    });
    tracer = insight.tracer;
    shutdown = () => insight.shutdown();
  }
  for (let i = 0; i < ERRORS; i++) {
    tracer.startActiveSpan('RENDERING', (span) => {
      span.recordException(new Error(`upload failed for part ${i}`));
      span.end();
    });
  }
  const shutdownCalledAt = Date.now();
  const t = performance.now();
  // The stock provider's shutdown rejects with the exporter's error; the time is what counts.
  const error = await shutdown().then(
    () => undefined,
    (e: unknown) => String((e as Error)?.message ?? e),
  );
  const figures: ChildFigures = { shutdownCalledAt, shutdownMs: performance.now() - t, error };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

async function countStored(dir: string): Promise<number> {
  const { readStore } = await import('../src/index.js');
  let n = 0;
  try {
    for await (const _ of readStore(dir)) n++;
  } catch {
    return 0;
  }
  return n;
}

/** A port on 127.0.0.1 that refuses connections: one just bound and closed again. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** A server on 127.0.0.1 that accepts connections, reads them and never answers. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const s: Server = createServer((socket) => {
    sockets.add(socket);
    socket.resume();
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return {
    port: (s.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        s.close(() => resolve());
      }),
  };
}

interface Measured {
  shutdownMs: number;
  exitMs: number;
  stored: number | undefined;
  shutdownError: string | undefined;
}

async function main(): Promise<void> {
  console.log(`exit after shutdown(): ${ERRORS} errors in spans, collector away, ${RUNS} run(s)`);
  const silent = await silentServer();
  const refused = await closedPort();
  const results = new Map<string, Measured[]>();
  try {
    for (let r = 0; r < RUNS; r++) {
      for (const collector of ['refused', 'silent'] as const) {
        for (const config of ['ours', 'ours-1500', 'stock'] as const) {
          const port = collector === 'refused' ? refused : silent.port;
          const tmp = await tempDir('exit');
          let res: Awaited<ReturnType<typeof runChild<ChildFigures>>>;
          let stored: number | undefined;
          try {
            res = await runChild<ChildFigures>(
              [fileURLToPath(import.meta.url), '--child', config, String(port), tmp.dir],
              { timeoutMs: 90_000 },
            );
            stored = config === 'stock' ? undefined : await countStored(tmp.dir);
          } finally {
            await tmp.remove();
          }
          if (res.result === undefined)
            throw new Error(
              `${config}/${collector} child failed (${res.code ?? res.signal}): ${res.stderr.slice(-2000)}`,
            );
          const m: Measured = {
            shutdownMs: res.result.shutdownMs,
            exitMs: res.exitedAt - res.result.shutdownCalledAt,
            stored,
            shutdownError: res.result.error,
          };
          const key = `${config}/${collector}`;
          results.set(key, [...(results.get(key) ?? []), m]);
          console.log(
            `  ${key.padEnd(18)} shutdown() ${m.shutdownMs.toFixed(0)} ms, exit ${m.exitMs.toFixed(0)} ms after shutdown()` +
              (stored === undefined ? '' : `, store ${stored}/${ERRORS}`) +
              (m.shutdownError === undefined
                ? ''
                : ` (shutdown() rejected: ${m.shutdownError.slice(0, 60)})`),
          );
        }
      }
    }
  } finally {
    await silent.close();
  }
  const med = (key: string, k: 'shutdownMs' | 'exitMs') => median((results.get(key) ?? []).map((x) => x[k]));
  for (const collector of ['refused', 'silent'] as const) {
    const stock = `stock/${collector}`;
    for (const config of ['ours', 'ours-1500'] as const) {
      const key = `${config}/${collector}`;
      const stored = Math.min(...(results.get(key) ?? []).map((x) => x.stored ?? 0));
      const exit = med(key, 'exitMs');
      const label = `exit after shutdown(), ${collector === 'refused' ? 'refusing' : 'never answering'}${config === 'ours-1500' ? ', 1500' : ''}`;
      reportRow({
        id: `exit.${collector}${config === 'ours-1500' ? '.timeout-1500' : ''}`,
        label,
        unit: 'ms',
        ours: exit,
        peer: med(stock, 'exitMs'),
        peerName: 'stock',
        target: '≤ 2 s, store 100/100',
        ok: exit <= 2000 && stored === ERRORS,
        n: ERRORS,
        rounds: RUNS,
        detail: {
          oursShutdownMs: med(key, 'shutdownMs'),
          stockShutdownMs: med(stock, 'shutdownMs'),
          stored,
          runs: results.get(key),
          stockRuns: results.get(stock),
        },
      });
      reportRow({
        id: `shutdown.${collector}${config === 'ours-1500' ? '.timeout-1500' : ''}`,
        label: label.replace('exit after shutdown()', 'shutdown() returns'),
        unit: 'ms',
        ours: med(key, 'shutdownMs'),
        peer: med(stock, 'shutdownMs'),
        peerName: 'stock',
        n: ERRORS,
        rounds: RUNS,
      });
    }
  }
}

if (process.argv[2] === '--child')
  await child(process.argv[3] as Config, Number(process.argv[4]), process.argv[5] as string);
else await main();
