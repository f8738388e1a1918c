/** Helpers shared by the benchmarks (not a benchmark itself: run-all only runs `*.bench.js`). */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `BENCH_QUICK=1` shrinks every workload for a smoke run of about two minutes. */
export const QUICK = process.env.BENCH_QUICK === '1';

/** The marker run-all looks for on a benchmark's stdout: the rest of the line is one {@link BenchRow}. */
export const ROW_MARKER = '@@bench-row ';

/** The marker max-rss-probe prints on stderr before a child's peak RSS in KiB. */
export const MAX_RSS_MARKER = '@@max-rss-kib ';

/** The peak RSS in MiB that max-rss-probe printed on a child's stderr, if any. */
export function maxRssMiBFrom(stderr: string): number | undefined {
  const at = stderr.lastIndexOf(MAX_RSS_MARKER);
  if (at < 0) return undefined;
  return Number.parseInt(stderr.slice(at + MAX_RSS_MARKER.length), 10) / 1024;
}

/** A positive integer from the environment, else `full` (or `quick` under BENCH_QUICK). */
export function envInt(name: string, full: number, quick: number): number {
  const raw = process.env[name];
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0)
      throw new RangeError(`${name} must be a positive integer, got ${raw}`);
    return n;
  }
  return QUICK ? quick : full;
}

/** The middle value (the upper one of an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Nanoseconds per call of `fn` over `n` calls; the results are kept alive so none is optimized away. */
export function nsPerOp(n: number, fn: (i: number) => unknown): number {
  let sink: unknown;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink = fn(i);
  const ns = Number(process.hrtime.bigint() - t0) / n;
  if (sink === Symbol.for('never')) console.log(sink);
  return ns;
}

/** One row of the results: our figure, the peer's from the same run, and the target. */
export interface BenchRow {
  /** Stable key, e.g. `error-path.caller`. */
  id: string;
  label: string;
  /** Unit of `ours` and `peer`: ns, ms, s, B, MiB. */
  unit: 'ns' | 'ms' | 's' | 'B' | 'MiB';
  ours: number;
  peer?: number;
  peerName?: string;
  /** ours / peer. */
  ratio?: number;
  /** The target as text, e.g. `≤ 1.00`. */
  target?: string;
  /** Whether the target is met; absent when the row has no target. */
  ok?: boolean;
  /** Operations per round. */
  n?: number;
  rounds?: number;
  /** Every other figure: per-round values, ranges, protocols. */
  detail?: Record<string, unknown>;
}

/** Formats a figure in its unit, switching ns to µs/ms and ms to s where that reads better. */
export function formatValue(value: number, unit: BenchRow['unit']): string {
  if (!Number.isFinite(value)) return String(value);
  if (unit === 'ns') {
    if (value >= 1e6) return `${(value / 1e6).toFixed(2)} ms`;
    if (value >= 1e3) return `${(value / 1e3).toFixed(value >= 1e5 ? 0 : 1)} µs`;
    return `${value.toFixed(0)} ns`;
  }
  if (unit === 'ms' && value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (unit === 'ms') return `${value.toFixed(value >= 100 ? 0 : 1)} ms`;
  if (unit === 'B') return `${Math.round(value).toLocaleString('en-US')} B`;
  if (unit === 'MiB') return `${value.toFixed(1)} MiB`;
  return `${value.toFixed(2)} ${unit}`;
}

/** One readable line for a row, as run-all prints it. */
export function formatRow(row: BenchRow): string {
  const parts = [row.label.padEnd(44), `ours ${formatValue(row.ours, row.unit)}`.padEnd(17)];
  if (row.peer !== undefined)
    parts.push(`${row.peerName ?? 'peer'} ${formatValue(row.peer, row.unit)}`.padEnd(24));
  if (row.ratio !== undefined) parts.push(`ratio ${row.ratio.toFixed(2)}`.padEnd(12));
  if (row.target !== undefined) parts.push(`target ${row.target}`.padEnd(24));
  if (row.ok !== undefined) parts.push(row.ok ? 'ok' : 'MISS');
  return parts.join(' ').trimEnd();
}

/** Prints a row for the reader and, on its own marked line, for run-all to collect. */
export function reportRow(row: BenchRow): void {
  const full: BenchRow = { ...row };
  if (full.ratio === undefined && full.peer !== undefined && full.peer > 0)
    full.ratio = full.ours / full.peer;
  console.log(`  ${formatRow(full)}`);
  console.log(`${ROW_MARKER}${JSON.stringify(full)}`);
}

const liveTempDirs = new Set<string>();
// A benchmark that fails half-way must not leave its temp data behind either.
process.on('exit', () => {
  for (const dir of liveTempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp directory, removed with everything in it by `remove()` (or at exit at the latest). */
export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `ei-bench-${prefix}-`));
  liveTempDirs.add(dir);
  return {
    dir,
    remove: async () => {
      await rm(dir, { recursive: true, force: true });
      liveTempDirs.delete(dir);
    },
  };
}

/** Total bytes of the files under `dir`. */
export async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const f of await readdir(dir, { recursive: true })) {
    const s = await stat(join(dir, f));
    if (s.isFile()) total += s.size;
  }
  return total;
}

