import * as fs from 'node:fs';
import * as path from 'node:path';
import { createGunzip } from 'node:zlib';
import { expandSharedStack } from '../engine/stack-sharing.js';
import type { ErrorRecord } from '../record.js';
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

/** A line's text; a file truncated underneath its writer (copytruncate) gets NULs before it. */
function lineText(line: Buffer): string {
  let start = 0;
  while (start < line.length && line[start] === 0) start++;
  return line.toString('utf8', start);
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

function isBlank(line: Buffer): boolean {
  for (const b of line) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}

async function* readFileLines(file: string, stats: StoreReadStats): AsyncGenerator<Buffer | null> {
  const raw = fs.createReadStream(file);
  const source = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  if (source !== raw) raw.on('error', (err) => source.destroy(err));
  let carry: Buffer[] = [];
  let carryLen = 0;
  let oversize = false;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      let start = 0;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, start)) {
        if (oversize) {
          // null marks a line too long to hold: counted, never buffered.
          yield null;
        } else {
          yield carryLen > 0 ? Buffer.concat([...carry, chunk.subarray(start, i)]) : chunk.subarray(start, i);
        }
        carry = [];
        carryLen = 0;
        oversize = false;
        start = i + 1;
      }
      if (start < chunk.length && !oversize) {
        carry.push(chunk.subarray(start));
        carryLen += chunk.length - start;
        if (carryLen > MAX_STORE_LINE_BYTES) {
          oversize = true;
          carry = [];
          carryLen = 0;
        }
      }
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
  for (const p of Array.isArray(paths) ? paths : [paths]) {
    const st = await fs.promises.stat(p);
    if (st.isDirectory()) {
      for (const file of await listStoreFiles(p)) yield* readStoreFile(file, filters, stats);
    } else {
      yield* readListedFile(p, filters, stats);
    }
  }
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
  const actual = await existingVariant(file);
  if (actual !== undefined) yield* readListedFile(actual, filters, stats);
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

async function* readListedFile(
  file: string,
  filters: StoreReadFilters,
  stats: StoreReadStats,
): AsyncGenerator<ErrorRecord> {
  stats.files++;
  const stacks = new Map<string, unknown>();
  for await (const line of readFileLines(file, stats)) {
    if (line !== null && isBlank(line)) continue;
    stats.lines++;
    const text = line === null ? undefined : lineText(line);
    const rec = text === undefined ? undefined : parseRecord(text);
    // A repeat whose base line is not in the file cannot be rebuilt: unreadable, like a torn line.
    if (!rec || !expandSharedStack(rec, stacks, MAX_STACKS_PER_FILE, text)) {
      stats.corruptLines++;
      continue;
    }
    if (!matches(rec, filters)) continue;
    stats.records++;
    yield rec;
  }
}
