import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandSharedStack } from '../engine/stack-sharing.js';
import type { ErrorRecord } from '../record.js';
import { cutDeepInPlace, mayNestDeeper } from './depth-bound.js';
import { RepeatBases } from './repeat-bases.js';
import { expandRepeat, isRepeatLine } from './repeat-line.js';
import { compareStoreFileNames, parseStoreFileName, type StoreFileName } from './store-file-name.js';

/** Which records {@link readStore} yields. Times compare with the record's `time`; both bounds inclusive. */
export interface StoreReadFilters {
  since?: Date;
  until?: Date;
  phase?: string;
  fingerprint?: string;
  /** `classification.category`. */
  category?: string;
}

/** What {@link readStore} saw; updated in place while it streams. */
export interface StoreReadStats {
  /** Files opened. */
  files: number;
  /** Non-empty lines read, including corrupt ones. */
  lines: number;
  /** Records yielded (parsed and matching the filters). */
  records: number;
  /** Lines skipped: not JSON, not a record (no string `id`/`time`), too long, or torn (no final newline). */
  corruptLines: number;
  /** Records yielded cut short: nested deeper than 64 levels (the deeper values read `[depth limit]`); set once one is. */
  shortenedRecords?: number;
}

/**
 * Fills in the counters a caller left out (`{}` is a fine start), so every count is a number
 * from the first line on, and adds to the ones given.
 */
function startStats(stats: StoreReadStats): StoreReadStats {
  const s = stats as Partial<StoreReadStats>;
  s.files ??= 0;
  s.lines ??= 0;
  s.records ??= 0;
  s.corruptLines ??= 0;
  return stats;
}

/** A line longer than this is skipped and counted as corrupt rather than buffered. */
export const MAX_STORE_LINE_BYTES = 16 * 1024 * 1024;

/**
 * The store's own files in `dir` (including `.gz`), oldest first. When a file exists both plain
 * and compressed (a compression interrupted before cleanup), only the `.gz` is listed. Rejects
 * (ENOENT, ENOTDIR…) when `dir` cannot be read.
 */
export async function listStoreFiles(dir: string): Promise<string[]> {
  const names = await fs.promises.readdir(dir);
  const present = new Set(names);
  const parsed: StoreFileName[] = [];
  for (const name of names) {
    const p = parseStoreFileName(name);
    if (p && (p.gzip || !present.has(`${name}.gz`))) parsed.push(p);
  }
  return parsed.sort(compareStoreFileNames).map((p) => path.join(dir, p.name));
}

function matches(rec: ErrorRecord, f: StoreReadFilters): boolean {
  if (f.phase !== undefined && rec.phase !== f.phase) return false;
  if (f.fingerprint !== undefined && rec.fingerprint !== f.fingerprint) return false;
  if (f.category !== undefined && rec.classification?.category !== f.category) return false;
  if (f.since !== undefined || f.until !== undefined) {
    const t = Date.parse(rec.time);
    if (Number.isNaN(t)) return false;
    if (f.since !== undefined && t < f.since.getTime()) return false;
    if (f.until !== undefined && t > f.until.getTime()) return false;
  }
  return true;
}

/** A line's JSON text: a file truncated underneath its writer (copytruncate) gets NULs before it. */
function lineText(line: string): string {
  let start = 0;
  while (start < line.length && line.charCodeAt(start) === 0) start++;
  return start === 0 ? line : line.slice(start);
}

function parseRecord(text: string): ErrorRecord | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const r = v as Partial<ErrorRecord> & { repeatOf?: unknown };
    // A repeat line may leave its time to its id (see repeat-line.ts).
    return typeof r.id === 'string' && (typeof r.time === 'string' || typeof r.repeatOf === 'string')
      ? (v as ErrorRecord)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Shared stacks remembered per file while reading (the writer's bound is the same). */
const MAX_STACKS_PER_FILE = 10_000;

/** Bytes read at a time; records are handed on one chunk at a time, not one promise per record. */
const CHUNK_BYTES = 1 << 20;

/**
 * Records handed on at a time. A chunk holds about 400 records of a few KiB: parsed all at once,
 * they were still alive at most young-generation collections and got copied on into the old
 * generation before the consumer was done with them (measured: most of a report's GC time).
 */
const YIELD_RECORDS = 64;

/** Bytes decoded into one string; see readFileLineBatches. */
const DECODE_BYTES = 32 * 1024;

const BLANK = /^[ \t\r]*$/;

function splitLines(text: string, into: (string | null)[]): void {
  let from = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', from)) {
    into.push(text.slice(from, i));
    from = i + 1;
  }
  into.push(text.slice(from));
}

/** Every line starts with `{` except blank, NUL-prefixed and corrupt ones, which take the slow path. */
function isBlank(line: string): boolean {
  return line.charCodeAt(0) !== 0x7b && BLANK.test(line);
}

/**
 * The lines of one file, one array per chunk read: each chunk is decoded once and split on
 * `\n` (a UTF-8 multi-byte sequence never contains 0x0A, so a split never cuts a character). A
 * line that crosses chunks is carried as bytes; `null` stands for a line too long to hold,
 * counted and never buffered.
 */
