/**
 * The lines of the files that stack frames point at, read once per file, and their source maps,
 * so a frame of compiled code yields the line of its original source whether or not Node runs
 * with `--enable-source-maps`. Reads are synchronous but bounded: each file is read at most once
 * while it stays in a cache bounded in files and bytes, files over {@link MAX_FILE_BYTES} are
 * not read, and a file that cannot be read is remembered as such. Only the engine's completion
 * step calls this, never the caller's path.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';

/** Files larger than this (bundles, generated code) are not read: their lines say little. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * Only files named as code are read, and source maps as `.map`: a stack is text that a thrown
 * object can carry from anywhere, and a made-up frame must not copy `/etc/passwd` or `.env`
 * into a record.
 */
const CODE_FILE = /\.(?:[cm]?[jt]sx?|vue|svelte)$/i;
const MAP_FILE = /\.map$/i;

/** Errors after which a file may be readable later: not remembered as unreadable. */
const TRANSIENT = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EINTR', 'EBUSY', 'ENOMEM', 'EIO']);
/** Files and source maps kept at once, and the characters they may hold together. */
export const MAX_CACHED_FILES = 256;
export const MAX_CACHED_CHARS = 16 * 1024 * 1024;

/** A position in an original source, found through a source map. */
export interface OriginalPosition {
  /** Absolute path of the original source, `/` separators. */
  path: string;
  line: number;
  column: number;
}

type TraceMapModule = typeof import('@jridgewell/trace-mapping');
interface MapEntry {
  map: InstanceType<TraceMapModule['TraceMap']>;
  lib: TraceMapModule;
}

let traceMapping: TraceMapModule | null | undefined;

/** The source map library, loaded on the first source map met (synchronously: completion is). */
function loadTraceMapping(): TraceMapModule | null {
  if (traceMapping !== undefined) return traceMapping;
  try {
    traceMapping = createRequire(import.meta.url)('@jridgewell/trace-mapping') as TraceMapModule;
  } catch {
    traceMapping = null;
  }
  return traceMapping;
}

interface Cached {
  lines: string[] | null;
  /** The file's source map: undefined until looked for, null when it has none. */
  map?: MapEntry | null;
  chars: number;
}

