/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time grouped by source area
 * (src/<dir>), by file, and the top functions, in ms and, with `--ops N`, in µs per operation.
 * Not a benchmark (run-all does not run it):
 *
 *   node dist/bench/profile-summary.js <file.cpuprofile> [--ops 50000] [--top 30] [--from µs --to µs]
 *
 * `--from`/`--to` keep only the samples taken in that window (process.hrtime in µs, the clock
 * the profile's timestamps use), e.g. the window profile-error-path prints. `--under <name>`
 * splits the samples in two: those taken inside a call of the function of that name (the
 * caller's path, e.g. profile-error-path's `logOne`) and all the others (timers, I/O
 * callbacks, GC between calls), with the area table for each.
 * Self time is summed from the sample time deltas, not from hit counts, so the sampling
 * interval does not have to be known. Compiled files (dist/src/x.js) are shown as src/x.ts, with
 * the line numbers of the compiled file; frames in the bundle (dist/src/bundle) are followed
 * through its source maps to their TypeScript file and line.
 * V8 built-ins (JSON.stringify, RegExp code, the Error constructor…) and node's own modules
 * (node:buffer, node:fs…) are charged to their nearest caller in the library, a package or the
 * driver in the area and file tables, so each stage's figure includes the built-ins it calls;
 * the function table lists them by their own name and that caller.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber?: number;
}

/** The repository: dist/src/bundle/x.js is three levels below it. */
const bundleMaps = new Map<string, { map: TraceMap; repo: string } | undefined>();
/** A frame of the bundle as the TypeScript source it was built from (`src:` URL), or the frame as it is. */
function unbundled(frame: CallFrame): CallFrame {
  if (!/\/dist\/src\/bundle\/[^/]+\.js$/.test(frame.url)) return frame;
  const path = fileURLToPath(frame.url);
  if (!bundleMaps.has(path)) {
    try {
      const map = new TraceMap(readFileSync(`${path}.map`, 'utf8'), path);
      bundleMaps.set(path, { map, repo: resolve(dirname(path), '../../..') });
    } catch {
      bundleMaps.set(path, undefined);
    }
  }
  const known = bundleMaps.get(path);
  if (known === undefined) return frame;
  const pos = originalPositionFor(known.map, { line: frame.lineNumber + 1, column: frame.columnNumber ?? 0 });
  if (pos.source === null || pos.line === null) return frame;
  const source = pos.source.startsWith('file:')
    ? fileURLToPath(pos.source)
    : resolve(dirname(path), pos.source);
  return { ...frame, url: `src:${relative(known.repo, source)}`, lineNumber: pos.line - 1 };
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: src/…ts, node_modules/<package>, node:<module>, or V8's own entries. */
function fileOf(frame: CallFrame): string {
  const url = frame.url;
  if (url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return url;
  if (url.startsWith('src:')) return url.slice('src:'.length);
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    const pkg = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    return `node_modules/${pkg}`;
  }
  const m = /\/dist\/((?:src|bench)\/.*)\.js$/.exec(path);
  if (m) return `${m[1]}.ts`;
  return path;
}

/** The area a file belongs to: src/<dir> for the library, the package or module otherwise. */
function areaOf(file: string): string {
  const m = /^src\/([^/]+)\//.exec(file);
  if (m) return `src/${m[1]}`;
  if (file.startsWith('src/')) return file;
  if (file.startsWith('node:')) return 'node: (built-in modules)';
  return file;
}

interface Args {
  file: string;
  ops: number | undefined;
  top: number;
  from: number;
  to: number;
  under: string | undefined;
}

function parseArgs(argv: string[]): Args {
  let ops: number | undefined;
  let from = Number.NEGATIVE_INFINITY;
  let to = Number.POSITIVE_INFINITY;
  let under: string | undefined;
  let top = 30;
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--ops') ops = Number(argv[++i]);
    else if (a === '--top') top = Number(argv[++i]);
    else if (a === '--from') from = Number(argv[++i]);
    else if (a === '--to') to = Number(argv[++i]);
    else if (a === '--under') under = argv[++i];
    else file = a;
  }
  if (file === undefined) throw new TypeError('usage: profile-summary <file.cpuprofile> [--ops N] [--top N]');
  return { file, ops, top, from, to, under };
}

