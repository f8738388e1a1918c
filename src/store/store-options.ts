import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { nodeStoreFs, type StoreFs } from './store-fs.js';

/** Options of the local JSONL store. Every option is optional; defaults are documented. */
export interface StoreOptions {
  /**
   * Where the store lives: its directory is the store, its base name (minus `.jsonl`) is the stem
   * of every file name. Each process writes its own files there (see docs/store.md).
   * @default '.error-insight/errors.jsonl' (relative to the current directory)
   */
  logFile?: string;
  /** Records per file before rotating (the original specification's `max_logs`). @default 1000 */
  maxLogs?: number;
  /** Also rotate when a file would exceed this many bytes (a single larger record still goes whole). @default 16 MiB */
  maxFileBytes?: number;
  /** Also rotate at local midnight (DST-safe). @default true */
  rotateDaily?: boolean;
  /** Files last written more than this many days ago are removed. 0 keeps files forever. @default 30 */
  retentionDays?: number;
  /** Cap on the whole store: the oldest closed files go first. 0 means no cap. @default 512 MiB */
  maxTotalBytes?: number;
  /** Flush on a short unref'd timer. @default true */
  autoFlush?: boolean;
  /** @default 1000 */
  flushIntervalMs?: number;
  /** Flush as soon as this many records are pending. @default 100 */
  batchSize?: number;
  /** Bounded memory queue while the disk fails; records beyond it are dropped and counted. @default 10000 */
  maxBufferedRecords?: number;
  /** The same queue's cap in bytes (approximately: UTF-16 length of the lines), so large records cannot exhaust memory. @default 64 MiB */
  maxBufferedBytes?: number;
  /** Gzip files once closed by rotation. @default false */
  gzip?: boolean;
  /** Flush synchronously on `exit`, SIGINT and SIGTERM. @default true */
  handleExit?: boolean;
  /** How often retention runs (besides at start and after each rotation). Any length; long delays are chunked. @default 6 h */
  retentionIntervalMs?: number;
  /**
   * Upper bound of one write call. Each chunk is encoded on the main thread in one go: 4 MiB took
   * 15–20 ms here (a stall), 256 KiB well under a millisecond, and smaller steps let a storm
   * outrun the writer. @default 256 KiB
   */
  maxWriteBytes?: number;
  /**
   * Write each record synchronously as it is appended. A worker thread ended by
   * `worker.terminate()` runs no exit handler, so there nothing waits in memory.
   * @default true in worker threads, false on the main thread
   */
  writeThrough?: boolean;
  /** Clock (epoch ms), for tests. @default Date.now */
  now?: () => number;
  /** File-system port, for fault-injection tests. @default the real `node:fs` */
  fs?: StoreFs;
  /** Where the one-time diagnostics go. @default writes to process.stderr */
  warn?: (message: string) => void;
}

/** {@link StoreOptions} with every default applied and every path resolved. */
export interface ResolvedStoreOptions {
  logFile: string;
  /** Set when the default path cannot hold a store (a file or symlink stands in its way). */
  unusablePath?: string;
  dir: string;
  stem: string;
  maxLogs: number;
  maxFileBytes: number;
  rotateDaily: boolean;
  retentionDays: number;
  maxTotalBytes: number;
  autoFlush: boolean;
  flushIntervalMs: number;
  batchSize: number;
  maxBufferedRecords: number;
  maxBufferedBytes: number;
  gzip: boolean;
  handleExit: boolean;
  retentionIntervalMs: number;
  maxWriteBytes: number;
  writeThrough: boolean;
  now: () => number;
  fs: StoreFs;
  warn: (message: string) => void;
}

const MIB = 1024 * 1024;

/** Defaults of {@link StoreOptions}. */
export const DEFAULT_STORE_OPTIONS = {
  logFile: '.error-insight/errors.jsonl',
  maxLogs: 1000,
  maxFileBytes: 16 * MIB,
  rotateDaily: true,
  retentionDays: 30,
  maxTotalBytes: 512 * MIB,
  autoFlush: true,
  flushIntervalMs: 1000,
  batchSize: 100,
  maxBufferedRecords: 10_000,
  maxBufferedBytes: 64 * MIB,
  gzip: false,
  handleExit: true,
  retentionIntervalMs: 6 * 60 * 60 * 1000,
  maxWriteBytes: 256 * 1024,
} as const;

function writeStderr(message: string): void {
  try {
    process.stderr.write(`error-insight store: ${message}\n`);
  } catch {
    // The diagnostic sink itself failing (EPIPE, ENOSPC) must not reach the host.
  }
}

function integer(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isInteger(value)) {
    throw new TypeError(`store option ${name} must be an integer, got ${String(value)}`);
  }
  if (value < min) throw new RangeError(`store option ${name} must be >= ${min}, got ${value}`);
  return value;
}

function nonNegative(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`store option ${name} must be a number, got ${String(value)}`);
  }
  if (value < 0) throw new RangeError(`store option ${name} must be >= 0, got ${value}`);
  return value;
}