const SOURCE_MAP_URL = /\/\/[#@]\s*sourceMappingURL=([^\s'"]+)\s*$/;

/** Counters, for the benchmark and tests. */
export interface SourceFileStats {
  reads: number;
  cached: number;
  cachedChars: number;
  /** Reads that failed for a passing reason (out of file descriptors…): tried again next time. */
  transientFailures: number;
}

/** Bounded cache of file lines and source maps by absolute path. */
export class SourceFiles {
  private readonly files = new Map<string, Cached>();
  private chars = 0;
  private reads = 0;
  private transient = 0;

  constructor(
    private readonly maxFiles = MAX_CACHED_FILES,
    private readonly maxChars = MAX_CACHED_CHARS,
    /** False: reads no file at all (every file is unreadable to it). */
    private readonly reading = true,
  ) {}

  stats(): SourceFileStats {
    return {
      reads: this.reads,
      cached: this.files.size,
      cachedChars: this.chars,
      transientFailures: this.transient,
    };
  }

  clear(): void {
    this.files.clear();
    this.chars = 0;
  }

  /** The lines of a file (without line ends), or undefined when it cannot be read. */
  lines(path: string): readonly string[] | undefined {
    return this.entry(path).lines ?? undefined;
  }

  /** Where a 1-based line and column of `path` come from, through the file's source map. */
  original(path: string, line: number, column: number): OriginalPosition | undefined {
    const entry = this.entry(path);
    let m = entry.map;
    if (m === undefined) {
      const before = this.transient;
      m = this.loadMap(path, entry);
      if (this.transient === before) entry.map = m;
    }
    if (m === null) return undefined;
    try {
      const pos = m.lib.originalPositionFor(m.map, { line, column: Math.max(0, column - 1) });
      if (pos.source === null || pos.line === null) return undefined;
      const source = pos.source.startsWith('file://') ? decodeURIComponent(pos.source.slice(7)) : pos.source;
      const abs = isAbsolute(source) ? source : resolve(dirname(path), source);
      const original = abs.replace(/\\/g, '/');
      // A source that is not on disk may travel inside the map.
      if (this.entry(original).lines === null) {
        const content = m.lib.sourceContentFor(m.map, pos.source);
        if (typeof content === 'string')
          this.put(original, { lines: splitLines(content), chars: content.length });
      }
      return { path: original, line: pos.line, column: (pos.column ?? 0) + 1 };
    } catch {
      return undefined;
    }
  }

  private entry(path: string): Cached {
    const known = this.files.get(path);
    if (known !== undefined) {
      // Recently used goes last; the cache holds few files, so the move is cheap.
      this.files.delete(path);
      this.files.set(path, known);
      return known;
    }
    const before = this.transient;
    const text = this.read(path, CODE_FILE);
    const entry: Cached = { lines: text === undefined ? null : splitLines(text), chars: text?.length ?? 0 };
    // A passing failure is not remembered: the next error from this file tries again.
    return this.transient === before ? this.put(path, entry) : entry;
  }

  private put(path: string, entry: Cached): Cached {
    const old = this.files.get(path);
    if (old !== undefined) {
      this.chars -= old.chars;
      this.files.delete(path);
    }
    this.files.set(path, entry);
    this.chars += entry.chars;
    while (this.files.size > this.maxFiles || (this.chars > this.maxChars && this.files.size > 1)) {
      const oldest = this.files.keys().next();
      if (oldest.done === true) break;
      this.chars -= this.files.get(oldest.value)?.chars ?? 0;
      this.files.delete(oldest.value);
    }
    return entry;
  }

  private read(path: string, allowed: RegExp): string | undefined {
    if (!this.reading || !isAbsolute(path) || !allowed.test(path)) return undefined;
    let fd: number | undefined;
    try {
      this.reads++;
      // Non-blocking: a FIFO named like a script must not hang the process.
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      const st = fstatSync(fd);
      if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
      const size = st.size;
      const buf = Buffer.allocUnsafe(size);
      let off = 0;
      while (off < size) {
        const n = readSync(fd, buf, off, size - off, off);
        if (n <= 0) break;
        off += n;
      }
      return buf.toString('utf8', 0, off);
    } catch (err) {
      if (TRANSIENT.has((err as NodeJS.ErrnoException)?.code ?? '')) this.transient++;
      return undefined;
    } finally {
      if (fd !== undefined) {
        try {
          closeSync(fd);
        } catch {
          // Nothing to do: the read is over either way.
        }
      }
    }
  }

  /** Passing read failures so far; a caller caching what it derived from reads compares it. */
  get transientFailures(): number {
    return this.transient;
  }

  private loadMap(path: string, entry: Cached): MapEntry | null {
    const lines = entry.lines;
    if (lines === null) return null;
    // The comment is the last non-empty line of a compiled file.
    let url: string | undefined;
    for (let i = lines.length - 1; i >= 0 && i >= lines.length - 5; i--) {
      const m = SOURCE_MAP_URL.exec(lines[i]!);
      if (m !== null) {
        url = m[1];
        break;
      }
    }
    if (url === undefined) return null;
    const lib = loadTraceMapping();
    if (lib === null) return null;
    try {
      let json: string | undefined;
      let mapPath = path;
      const inline = /^data:application\/json[^,]*?(;base64)?,/.exec(url);
      if (inline !== null) {
        const payload = url.slice(inline[0].length);
        json = inline[1] ? Buffer.from(payload, 'base64').toString('utf8') : decodeURIComponent(payload);
      } else {
        const target = url.startsWith('file://') ? decodeURIComponent(url.slice(7)) : decodeURIComponent(url);
        mapPath = isAbsolute(target) ? target : resolve(dirname(path), target);
        json = this.read(mapPath, MAP_FILE);
        if (json === undefined) return null;
      }
      const map = new lib.TraceMap(json, mapPath.replace(/\\/g, '/'));
      entry.chars += json.length;
      this.chars += json.length;
      return { map, lib };
    } catch {
      return null;
    }
  }
}

function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** The cache the engine and `fingerprintException` share by default. */
export const sharedSourceFiles = new SourceFiles();