/** Runs in bursts of `burst` calls with a `setImmediate` yield between; returns the ms spent in the calls only. */
export async function timedBursts(n: number, burst: number, call: (i: number) => void): Promise<number> {
  let ms = 0;
  for (let i = 0; i < n; i += burst) {
    const end = Math.min(i + burst, n);
    const t = performance.now();
    for (let j = i; j < end; j++) call(j);
    ms += performance.now() - t;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return ms;
}

/** What a child benchmark process did: its last JSON stdout line, exit code, stderr and wall time. */
export interface ChildResult<T> {
  result: T | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  wallMs: number;
  /** Date.now() when the child exited, to compare with a time the child reported. */
  exitedAt: number;
}

/**
 * Runs a child process to its end (killed after `timeoutMs`), parsing its last stdout line as
 * JSON. Only this process's own children are ever killed, by their pid.
 */
export function runChild<T>(
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; command?: string } = {},
): Promise<ChildResult<T>> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(options.command ?? process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      if (err.length > 1 << 20) err = err.slice(-(1 << 19));
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    let exitedAt = 0;
    let wallMs = 0;
    child.on('exit', () => {
      exitedAt = Date.now();
      wallMs = performance.now() - started;
      clearTimeout(timer);
    });
    // 'close' comes after 'exit' once stdout and stderr have given their last bytes.
    child.on('close', (code, signal) => {
      const last = out.trim().split('\n').pop() ?? '';
      let result: T | undefined;
      try {
        result = last === '' ? undefined : (JSON.parse(last) as T);
      } catch {
        result = undefined;
      }
      resolve({ result, code, signal, stderr: err, wallMs, exitedAt });
    });
  });
}

/** What an OTLP sink received for one path. */
export interface SinkCounts {
  requests: number;
  bodyBytes: number;
  contentTypes: string[];
  contentEncodings: string[];
}

/** A node:http OTLP sink on 127.0.0.1 that reads and counts every request body and answers 200 `{}`. */
export async function startOtlpSink(): Promise<{
  port: number;
  counts: Map<string, SinkCounts>;
  reset: () => void;
  close: () => Promise<void>;
}> {
  const counts = new Map<string, SinkCounts>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    let c = counts.get(path);
    if (c === undefined) {
      c = { requests: 0, bodyBytes: 0, contentTypes: [], contentEncodings: [] };
      counts.set(path, c);
    }
    const entry = c;
    entry.requests++;
    const type = String(req.headers['content-type'] ?? '');
    if (!entry.contentTypes.includes(type)) entry.contentTypes.push(type);
    const encoding = String(req.headers['content-encoding'] ?? 'identity');
    if (!entry.contentEncodings.includes(encoding)) entry.contentEncodings.push(encoding);
    req.on('data', (chunk: Buffer) => {
      entry.bodyBytes += chunk.length;
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('sink has no port');
  return {
    port: address.port,
    counts,
    reset: () => counts.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A letters-only token per index (no digits and no a–f runs, so the message template keeps it). */
export function letterToken(i: number): string {
  const letters = 'ghijklmnopqrstuvwxyz';
  let s = '';
  let n = i;
  for (let k = 0; k < 4; k++) {
    s += letters[n % letters.length];
    n = Math.floor(n / letters.length);
  }
  return s;
}
