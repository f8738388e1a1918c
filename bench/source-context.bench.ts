/**
 * What reading source lines costs (fingerprint version 2 and `exception.sourceContext`):
 * - a frame block met for the first time whose file was not read yet: open, read, split, and
 *   the frames resolved (plain JavaScript files, and compiled TypeScript through its source map);
 * - the same frame block again (the per-site cache);
 * - a new frame block in files already read (a new call path through known code);
 * - the whole error path through the public API with `sourceContext` on against off, in the
 *   same run: caller's time and total CPU per error, `new Error('boom ' + i)` at one site.
 * The error path's targets are against pino (error-path bench); these two rows say what reading
 * source adds to it. The files are fresh in each round but sit in the OS page cache (they were just written), as
 * the files of a running service do. Build first; `node --expose-gc dist/bench/source-context.bench.js`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contextFrames } from '../src/grouping/frame-context.js';
import { SourceFiles } from '../src/grouping/source-files.js';
import { ExportLogger } from '../src/index.js';
import { envInt, median, reportRow, tempDir, timedBursts } from './bench-helpers.js';

const FILES = envInt('BENCH_SOURCE_FILES', 200, 40);
const MAPPED_FILES = envInt('BENCH_MAPPED_FILES', 50, 10);
const LINES = 400;
const ROUNDS = envInt('BENCH_ROUNDS', 5, 2);
const N = envInt('BENCH_PATH_ERRORS', 20_000, 3_000);

/** A module of LINES lines (about 16 KB) whose exported function throws near its middle. */
function moduleText(i: number, typed: boolean): string {
  const lines: string[] = [];
  for (let l = 0; l < LINES / 2 - 4; l++)
    lines.push(`// filler line ${l} of module ${i}, as comments and code take room`);
  lines.push(
    typed ? `export function stage${i}(job: { id: number }): never {` : `export function stage${i}(job) {`,
    `  const id = job.id;`,
    `  throw new Error('stage ${i} failed for job ' + id);`,
    '}',
  );
  for (let l = 0; l < LINES / 2; l++) lines.push(`export const value${l} = ${l} * ${i};`);
  return `${lines.join('\n')}\n`;
}

async function stacksOf(files: string[]): Promise<string[]> {
  const stacks: string[] = [];
  for (const [i, f] of files.entries()) {
    const mod = (await import(pathToFileURL(f).href)) as Record<string, (job: { id: number }) => never>;
    try {
      mod[`stage${i}`]!({ id: i });
    } catch (err) {
      stacks.push((err as Error).stack ?? '');
    }
  }
  return stacks;
}

/** ns per frame block resolved by `resolveAll` over `stacks`, median over rounds (fresh caches each). */
function perBlock(
  stacks: string[],
  root: string,
  rounds: number,
  warm: 'cold' | 'same' | 'new-block',
): number {
  const runs: number[] = [];
  for (let r = 0; r < rounds + 1; r++) {
    const files = new SourceFiles();
    if (warm !== 'cold') for (const s of stacks) contextFrames(s, root, 5, files);
    // Another root gives every block a cache miss while the files stay read.
    const useRoot = warm === 'new-block' ? `${root}/elsewhere` : root;
    const t = process.hrtime.bigint();
    for (const s of stacks) contextFrames(s, useRoot, 5, files);
    const ns = Number(process.hrtime.bigint() - t) / stacks.length;
    if (r > 0) runs.push(ns);
  }
  return median(runs);
}

async function errorPath(sourceContext: boolean): Promise<{ callerNs: number; cpuNs: number }> {
  const tmp = await tempDir(`source-context-${sourceContext}`);
  const logger = new ExportLogger({ logFile: `${tmp.dir}/errors.jsonl`, warnOnStderr: false, sourceContext });
  const cpu0 = process.cpuUsage();
  const ms = await timedBursts(N, 200, (i) => {
    logger.logStructuredError(new Error(`boom ${i}`), { phase: 'ENCODING', segment: i });
  });
  await logger.flush();
  const d = process.cpuUsage(cpu0);
  await logger.shutdown();
  await tmp.remove();
  return { callerNs: (ms * 1e6) / N, cpuNs: ((d.user + d.system) * 1000) / N };
}