const { file, ops, top, from, to, under } = parseArgs(process.argv.slice(2));
const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
for (const n of profile.nodes) n.callFrame = unbundled(n.callFrame);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const underMemo = new Map<number, boolean>();
/** Whether node `id` runs inside a call of the function named `under`. */
function isUnder(id: number): boolean {
  if (under === undefined) return false;
  const known = underMemo.get(id);
  if (known !== undefined) return known;
  const own = (byId.get(id) as ProfileNode).callFrame.functionName === under;
  const p = parent.get(id);
  const result = own || (p !== undefined && isUnder(p));
  underMemo.set(id, result);
  return result;
}
const underUs = new Map<number, number>();

// A sample's delta is the time since the previous one: that time is charged to it.
let at = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i] ?? 0;
  at += delta;
  if (at < from || at > to) continue;
  const id = profile.samples[i] as number;
  selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  if (isUnder(id)) underUs.set(id, (underUs.get(id) ?? 0) + delta);
}

const V8_ENTRIES = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);
/** The frame a sample is charged to in the area and file tables. */
const builtIn = (frame: CallFrame) => frame.url === '' || frame.url.startsWith('node:');
function chargedFrame(id: number): CallFrame {
  const own = (byId.get(id) as ProfileNode).callFrame;
  if (!builtIn(own) || V8_ENTRIES.has(own.functionName)) return own;
  for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
    const frame = (byId.get(p) as ProfileNode).callFrame;
    if (!builtIn(frame)) return frame;
  }
  return own;
}

const byArea = new Map<string, number>();
const byFile = new Map<string, number>();
const byFunction = new Map<string, number>();
let total = 0;
let busy = 0;
for (const [id, us] of selfUs) {
  const frame = (byId.get(id) as ProfileNode).callFrame;
  const charged = chargedFrame(id);
  const f = fileOf(charged);
  const where =
    frame === charged
      ? `${f}${frame.url ? `:${frame.lineNumber + 1}` : ''}`
      : `${fileOf(frame)} in ${f}:${charged.lineNumber + 1}`;
  const fn = `${frame.functionName || '(anonymous)'}  ${where}`;
  total += us;
  if (f !== '(idle)' && f !== '(program)') busy += us;
  byArea.set(areaOf(f), (byArea.get(areaOf(f)) ?? 0) + us);
  byFile.set(f, (byFile.get(f) ?? 0) + us);
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
}

const libraryUs = [...byArea].filter(([a]) => a.startsWith('src/')).reduce((s, [, us]) => s + us, 0);
function print(title: string, map: Map<string, number>, limit: number): void {
  console.log(`\n${title}`);
  console.log(`${'self ms'.padStart(9)} ${'% busy'.padStart(7)} ${ops ? 'µs/op'.padStart(8) : ''}  what`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    const perOp = ops ? (us / ops).toFixed(2).padStart(8) : '';
    console.log(
      `${(us / 1000).toFixed(1).padStart(9)} ${((100 * us) / busy).toFixed(1).padStart(7)} ${perOp}  ${k}`,
    );
  }
}

console.log(
  `${file}: ${(total / 1000).toFixed(0)} ms sampled, ${(busy / 1000).toFixed(0)} ms busy (not idle, not (program)), ` +
    `library (src/) ${(libraryUs / 1000).toFixed(0)} ms${ops ? `; per op: busy ${(busy / ops).toFixed(2)} µs, library ${(libraryUs / ops).toFixed(2)} µs over ${ops} ops` : ''}`,
);
print('by area', byArea, 40);
print('by file', byFile, top);
print('top functions (self time)', byFunction, top);

if (under !== undefined) {
  const inside = new Map<string, number>();
  const outside = new Map<string, number>();
  let insideUs = 0;
  for (const [id, us] of selfUs) {
    const area = areaOf(fileOf(chargedFrame(id)));
    if (area === '(idle)' || area === '(program)') continue;
    const inUs = underUs.get(id) ?? 0;
    insideUs += inUs;
    if (inUs > 0) inside.set(area, (inside.get(area) ?? 0) + inUs);
    if (us - inUs > 0) outside.set(area, (outside.get(area) ?? 0) + us - inUs);
  }
  console.log(
    `\ninside ${under}() (the caller's path): ${(insideUs / 1000).toFixed(0)} ms${ops ? `, ${(insideUs / ops).toFixed(2)} µs/op` : ''}; ` +
      `outside: ${((busy - insideUs) / 1000).toFixed(0)} ms${ops ? `, ${((busy - insideUs) / ops).toFixed(2)} µs/op` : ''}`,
  );
  print(`by area, inside ${under}()`, inside, 20);
  print(`by area, outside ${under}() (timers, I/O callbacks, GC between calls)`, outside, 20);
}
