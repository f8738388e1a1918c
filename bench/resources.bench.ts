/**
 * Benchmark of the resource sampler (not a test: it prints figures, it asserts nothing).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/resources.bench.js [--idle-seconds=N]
 *
 * 1. The engine's error path with the sampler on and off, interleaved in the same run, with the
 *    round-to-round spread as the noise floor.
 * 2. errorTimeResources() alone, against process.memoryUsage() as a peer in the same run.
 * 3. The sampler's own cost: CPU per background sample with the real systeminformation, the
 *    longest event-loop stall while sampling, and the CPU share at the default interval.
 */
import { statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { MemoryTrajectory } from '../src/resources/memory-trajectory.js';
import { ResourceMonitor } from '../src/resources/resource-monitor.js';
import { median, nsPerOp } from './bench-helpers.js';

const ROUNDS = 21;
const PER_ROUND = 2_000;

function quartiles(xs: number[]): [number, number] {
  const s = [...xs].sort((a, b) => a - b);
  return [s[Math.floor(s.length / 4)] as number, s[Math.floor((3 * s.length) / 4)] as number];
}

const tick = () => new Promise<void>((r) => setImmediate(r));

/** Runs the variants interleaved, ROUNDS times, yielding to the loop between rounds. */
async function compare(variants: Record<string, (i: number) => unknown>): Promise<Record<string, number[]>> {
  const names = Object.keys(variants);
  const out: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) nsPerOp(PER_ROUND, variants[n] as (i: number) => unknown);
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const n of order) {
      out[n]?.push(nsPerOp(PER_ROUND, variants[n] as (i: number) => unknown));
      await tick();
    }
  }
  return out;
}

function report(results: Record<string, number[]>): void {
  for (const [name, xs] of Object.entries(results)) {
    const [q1, q3] = quartiles(xs);
    const us = (x: number) => (x / 1000).toFixed(2);
    console.log(
      `  ${name.padEnd(46)} best ${us(Math.min(...xs)).padStart(7)}  median ${us(median(xs)).padStart(7)} µs/op  (IQR ${us(q1)}–${us(q3)})`,
    );
  }
}

async function errorPath(): Promise<void> {
  console.log('\n1. Error path (engine capture + JSON line), sampler on vs off, same run');
  let mod: typeof import('../src/engine/error-engine.js');
  try {
    mod = await import('../src/engine/error-engine.js');
  } catch (e) {
    console.log(`  engine not loadable (${String(e)}); skipped`);
    return;
  }
  const base = { store: false, patterns: false, warnOnStderr: false, captureUncaught: false } as const;
  const off = new mod.ErrorEngine({ ...base, resources: false });
  const off2 = new mod.ErrorEngine({ ...base, resources: false });
  const on = new mod.ErrorEngine({ ...base, resources: { volumes: [tmpdir()] } });
  on.monitor?.start();
  await on.monitor?.sample();
  // Let the trajectory fill (10 samples at the default 1 s) so the payload has its full size.
  await new Promise((r) => setTimeout(r, 10_100));
  const messages = Array.from({ length: 64 }, (_, i) => `render failed for frame ${i}`);
  // A fresh Error per call (the engine ignores an object it has already recorded).
  const capture = (engine: typeof off) => (i: number) =>
    JSON.stringify(
      engine.capture(new Error(messages[i & 63]), { source: 'api', phase: 'RENDERING', addEvent: false }),
    );
  const OFF = 'sampler off (resources: false)';
  const OFF2 = 'sampler off, second engine (A/A control)';
  const ON = 'sampler on (default options, started)';
  const SPLICED = 'sampler on, resources spliced as cached JSON';
  // What a line writer can do with errorTimeResourcesJson(): append the text instead of
  // stringifying the object (the record itself is built without it).
  const monitor = on.monitor as ResourceMonitor;
  const spliced = (i: number) => {
    const line = JSON.stringify(
      off2.capture(new Error(messages[i & 63]), { source: 'api', phase: 'RENDERING', addEvent: false }),
    );
    return `${line.slice(0, -1)},"resources":${monitor.errorTimeResourcesJson()}}`;
  };
  const r = await compare({
    [OFF]: capture(off),
    [ON]: capture(on),
    [OFF2]: capture(off2),
    [SPLICED]: spliced,
  });
  report(r);
  const m = (k: string) => median(r[k] as number[]);
  const b = (k: string) => Math.min(...(r[k] as number[]));
  const us = (x: number) => `${(x / 1000).toFixed(2)} µs`;
  console.log(
    `  on − off: median ${us(m(ON) - m(OFF))}, best ${us(b(ON) - b(OFF))}; spliced − off: median ${us(m(SPLICED) - m(OFF))}, best ${us(b(SPLICED) - b(OFF))}; A/A |off2 − off|: median ${us(Math.abs(m(OFF2) - m(OFF)))}, best ${us(Math.abs(b(OFF2) - b(OFF)))}`,
  );
  const resources = on.capture(new Error('x'), { source: 'api', addEvent: false }).resources;
  const line = JSON.stringify(resources);
  const stringifyNs = nsPerOp(20_000, () => JSON.stringify(resources));
  console.log(
    `  record.resources adds ${line.length} bytes to a line; JSON.stringify of it alone: ${us(stringifyNs)}`,
  );
  await off.shutdown();
  await off2.shutdown();
  await on.shutdown();
}

