/**
 * V8 stack trace parsing for grouping: keeps what survives a redeploy and a move to another
 * machine (function name, file relative to the project root) and drops what does not (line,
 * column, absolute paths). With `node --enable-source-maps` V8 already prints the mapped
 * TypeScript positions in `err.stack`, so frames come out in source files without extra work.
 */
import { cleanFunctionName, forEachFrameLine, splitFrameBody } from './frame-lines.js';

/** One stack frame as grouping sees it. */
export interface StackFrame {
  /** Function name as V8 printed it, without `async ` and ` [as alias]`; `<anonymous>` when none. */
  function: string;
  /** File relative to the project root with `/` separators; see {@link parseStackFrames}. */
  file: string;
  /** False for `node_modules`, `node:` and `internal/` modules, and frames without a file. */
  inApp: boolean;
}

/** At most this many frames are parsed from one trace. */
export const MAX_PARSED_FRAMES = 64;

/**
 * Parsed frames by their line, for one project root: the same sites throw again and again, and a
 * lookup costs a fraction of a parse. Cleared when full or when the root changes. Frames are
 * frozen, since they are shared.
 */
const FRAME_CACHE_SIZE = 4096;
const frameCache = new Map<string, StackFrame>();
let frameCacheRoot: string | undefined;

const LOCATION_SUFFIX = /:\d+(?::\d+)?$/;
const EVAL_ORIGIN = /^eval at [^(]*\((.*?)\)(?:,|$)/;
const MORE_FRAMES = /^\.\.\. \d+ more/;

/** Lines other than `...` and `... N more` end the frame block. */
function endsV1Block(line: string): boolean {
  return line !== '...' && !MORE_FRAMES.test(line);
}

/** Path with `/` separators and no trailing slash, for prefix comparison. */
export function toSlashes(path: string): string {
  const s = path.replace(/\\/g, '/');
  return s.length > 1 && s.endsWith('/') ? s.slice(0, -1) : s;
}

/** A `file://` URL as a path (percent-decoded, no leading slash before a drive letter). */
export function decodeFileUrl(location: string): string {
  if (!location.startsWith('file://')) return location;
  let rest = location.slice('file://'.length);
  // file:///C:/x → C:/x
  if (/^\/[a-z]:\//i.test(rest)) rest = rest.slice(1);
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

/**
 * The stable form of a file: past the last `node_modules/` for dependencies (`pkg/lib/x.js`, the
 * same however they are installed, hoisted or not); relative to the root when inside it;
 * otherwise the last three path segments, so a wrong root still yields machine-independent names.
 */
export function relativeFile(path: string, root: string): string {
  const p = toSlashes(path);
  const nm = p.lastIndexOf('/node_modules/');
  if (nm !== -1) return p.slice(nm + '/node_modules/'.length);
  if (root !== '' && (p.startsWith(root + '/') || (root === '/' && p.startsWith('/')))) {
    return root === '/' ? p.slice(1) : p.slice(root.length + 1);
  }
  if (!p.includes('/')) return p;
  const parts = p.split('/').filter((x) => x !== '');
  return parts.slice(-3).join('/');
}

function parseLine(body: string, root: string): StackFrame | undefined {
  const split = splitFrameBody(body);
  const fn = cleanFunctionName(split.rawFunction);
  let location = split.location;
  const evalOrigin = EVAL_ORIGIN.exec(location);
  if (evalOrigin?.[1] !== undefined) location = evalOrigin[1];

  location = location.replace(LOCATION_SUFFIX, '');
  if (location === '' || location === 'native' || location === '<anonymous>' || location.startsWith('<')) {
    return { function: fn, file: location || '<unknown>', inApp: false };
  }
  if (location.startsWith('node:') || location.startsWith('internal/')) {
    return { function: fn, file: location, inApp: false };
  }
  const path = decodeFileUrl(location);
  const slashed = toSlashes(path);
  return {
    function: fn,
    file: relativeFile(path, root),
    inApp: !slashed.includes('/node_modules/') && !slashed.startsWith('node_modules/'),
  };
}

/**
 * Parses the frames of a V8 stack trace (`    at fn (file:line:col)`, `    at file:line:col`,
 * `async`, `new`, `[as alias]`, `eval at …`, `file://` URLs, Windows paths). Stops at the end of
 * the first frame block, so a `Caused by:` section that follows does not leak into the frames.
 * Stops early once `maxInApp` in-app frames were found. Never throws; lines that are not frames
 * are skipped.
 */
export function parseStackFrames(
  stacktrace: string,
  projectRoot: string,
  maxInApp: number = MAX_PARSED_FRAMES,
): StackFrame[] {
  const frames: StackFrame[] = [];
  if (typeof stacktrace !== 'string' || stacktrace === '') return frames;
  const root = projectRoot ? toSlashes(decodeFileUrl(projectRoot)) : '';
  if (root !== frameCacheRoot) {
    frameCache.clear();
    frameCacheRoot = root;
  }
  let inApp = 0;
  forEachFrameLine(stacktrace, endsV1Block, (line) => {
    let frame = frameCache.get(line);
    if (frame === undefined) {
      frame = parseLine(line.slice(3), root);
      if (frame !== undefined) {
        if (frameCache.size >= FRAME_CACHE_SIZE) frameCache.clear();
        frameCache.set(line, Object.freeze(frame));
      }
    }
    if (frame === undefined) return true;
    frames.push(frame);
    return !(frame.inApp && ++inApp >= maxInApp) && frames.length < MAX_PARSED_FRAMES;
  });
  return frames;
}
