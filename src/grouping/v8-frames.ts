/**
 * V8 stack frames with their positions, for fingerprint version 2 and source context. Unlike
 * the version 1 parser (stack-frames.ts, kept as it is so version 1 fingerprints never change),
 * this one keeps the absolute path, line and column of each frame, and names V8's pseudo-frames
 * for what they are instead of reading their parenthesis as a file name.
 */
import { cleanFunctionName, forEachFrameLine, splitFrameBody } from './frame-lines.js';
import { decodeFileUrl } from './stack-frames.js';

/** What a frame stands for. Only `source` frames can be in-app and have a line to read. */
export type FrameKind =
  /** A position in a file (`/app/job.js:3:9`, `file:///app/job.mjs:3:9`). */
  | 'source'
  /** `at async Promise.all (index 3)`: the member of a promise combinator that rejected. */
  | 'promise-combinator'
  /** Built-ins without a position: `new Promise (<anonymous>)`, `Array.map (<anonymous>)`, `native`. */
  | 'native'
  /** Node's own modules: `node:fs`, `node:internal/…`, `internal/…`. */
  | 'node'
  /** Code run by `eval` or `new Function`: its lines are not in any file. */
  | 'eval'
  /** WebAssembly. */
  | 'wasm';

/** One parsed frame. */
export interface V8Frame {
  kind: FrameKind;
  /** Function as V8 printed it, without `async ` and ` [as alias]`; `<anonymous>` when none. */
  function: string;
  /** Absolute path with `/` separators (`source` frames), else the location as printed. */
  path: string;
  /** 1-based line and column (`source` frames). */
  line?: number;
  column?: number;
  /** Member index of a `promise-combinator` frame. */
  index?: number;
  /** False for dependencies (`node_modules`) and every frame that is not `source`. */
  inApp: boolean;
}

const POSITION = /:(\d+):(\d+)$/;
const LINE_ONLY = /:(\d+)$/;
const COMBINATOR = /^Promise\.(?:all|allSettled|any|race)$/;
const COMBINATOR_INDEX = /^index (\d+)$/;

/** At most this many frames are parsed from one trace. */
export const MAX_V8_FRAMES = 64;

/** Parses the text after `at ` of one frame line. */
export function parseV8FrameBody(body: string): V8Frame {
  const { rawFunction, location } = splitFrameBody(body);
  const fn = cleanFunctionName(rawFunction);
  if (location.startsWith('eval at ')) return { kind: 'eval', function: fn, path: location, inApp: false };
  const combinator = COMBINATOR_INDEX.exec(location);
  if (combinator !== null && COMBINATOR.test(fn))
    return { kind: 'promise-combinator', function: fn, path: '', index: Number(combinator[1]), inApp: false };
  if (location === '' || location === 'native' || location.startsWith('<') || combinator !== null)
    return { kind: 'native', function: fn, path: location, inApp: false };
  if (location.startsWith('node:') || location.startsWith('internal/'))
    return { kind: 'node', function: fn, path: location.replace(POSITION, ''), inApp: false };
  if (location.startsWith('wasm://')) return { kind: 'wasm', function: fn, path: location, inApp: false };
  let line: number | undefined;
  let column: number | undefined;
  let file = location;
  const pos = POSITION.exec(location);
  if (pos !== null) {
    line = Number(pos[1]);
    column = Number(pos[2]);
    file = location.slice(0, pos.index);
  } else {
    const lineOnly = LINE_ONLY.exec(location);
    if (lineOnly !== null) {
      line = Number(lineOnly[1]);
      file = location.slice(0, lineOnly.index);
    }
  }
  const path = decodeFileUrl(file).replace(/\\/g, '/');
  const frame: V8Frame = {
    kind: 'source',
    function: fn,
    path,
    inApp: !path.includes('/node_modules/') && !path.startsWith('node_modules/'),
  };
  if (line !== undefined) frame.line = line;
  if (column !== undefined) frame.column = column;
  return frame;
}

/** Lines that start with `…` or `...` (elisions, `... 3 more`) do not end the frame block. */
function endsV2Block(line: string): boolean {
  return !line.startsWith('…') && !line.startsWith('...');
}

/**
 * The frames of the first frame block of a V8 stack trace (a `Caused by:` section or an
 * appended stack after it is not read). Never throws; lines that are not frames are skipped.
 */
export function parseV8Frames(stacktrace: string): V8Frame[] {
  const frames: V8Frame[] = [];
  if (typeof stacktrace !== 'string') return frames;
  forEachFrameLine(stacktrace, endsV2Block, (line) => {
    frames.push(parseV8FrameBody(line.slice(3)));
    return frames.length < MAX_V8_FRAMES;
  });
  return frames;
}