async function main(): Promise<void> {
  const tmp = await tempDir('source-files');
  const root = tmp.dir;
  writeFileSync(join(root, 'package.json'), '{"type":"module"}');

  // Plain JavaScript.
  const js: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const f = join(root, `stage-${i}.js`);
    writeFileSync(f, moduleText(i, false));
    js.push(f);
  }
  const jsStacks = await stacksOf(js);

  // Compiled TypeScript with source maps, run without --enable-source-maps.
  mkdirSync(join(root, 'src'));
  const ts: string[] = [];
  for (let i = 0; i < MAPPED_FILES; i++) {
    const f = join(root, 'src', `stage-${i}.ts`);
    writeFileSync(f, moduleText(i, true));
    ts.push(f);
  }
  execFileSync(process.execPath, [
    resolve('node_modules/typescript/bin/tsc'),
    '--ignoreConfig',
    '--module',
    'nodenext',
    '--target',
    'es2022',
    '--sourceMap',
    '--outDir',
    join(root, 'dist'),
    '--rootDir',
    join(root, 'src'),
    ...ts,
  ]);
  const tsStacks = await stacksOf(ts.map((_, i) => join(root, 'dist', `stage-${i}.js`)));
  // The source map library loads on the first map: paid once per process, outside the rows.
  const first = process.hrtime.bigint();
  contextFrames(tsStacks[0]!, root, 5, new SourceFiles());
  const firstMs = Number(process.hrtime.bigint() - first) / 1e6;
  console.log(
    `  first mapped frame block of the process (loads @jridgewell/trace-mapping): ${firstMs.toFixed(1)} ms`,
  );
  const check = contextFrames(tsStacks[0]!, root, 5, new SourceFiles())[0];
  console.log(`  mapped frame: ${check?.file}:${check?.line} ${check?.contextLine?.trim()}`);

  const rows: Array<[string, string, string[], 'cold' | 'same' | 'new-block']> = [
    ['source-context.cold-js', 'context lines: new file, read (JS, 16 KB)', jsStacks, 'cold'],
    ['source-context.cold-mapped', 'context lines: new file + source map (TS)', tsStacks, 'cold'],
    ['source-context.new-block', 'context lines: new call path, files read', jsStacks, 'new-block'],
    ['source-context.same-block', 'context lines: site seen before', jsStacks, 'same'],
  ];
  for (const [id, label, stacks, warm] of rows) {
    reportRow({
      id,
      label,
      unit: 'ns',
      ours: perBlock(stacks, root, ROUNDS, warm),
      n: stacks.length,
      rounds: ROUNDS,
    });
  }

  // The error path with and without reading source, interleaved.
  await errorPath(true);
  await errorPath(false);
  const on: Array<{ callerNs: number; cpuNs: number }> = [];
  const off: Array<{ callerNs: number; cpuNs: number }> = [];
  for (let r = 0; r < ROUNDS; r++) {
    on.push(await errorPath(true));
    off.push(await errorPath(false));
  }
  const m = (xs: typeof on, k: 'callerNs' | 'cpuNs') => median(xs.map((x) => x[k]));
  reportRow({
    id: 'source-context.error-path.caller',
    label: 'error path (caller), sourceContext on',
    unit: 'ns',
    ours: m(on, 'callerNs'),
    peer: m(off, 'callerNs'),
    peerName: 'off',
    n: N,
    rounds: ROUNDS,
  });
  reportRow({
    id: 'source-context.error-path.cpu',
    label: 'error path (total CPU), sourceContext on',
    unit: 'ns',
    ours: m(on, 'cpuNs'),
    peer: m(off, 'cpuNs'),
    peerName: 'off',
    n: N,
    rounds: ROUNDS,
  });
  await tmp.remove();
}

await main();