async function hotPath(): Promise<void> {
  console.log('\n2. errorTimeResources() alone (a full 10-sample trajectory), against peers in the same run');
  const monitor = new ResourceMonitor({ volumes: [tmpdir()], trajectoryIntervalMs: 100 });
  monitor.start();
  await monitor.sample();
  await new Promise((r) => setTimeout(r, 1_100));
  const vols = [process.cwd(), tmpdir()];
  const r = await compare({
    'errorTimeResources() (full)': () => monitor.errorTimeResources(),
    'errorTimeResourcesJson() (full)': () => monitor.errorTimeResourcesJson(),
    'JSON.stringify(errorTimeResources())': () => JSON.stringify(monitor.errorTimeResources()),
    "errorTimeResources('light')": () => monitor.errorTimeResources('light'),
    'peer: process.memoryUsage()': () => process.memoryUsage(),
    'reference: statfsSync of cwd + tmpdir': () => vols.map((v) => statfsSync(v)),
  });
  report(r);
  const full = median(r['errorTimeResources() (full)'] as number[]);
  const peer = median(r['peer: process.memoryUsage()'] as number[]);
  console.log(`  ratio errorTimeResources / process.memoryUsage = ${(full / peer).toFixed(2)}`);
  monitor.stop();
}

/** Longest gap between consecutive setImmediate turns while `work` runs: the worst loop stall. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let running = true;
  let last = performance.now();
  let worst = 0;
  const spin = () => {
    const t = performance.now();
    worst = Math.max(worst, t - last);
    last = t;
    if (running) setImmediate(spin);
  };
  setImmediate(spin);
  await work();
  running = false;
  await tick();
  return worst;
}

function pct(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

const ms = (x: number) => `${x.toFixed(3)} ms`;

async function samplerCost(idleSeconds: number): Promise<void> {
  console.log('\n3. The sampler itself');
  const n = 60;
  const idleStalls: number[] = [];
  for (let i = 0; i < n; i++) idleStalls.push(await longestStall(() => new Promise((r) => setTimeout(r, 1))));
  console.log(
    `  loop probe with no sampling (baseline): p50 ${ms(pct(idleStalls, 50))}, p90 ${ms(pct(idleStalls, 90))}, max ${ms(Math.max(...idleStalls))}`,
  );
  for (const memorySource of ['auto', 'systeminformation'] as const) {
    const monitor = new ResourceMonitor({ volumes: [tmpdir()], memorySource });
    const first = await longestStall(() => monitor.sample());
    const cpu0 = process.cpuUsage();
    const stalls: number[] = [];
    for (let i = 0; i < n; i++) stalls.push(await longestStall(() => monitor.sample()));
    const cpu = process.cpuUsage(cpu0);
    const perSampleUs = (cpu.user + cpu.system) / n;
    console.log(
      `  memorySource '${memorySource}': first sample stall ${ms(first)}; then CPU ${perSampleUs.toFixed(0)} µs per sample, stall p50 ${ms(pct(stalls, 50))}, p90 ${ms(pct(stalls, 90))}, max ${ms(Math.max(...stalls))}; degraded: ${monitor.latest()?.degraded}`,
    );
    if (memorySource === 'auto') {
      const tr = new MemoryTrajectory(10);
      const trUs =
        nsPerOp(2_000, (i) => {
          tr.push(i, process.memoryUsage());
          return tr.toJSON();
        }) / 1000;
      const share = perSampleUs / 15_000_000 + trUs / 1_000_000;
      console.log(`  trajectory sample (memoryUsage + ring + JSON): ${trUs.toFixed(2)} µs`);
      console.log(
        `  CPU share at the defaults (15 s sample, 1 s trajectory), timers aside: ${(share * 100).toFixed(4)} % of one core`,
      );
    }
  }

  if (idleSeconds > 0) {
    console.log(
      `  idle process for ${idleSeconds} s each (after the first sample), sampler started with defaults vs not:`,
    );
    for (const on of [false, true, false, true]) {
      const m = on ? new ResourceMonitor({ volumes: [tmpdir()] }) : undefined;
      m?.start();
      await m?.sample();
      const c0 = process.cpuUsage();
      await new Promise((r) => setTimeout(r, idleSeconds * 1000));
      const c = process.cpuUsage(c0);
      m?.stop();
      console.log(
        `    sampler ${on ? 'on ' : 'off'}: ${((c.user + c.system) / 1000 / idleSeconds).toFixed(2)} ms CPU per second`,
      );
    }
  }
}

const idleArg = process.argv.find((a) => a.startsWith('--idle-seconds='));
console.log(`node ${process.version}, ${ROUNDS} rounds × ${PER_ROUND} ops per variant`);
await errorPath();
await hotPath();
await samplerCost(idleArg ? Number(idleArg.split('=')[1]) : 3);