async function* readFileLineBatches(file: string, stats: StoreReadStats): AsyncGenerator<(string | null)[]> {
  // zlib loads with the first compressed file read, not with the package.
  const gunzip = file.endsWith('.gz') ? (await import('node:zlib')).createGunzip : undefined;
  const raw = fs.createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const source = gunzip === undefined ? raw : raw.pipe(gunzip({ chunkSize: CHUNK_BYTES >> 2 }));
  if (source !== raw) raw.on('error', (err) => source.destroy(err));
  let carry: Buffer[] = [];
  let carryLen = 0;
  let oversize = false;
  const keep = (rest: Buffer) => {
    if (oversize || rest.length === 0) return;
    carry.push(rest);
    carryLen += rest.length;
    if (carryLen > MAX_STORE_LINE_BYTES) {
      oversize = true;
      carry = [];
      carryLen = 0;
    }
  };
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const first = chunk.indexOf(10);
      if (first === -1) {
        keep(chunk);
        continue;
      }
      const lines: (string | null)[] = [];
      if (oversize) lines.push(null);
      else if (carryLen > 0) lines.push(Buffer.concat([...carry, chunk.subarray(0, first)]).toString('utf8'));
      else lines.push(chunk.toString('utf8', 0, first));
      carry = [];
      carryLen = 0;
      oversize = false;
      const last = chunk.lastIndexOf(10);
      for (let start = first + 1; start <= last; ) {
        // Decoded a segment at a time: a string past V8's regular object size (128 KiB) goes to
        // the large-object space, and decoding whole 1 MiB chunks spent a third of the run in
        // that allocation and the full GCs it triggers (measured).
        let end = start + DECODE_BYTES >= last ? last : chunk.lastIndexOf(10, start + DECODE_BYTES);
        if (end < start) end = chunk.indexOf(10, start);
        splitLines(chunk.toString('utf8', start, end), lines);
        start = end + 1;
      }
      keep(chunk.subarray(last + 1));
      yield lines;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Removed by retention between listing and reading: nothing to count.
    if (code === 'ENOENT') return;
    if (code !== 'Z_BUF_ERROR' && code !== 'Z_DATA_ERROR' && code !== 'EISDIR') throw err;
    // A damaged gzip stream: its unreadable tail counts as one corrupt line.
    oversize = true;
    carry = [];
    carryLen = 0;
  } finally {
    raw.destroy();
  }
  // A last line without its newline was cut mid-write (crash, full disk): never trusted.
  if (carryLen > 0 || oversize) {
    stats.lines++;
    stats.corruptLines++;
  }
}

/**
 * Streams the records of store directories and/or single files, line by line (gzip included),
 * in file order. Corrupt and torn lines are skipped and counted in `stats`, which is mutated in
 * place so a caller can read the counts after (or while) iterating. A path that does not exist
 * makes the iteration reject with its ENOENT; a file removed by retention while listed is skipped.
 */
export async function* readStore(
  paths: string | string[],
  filters: StoreReadFilters = {},
  stats: StoreReadStats = { files: 0, lines: 0, records: 0, corruptLines: 0 },
): AsyncGenerator<ErrorRecord> {
  for await (const batch of readStoreBatches(paths, filters, stats)) yield* batch;
}

/**
 * {@link readStore} a chunk at a time: each array holds the records of one chunk read, in order.
 * For readers that handle a million records, where one promise per record costs more than the
 * record's own work.
 */
export function readStoreBatches(
  paths: string | string[],
  filters: StoreReadFilters = {},
  stats: StoreReadStats = { files: 0, lines: 0, records: 0, corruptLines: 0 },
): AsyncGenerator<ErrorRecord[]> {
  return recordsOnly(readStoreLineBatches(paths, filters, stats));
}

/**
 * Streams one file of a store listing. A writer may have compressed it (`.jsonl` → `.jsonl.gz`)
 * or retention removed it since it was listed: the compressed one is read instead, a removed one
 * is skipped. Never rejects for those; other read errors reject.
 */
export async function* readStoreFile(
  file: string,
  filters: StoreReadFilters = {},
  stats: StoreReadStats = { files: 0, lines: 0, records: 0, corruptLines: 0 },
): AsyncGenerator<ErrorRecord> {
  for await (const batch of readStoreFileBatches(file, filters, stats)) yield* batch;
}

/** {@link readStoreFile} a chunk at a time, as {@link readStoreBatches}. */
export function readStoreFileBatches(
  file: string,
  filters: StoreReadFilters = {},
  stats: StoreReadStats = { files: 0, lines: 0, records: 0, corruptLines: 0 },
): AsyncGenerator<ErrorRecord[]> {
  return recordsOnly(readStoreFileLineBatches(file, filters, stats));
}

async function existingVariant(file: string): Promise<string | undefined> {
  for (const candidate of file.endsWith('.gz') ? [file] : [file, `${file}.gz`]) {
    try {
      await fs.promises.access(candidate);
      return candidate;
    } catch {
      // gone: try the next form
    }
  }
  return undefined;
}

