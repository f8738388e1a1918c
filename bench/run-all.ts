/**
 * `npm run bench`: runs every benchmark in its own process (a clean heap each, `--expose-gc`),
 * one after the other, so their figures do not disturb each other. Each prints its rows (ours,
 * the peer measured in the same run, the ratio, the target); at the end every row is printed
 * again as one table and all figures are written to bench/results/latest.json, and also to
 * bench/results/<name>.json with `BENCH_SAVE=<name>`. Arguments pick benchmarks by name:
 * `node dist/bench/run-all.js error-path exit`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type BenchRow, formatRow, ROW_MARKER } from './bench-helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, '..', '..', 'bench', 'results');
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

function runBench(file: string, rows: BenchRow[]): Promise<{ code: number | null; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', join(here, file)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(ROW_MARKER)) rows.push(JSON.parse(line.slice(ROW_MARKER.length)) as BenchRow);
      else console.log(line);
    });
    child.on('close', (code) => resolve({ code, seconds: (performance.now() - started) / 1000 }));
  });
}

const rows: BenchRow[] = [];
const benches: Record<string, { exitCode: number | null; seconds: number }> = {};
const started = new Date();
for (const file of files) {
  const name = file.replace(/\.bench\.js$/, '');
  console.log(`\n=== ${name} ===`);
  const r = await runBench(file, rows);
  benches[name] = { exitCode: r.code, seconds: Math.round(r.seconds * 10) / 10 };
  if (r.code !== 0) console.log(`(${file} exited with ${r.code})`);
}

console.log(`\n=== summary (node ${process.version}, ${cpus().length} cores) ===`);
for (const row of rows) console.log(formatRow(row));

const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_')));
const results = {
  date: started.toISOString(),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  totalMemMiB: Math.round(totalmem() / 1024 ** 2),
  env,
  benches,
  rows,
};
await mkdir(resultsDir, { recursive: true });
const text = `${JSON.stringify(results, null, 2)}\n`;
await writeFile(join(resultsDir, 'latest.json'), text);
const save = process.env.BENCH_SAVE;
if (save !== undefined && save !== '') {
  if (!/^[\w.-]+$/.test(save)) throw new TypeError(`BENCH_SAVE must be a plain name, got ${save}`);
  const saved = join(resultsDir, `${save}.json`);
  await writeFile(saved, text);
  // The saved file is committed, so it gets the repository's JSON formatting (`npm run lint`).
  const biome = join(here, '..', '..', 'node_modules', '.bin', 'biome');
  if (existsSync(biome)) spawnSync(biome, ['format', '--write', saved], { stdio: 'ignore' });
  console.log(`results: bench/results/latest.json and bench/results/${save}.json`);
} else console.log('results: bench/results/latest.json');
process.exitCode = Object.values(benches).every((b) => b.exitCode === 0) ? 0 : 1;
