/**
 * The in-app frames of a stack trace with the lines of source around them: what fingerprint
 * version 2 hashes and what `exception.sourceContext` shows. Frames of compiled code are
 * followed through their source map, so a TypeScript service gives the same frames with and
 * without `--enable-source-maps`. Frames that repeat a function already higher in the trace
 * (recursion, at any depth) are dropped.
 */
import { fileURLToPath } from 'node:url';
import { BoundedMap } from './bounded-map.js';
import { type SourceFiles, sharedSourceFiles } from './source-files.js';
import { relativeFile, toSlashes } from './stack-frames.js';
import { parseV8Frames } from './v8-frames.js';

/** Lines shown before and after the line of a frame. */
export const CONTEXT_LINES_AROUND = 2;

/** One in-app frame, at its original position. */
export interface ContextFrame {
  function: string;
  /** File relative to the project root (the original source when a source map led there). */
  file: string;
  /** Absolute path of that file. */
  path: string;
  /** 1-based line, when the frame has one. */
  line?: number;
  /** The text of the line, when the file could be read. */
  contextLine?: string;
  pre?: readonly string[];
  post?: readonly string[];
  /** The line as fingerprint version 2 hashes it ({@link normalizeContextLine}), worked out once per site. */
  hashedLine?: string;
  /** True when a source map gave the position. */
  mapped: boolean;
}

const FRAMES_START = '\n    at ';

/**
 * This library's own modules (`…/src/` beside `grouping/`, built or not): their frames are never
 * the application's, even when the library runs from inside the project (its own examples), so a
 * failure that only error-insight's frames witnessed falls back to the message, as it does when
 * the library sits in `node_modules`.
 */
const LIBRARY_DIR = (() => {
  try {
    return toSlashes(fileURLToPath(new URL('..', import.meta.url)));
  } catch {
    return undefined;
  }
})();

function isLibraryFrame(path: string): boolean {
  return LIBRARY_DIR !== undefined && path.startsWith(`${LIBRARY_DIR}/`);
}
const CACHE_SIZE = 4096;

interface FrameCache {
  /** The root with `/` separators, as frames are named relative to it. */
  root: string;
  frames: BoundedMap<string, readonly ContextFrame[]>;
}

const caches = new WeakMap<SourceFiles, Map<string, FrameCache>>();
/** Roots and frame counts cached at once per source cache (one or two in practice). */
const MAX_CACHES = 8;

function cacheFor(files: SourceFiles, projectRoot: string, maxFrames: number): FrameCache {
  let byKey = caches.get(files);
  if (byKey === undefined) {
    byKey = new Map();
    caches.set(files, byKey);
  }
  const key = `${maxFrames}\u0000${projectRoot}`;
  let c = byKey.get(key);
  if (c === undefined) {
    const root = projectRoot
      ? toSlashes(projectRoot.startsWith('file://') ? fileURLToPath(projectRoot) : projectRoot)
      : '';
    c = { root, frames: new BoundedMap(CACHE_SIZE) };
    if (byKey.size >= MAX_CACHES) byKey.clear();
    byKey.set(key, c);
  }
  return c;
}

let lastCall:
  | {
      stacktrace: string;
      files: SourceFiles;
      projectRoot: string;
      maxFrames: number;
      frames: readonly ContextFrame[];
    }
  | undefined;

/**
 * The first `maxFrames` distinct in-app frames of `stacktrace` (first block only), each with its
 * line and the {@link CONTEXT_LINES_AROUND} lines either side when its file can be read. Cached
 * per frame text, so a site seen before costs one lookup. Never throws.
 */
export function contextFrames(
  stacktrace: string | undefined,
  projectRoot: string,
  maxFrames: number,
  files: SourceFiles = sharedSourceFiles,
): readonly ContextFrame[] {
  if (typeof stacktrace !== 'string' || maxFrames <= 0) return [];
  // The engine asks twice for one stack (fingerprint, then source context): the same string
  // object compares in O(1), sparing a second hash of the frame text.
  const last = lastCall;
  if (
    last !== undefined &&
    last.stacktrace === stacktrace &&
    last.files === files &&
    last.projectRoot === projectRoot &&
    last.maxFrames === maxFrames
  )
    return last.frames;
  const at = stacktrace.indexOf(FRAMES_START);
  if (at < 0) return [];
  try {
    const cache = cacheFor(files, projectRoot, maxFrames);
    const text = stacktrace.slice(at);
    let frames = cache.frames.use(text);
    if (frames === undefined) {
      const before = files.transientFailures;
      frames = resolveFrames(text, cache.root, maxFrames, files);
      // Lines missing for a passing reason (no file descriptor left) are looked for again next time.
      if (files.transientFailures !== before) return frames;
      cache.frames.set(text, frames);
    }
    lastCall = { stacktrace, files, projectRoot, maxFrames, frames };
    return frames;
  } catch {
    return [];
  }
}

function resolveFrames(text: string, root: string, maxFrames: number, files: SourceFiles): ContextFrame[] {
  const out: ContextFrame[] = [];
  const seen = new Set<string>();
  for (const f of parseV8Frames(text)) {
    if (!f.inApp || f.kind !== 'source' || isLibraryFrame(f.path)) continue;
    let path = f.path;
    let line = f.line;
    let mapped = false;
    if (line !== undefined && f.column !== undefined) {
      const original = files.original(path, line, f.column);
      if (original !== undefined) {
        path = original.path;
        line = original.line;
        mapped = true;
      }
    }
    // A source map may lead into a dependency bundled with the app.
    if (path.includes('/node_modules/')) continue;
    const file = relativeFile(path, root);
    // Recursion shows as one function again and again; anonymous functions of one file are told apart by line.
    const fn = hashedFunction(f.function);
    const key = fn === '<anonymous>' ? `${fn}@${file}:${line}` : `${fn}@${file}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const frame: ContextFrame = { function: f.function, file, path, mapped };
    if (line !== undefined) {
      frame.line = line;
      const lines = files.lines(path);
      if (lines !== undefined && line >= 1 && line <= lines.length) {
        frame.contextLine = lines[line - 1]!;
        const hashed = normalizeContextLine(frame.contextLine);
        if (hashed !== undefined) frame.hashedLine = hashed;
        frame.pre = lines.slice(Math.max(0, line - 1 - CONTEXT_LINES_AROUND), line - 1);
        frame.post = lines.slice(line, line + CONTEXT_LINES_AROUND);
      }
    }
    out.push(frame);
    if (out.length >= maxFrames) break;
  }
  return out;
}

/** Longest context line that takes part in a fingerprint (as Sentry: longer ones are likely minified). */
export const MAX_HASHED_LINE_CHARS = 120;

/** The context line as fingerprint version 2 hashes it: whitespace runs as one space, trimmed; undefined when unusable. */
export function normalizeContextLine(line: string | undefined): string | undefined {
  if (line === undefined || line.length > MAX_HASHED_LINE_CHARS) return undefined;
  const n = line.replace(/\s+/g, ' ').trim();
  return n === '' ? undefined : n;
}

/**
 * The function as fingerprint version 2 names it: without the receiver V8 puts before a method
 * (`Module.readDimension`, `Object.<anonymous>`, `Timeout._onTimeout`), which depends on how the
 * function was called, not on where it is (as Sentry does for JavaScript).
 */
export function hashedFunction(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 && !name.startsWith('new ') ? name.slice(dot + 1) : name;
}