function hasFilters(f: StoreReadFilters): boolean {
  return (
    f.since !== undefined ||
    f.until !== undefined ||
    f.phase !== undefined ||
    f.fingerprint !== undefined ||
    f.category !== undefined
  );
}

/** Bases remembered per file: the writer keeps 10,000; the margin is for files of several writers. */
const MAX_BASES_PER_FILE = 2 * MAX_STACKS_PER_FILE;

/** Repeat bases for {@link readStoreFileLineBatches}, to share between the files of one reading. */
export function createRepeatBases(): RepeatBases {
  return new RepeatBases(MAX_BASES_PER_FILE);
}

/**
 * Records with, beside each, the line it was parsed from when the record is exactly that line's
 * parse (not rebuilt from a repeat or a shared stack, not cut for depth), else undefined: a
 * reader that keeps a few records for long can keep their text instead.
 */
export interface StoreLineBatch {
  records: ErrorRecord[];
  lines: (string | undefined)[];
}

/** {@link readStoreBatches} with each record's line (see {@link StoreLineBatch}). */
export async function* readStoreLineBatches(
  paths: string | string[],
  filters: StoreReadFilters = {},
  stats: StoreReadStats = { files: 0, lines: 0, records: 0, corruptLines: 0 },
): AsyncGenerator<StoreLineBatch> {
  startStats(stats);
  const bases = createRepeatBases();
  for (const p of Array.isArray(paths) ? paths : [paths]) {
    const st = await fs.promises.stat(p);
    if (st.isDirectory()) {
      for (const file of await listStoreFiles(p)) {
        const actual = await existingVariant(file);
        if (actual !== undefined) yield* readListedFile(actual, filters, stats, bases);
      }
    } else {
      yield* readListedFile(p, filters, stats, bases);
    }
  }
}

/** {@link readStoreFileBatches} with each record's line; `bases` may be shared by the files of one reading. */
export async function* readStoreFileLineBatches(
  file: string,
  filters: StoreReadFilters = {},
  stats: StoreReadStats = { files: 0, lines: 0, records: 0, corruptLines: 0 },
  bases = createRepeatBases(),
): AsyncGenerator<StoreLineBatch> {
  startStats(stats);
  const actual = await existingVariant(file);
  if (actual !== undefined) yield* readListedFile(actual, filters, stats, bases);
}

async function* recordsOnly(batches: AsyncGenerator<StoreLineBatch>): AsyncGenerator<ErrorRecord[]> {
  for await (const batch of batches) yield batch.records;
}

/** True when the old compact form (a stack shared with an earlier line) changes the record. */
function sharesStack(rec: ErrorRecord): boolean {
  const e = rec.exception as { stackShared?: unknown; stackRef?: unknown } | undefined;
  return e !== null && typeof e === 'object' && (e.stackShared === true || e.stackRef === true);
}

async function* readListedFile(
  file: string,
  filters: StoreReadFilters,
  stats: StoreReadStats,
  bases: RepeatBases,
): AsyncGenerator<StoreLineBatch> {
  stats.files++;
  const filtered = hasFilters(filters);
  const stacks = new Map<string, unknown>();
  bases.startFile();
  for await (const lines of readFileLineBatches(file, stats)) {
    let out: ErrorRecord[] = [];
    let texts: (string | undefined)[] = [];
    for (const line of lines) {
      if (line !== null && isBlank(line)) continue;
      stats.lines++;
      const text = line === null ? undefined : lineText(line);
      const rec = text === undefined ? undefined : parseRecord(text);
      if (rec === undefined) {
        stats.corruptLines++;
        continue;
      }
      let exact = true;
      if (mayNestDeeper(text!) && cutDeepInPlace(rec as unknown as Record<string, unknown>)) {
        stats.shortenedRecords = (stats.shortenedRecords ?? 0) + 1;
        exact = false;
      }
      const fingerprint = rec.fingerprint;
      if (typeof fingerprint === 'string' && isRepeatLine(rec)) {
        // A repeat whose base line is not in the file cannot be rebuilt: unreadable, like a torn line.
        const base = bases.base(fingerprint);
        if (!expandRepeat(rec as unknown as Record<string, unknown>, base)) {
          stats.corruptLines++;
          continue;
        }
        // Rebuilt from a base cut for depth: shortened too (counted once, with its own cut or not).
        if (base?.shortened === true && exact) stats.shortenedRecords = (stats.shortenedRecords ?? 0) + 1;
        exact = false;
      } else {
        if (typeof fingerprint === 'string') bases.remember(fingerprint, text!);
        if (sharesStack(rec)) exact = false;
        expandSharedStack(rec, stacks, MAX_STACKS_PER_FILE);
      }
      if (filtered && !matches(rec, filters)) continue;
      stats.records++;
      out.push(rec);
      texts.push(exact ? text : undefined);
      if (out.length >= YIELD_RECORDS) {
        yield { records: out, lines: texts };
        out = [];
        texts = [];
      }
    }
    if (out.length > 0) yield { records: out, lines: texts };
  }
}