function bool(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`store option ${name} must be a boolean`);
  return value;
}

const STEM_PATTERN = /^[\p{L}\p{N}_.-]{1,100}$/u;

/**
 * Checks the log path's text: no `..` segment (say where you mean with an absolute path), no
 * NUL, a plain base name. Throws for a bad value; the file system is looked at separately.
 */
function resolveLogFile(raw: unknown): { logFile: string; dir: string; stem: string } {
  if (typeof raw !== 'string' || raw.length === 0)
    throw new TypeError('store option logFile must be a non-empty string');
  if (raw.includes('\0')) throw new TypeError('store option logFile must not contain NUL');
  if (raw.split(/[\\/]/).includes('..')) {
    throw new RangeError(
      `store option logFile must not contain '..' segments (got ${JSON.stringify(raw)}); use an absolute path`,
    );
  }
  const logFile = path.resolve(raw);
  const base = path.basename(logFile);
  const stem = base.endsWith('.jsonl') ? base.slice(0, -'.jsonl'.length) : base;
  if (!STEM_PATTERN.test(stem)) {
    throw new TypeError(
      `store option logFile: file name ${JSON.stringify(base)} must be letters, digits, '_', '-' or '.' (up to 100)`,
    );
  }
  return { logFile, dir: path.dirname(logFile), stem };
}

/**
 * Why the store cannot live at this path, or `undefined` when it can: neither the file nor the
 * directory may be a symlink (a planted symlink would make us write into its target), nor a
 * directory stand where the file should be, nor a file where the directory should be. A path
 * that does not exist yet is fine (it is created); EACCES and other I/O problems are not a
 * verdict on the path (the store runs degraded and retries instead).
 */
export function storePathProblem(logFile: string, dir: string): string | undefined {
  for (const [p, what] of [
    [logFile, 'logFile'],
    [dir, 'store directory'],
  ] as const) {
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') return `a parent of ${p} is not a directory`;
      continue;
    }
    if (st.isSymbolicLink()) {
      return `${what} ${p} is a symbolic link; refusing to follow it (point logFile at the real path)`;
    }
    if (p === logFile && st.isDirectory()) return `logFile ${p} is a directory`;
    if (p === dir && !st.isDirectory()) return `store directory ${p} is not a directory`;
  }
  return undefined;
}

/** Applies defaults and validates; throws `TypeError`/`RangeError` on a bad value. */
export function resolveStoreOptions(options: StoreOptions = {}): ResolvedStoreOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('store options must be an object');
  const d = DEFAULT_STORE_OPTIONS;
  if (options.now !== undefined && typeof options.now !== 'function')
    throw new TypeError('store option now must be a function');
  if (options.warn !== undefined && typeof options.warn !== 'function') {
    throw new TypeError('store option warn must be a function');
  }
  const where = resolveLogFile(options.logFile ?? d.logFile);
  const problem = storePathProblem(where.logFile, where.dir);
  // A path the application chose is its mistake to hear about at the call; the default path is
  // only ours, and something else standing there must not break the application.
  if (problem !== undefined && options.logFile !== undefined) throw new TypeError(`store option ${problem}`);
  return {
    ...where,
    ...(problem === undefined ? {} : { unusablePath: problem }),
    maxLogs: integer('maxLogs', options.maxLogs, d.maxLogs, 1),
    maxFileBytes: integer('maxFileBytes', options.maxFileBytes, d.maxFileBytes, 1),
    rotateDaily: bool('rotateDaily', options.rotateDaily, d.rotateDaily),
    retentionDays: nonNegative('retentionDays', options.retentionDays, d.retentionDays),
    maxTotalBytes: integer('maxTotalBytes', options.maxTotalBytes, d.maxTotalBytes, 0),
    autoFlush: bool('autoFlush', options.autoFlush, d.autoFlush),
    flushIntervalMs: integer('flushIntervalMs', options.flushIntervalMs, d.flushIntervalMs, 1),
    batchSize: integer('batchSize', options.batchSize, d.batchSize, 1),
    maxBufferedRecords: integer('maxBufferedRecords', options.maxBufferedRecords, d.maxBufferedRecords, 1),
    maxBufferedBytes: integer('maxBufferedBytes', options.maxBufferedBytes, d.maxBufferedBytes, 1024),
    gzip: bool('gzip', options.gzip, d.gzip),
    handleExit: bool('handleExit', options.handleExit, d.handleExit),
    retentionIntervalMs: integer(
      'retentionIntervalMs',
      options.retentionIntervalMs,
      d.retentionIntervalMs,
      1000,
    ),
    maxWriteBytes: integer('maxWriteBytes', options.maxWriteBytes, d.maxWriteBytes, 1024),
    writeThrough: bool('writeThrough', options.writeThrough, !isMainThread),
    now: options.now ?? Date.now,
    fs: options.fs ?? nodeStoreFs,
    warn: options.warn ?? writeStderr,
  };
}
