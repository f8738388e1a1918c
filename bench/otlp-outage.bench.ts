/**
 * Memory through a collector outage, then the backlog (docs/collector.md). One process registers
 * with exceptions as log records (`exceptionSignal: 'logs'`) against a port on 127.0.0.1 that
 * refuses connections, records errors in bursts for the length of the outage, and samples the
 * heap after `global.gc()` every tenth of the way. Then a sink starts on that port and the
 * durable exporter sends the backlog from the store. Rows: heap growth from the start of the
 * outage to its largest sample (target: ≤ 16 MiB, i.e. flat: the backlog is on disk), and how long
 * the backlog took to send once the collector was back, with every record delivered once.
 * Build first; `node --expose-gc dist/bench/otlp-outage.bench.js`.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { envInt, reportRow, tempDir } from './bench-helpers.js';

const ERRORS = envInt('BENCH_OUTAGE_ERRORS', 100_000, 10_000);
const BURST = 500;
const SAMPLES = 10;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const heapMiB = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function main(): Promise<void> {
  const { registerErrorInstrumentation } = await import('../src/index.js');
  const store = await tempDir('outage');
  const port = await freePort();
  const insight = registerErrorInstrumentation({
    serviceName: 'bench-outage',
    logFile: `${store.dir}/errors.jsonl`,
    warnOnStderr: false,
    resources: false,
    shutdownTimeoutMs: 5000,
    otlp: { endpoint: `http://127.0.0.1:${port}`, exceptionSignal: 'logs', timeoutMillis: 300 },
  });
  const log = (i: number) => insight.logger.logStructuredError(new Error(`encode failed for segment ${i}`));
  for (let i = 0; i < 1000; i++) log(i);
  await insight.forceFlush();
  const before = heapMiB();
  const samples: number[] = [];
  for (let i = 0; i < ERRORS; i++) {
    log(i);
    if ((i + 1) % BURST === 0) await new Promise((r) => setImmediate(r));
    if ((i + 1) % (ERRORS / SAMPLES) === 0) {
      await insight.logger.flush();
      samples.push(heapMiB());
    }
  }
  const queued = insight.logger.getErrorStats().export?.queued ?? -1;
  const growth = Math.max(...samples) - before;
  reportRow({
    id: 'otlp-outage.heap-growth',
    label: 'heap growth through an outage',
    unit: 'MiB',
    ours: growth,
    target: '≤ 16 MiB',
    ok: growth <= 16,
    n: ERRORS,
    rounds: 1,
    detail: { beforeMiB: before, samplesMiB: samples, queuedAtEnd: queued },
  });

  const ids = new Set<string>();
  let received = 0;
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      // Record ids are the only 8-hex-tagged ids in the body: count them without a protobuf decoder.
      for (const m of body.toString('latin1').matchAll(/[0-9a-z]{9}-[0-9a-z]{4}-[0-9a-f]{8}/g)) {
        received++;
        ids.add(m[0]);
      }
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const started = performance.now();
  const total = ERRORS + 1000;
  while (ids.size < total && performance.now() - started < 600_000) {
    await insight.forceFlush();
    if (ids.size < total) await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  reportRow({
    id: 'otlp-outage.backlog',
    label: 'backlog sent after the outage',
    unit: 's',
    ours: seconds,
    target: 'every record once',
    ok: ids.size === total && received === total,
    n: total,
    rounds: 1,
    detail: { distinct: ids.size, received, sent: insight.logger.getErrorStats().export?.sent.logRecords },
  });
  await insight.shutdown();
  await new Promise<void>((r) => server.close(() => r()));
  await store.remove();
}

await main();
