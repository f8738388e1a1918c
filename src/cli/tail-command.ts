/**
 * `error-insight tail`: follows the store and prints each new record on one readable line.
 * It polls file sizes rather than using fs.watch, which misses appends on some filesystems
 * (network mounts, some containers) and fires per write; a poll every half second is cheap.
 * Bytes are kept until a newline arrives, so a record written in two chunks prints once, whole.
 */
import { open, stat } from 'node:fs/promises';
import { expandSharedStack } from '../engine/stack-sharing.js';
import type { ErrorRecord } from '../record.js';
import { compileRecordFilter } from '../report/record-filter.js';
import { type ResolvedTraceLinks, resolveTraceLinks, traceLink } from '../report/trace-link.js';
import { cutDeepInPlace, mayNestDeeper } from '../store/depth-bound.js';
import { listStoreFiles } from '../store/read-store.js';
import { serializeRecordLine } from '../store/record-line.js';
import type { CliFlagValues } from './cli-flags.js';
import { DEFAULT_STORE_DIR, filtersFromFlags } from './cli-source.js';
import { watchStdoutReader } from './stdout-reader-watch.js';
import { escapeTerminalText as esc } from './terminal-text.js';
import { traceLinkOptionsFromFlags } from './trace-link-flags.js';

const DEFAULT_INTERVAL_MS = 500;
const MAX_READ_BYTES = 4 * 1024 * 1024;

interface Cursor {
  offset: number;
  carry: Buffer;
  /** Shared stack frames of this file, to expand its compact repeats (as readStore does). */
  stacks: Map<string, unknown>;
}

/** Fingerprints whose shared frames tail remembers per file (the store's own bound). */
const MAX_STACKS_PER_FILE = 10_000;

function newCursor(): Cursor {
  return { offset: 0, carry: Buffer.alloc(0), stacks: new Map() };
}

/** Parses a line; a line that is not a record gives undefined. Shared stacks are expanded. */
function parseLine(line: Buffer, cursor: Cursor): ErrorRecord | undefined {
  let record: ErrorRecord;
  const text = line.toString('utf8');
  try {
    record = JSON.parse(text) as ErrorRecord;
  } catch {
    return undefined;
  }
  if (record === null || typeof record !== 'object') return undefined;
  // A line nested thousands deep would overflow the stack of the JSON printer (as readStore).
  if (mayNestDeeper(text)) cutDeepInPlace(record as unknown as Record<string, unknown>);
  return expandSharedStack(record, cursor.stacks, MAX_STACKS_PER_FILE, text) ? record : undefined;
}

/**
 * A cursor at the end of `file`, knowing the shared stacks written before it (the first line of
 * a fingerprint may be long before the repeats tail will print).
 */
async function cursorAtEnd(file: string): Promise<Cursor> {
  const cursor = newCursor();
  const end = (await stat(file)).size;
  while (cursor.offset < end) {
    const before = cursor.offset;
    for (const line of await readNew(file, cursor, end)) parseLine(line, cursor);
    if (cursor.offset === before) break;
  }
  cursor.carry = Buffer.alloc(0);
  cursor.offset = end;
  return cursor;
}

/** One record as one terminal line; every value escaped. */
export function formatTailLine(r: ErrorRecord, links?: ResolvedTraceLinks): string {
  const parts = [
    esc(String(r.time)),
    esc(String(r.classification?.severity ?? '?')).padEnd(8),
    esc(r.phase ?? '-'),
    esc(String(r.classification?.category ?? '?')),
    `${esc(String(r.exception?.type ?? 'Error'))}: ${esc(String(r.exception?.message ?? ''))}`,
    `[${esc(String(r.fingerprint ?? '')).slice(0, 12)} #${Number(r.occurrence) || 1}]`,
  ];
  if (r.videoHash !== undefined) parts.push(`video=${esc(String(r.videoHash))}`);
  const url = traceLink(links, typeof r.trace?.traceId === 'string' ? r.trace.traceId : undefined);
  if (url !== undefined) parts.push(`trace=${esc(url)}`);
  return `${parts.join(' ')}\n`;
}

async function readNew(file: string, cursor: Cursor, upTo?: number): Promise<Buffer[]> {
  const size = upTo ?? (await stat(file)).size;
  if (size < cursor.offset) {
    cursor.offset = 0;
    cursor.carry = Buffer.alloc(0);
  }
  if (size === cursor.offset) return [];
  const handle = await open(file, 'r');
  try {
    const length = Math.min(size - cursor.offset, MAX_READ_BYTES);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, cursor.offset);
    cursor.offset += bytesRead;
    let data = Buffer.concat([cursor.carry, buffer.subarray(0, bytesRead)]);
    const lines: Buffer[] = [];
    let nl = data.indexOf(0x0a);
    while (nl !== -1) {
      lines.push(data.subarray(0, nl));
      data = data.subarray(nl + 1);
      nl = data.indexOf(0x0a);
    }
    cursor.carry = Buffer.from(data);
    return lines;
  } finally {
    await handle.close();
  }
}

/** Runs the command until interrupted or `--limit` records were printed; resolves to the exit code. */
export async function runTailCommand(flags: CliFlagValues): Promise<number> {
  const dirs = flags.store ?? [DEFAULT_STORE_DIR];
  for (const dir of dirs) {
    const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
      throw Object.assign(new Error(`store not found: ${dir}`), { code: error.code ?? 'ENOENT' });
    });
    if (!info.isDirectory())
      throw Object.assign(new Error(`store is not a directory: ${dir}`), { code: 'ENOTDIR' });
  }
  const links = resolveTraceLinks(traceLinkOptionsFromFlags(flags));
  const matches = compileRecordFilter(filtersFromFlags(flags));
  const accepts = (record: ErrorRecord) => {
    try {
      return matches === undefined || matches(record);
    } catch {
      return false;
    }
  };
  const interval = flags.interval ?? DEFAULT_INTERVAL_MS;
  const cursors = new Map<string, Cursor>();
  let printed = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    wake?.();
  };
  // A closed pipe (`tail | head -n 1`) ends the command quietly, not with an 'error' stack trace.
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.stderr.write(`error-insight: stdout: ${esc(error.message)}\n`);
    stop();
  };
  process.stdout.on('error', onStdoutError);
  const stopWatching = watchStdoutReader(stop);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const files = async () =>
    (await Promise.all(dirs.map((d) => listStoreFiles(d)))).flat().filter((f) => !f.endsWith('.gz'));
  for (const file of await files()) {
    cursors.set(file, flags.fromStart ? newCursor() : await cursorAtEnd(file));
  }
  process.stderr.write(
    `error-insight: following ${cursors.size} file${cursors.size === 1 ? '' : 's'} in ${dirs.map(esc).join(', ')} (Ctrl-C to stop)\n`,
  );
  try {
    while (!stopped) {
      for (const file of await files()) {
        let cursor = cursors.get(file);
        if (cursor === undefined) {
          cursor = newCursor();
          cursors.set(file, cursor);
        }
        const lines = await readNew(file, cursor).catch(() => []);
        for (const line of lines) {
          if (stopped) break;
          const record = parseLine(line, cursor);
          if (record === undefined || !accepts(record)) continue;
          process.stdout.write(flags.json ? serializeRecordLine(record) : formatTailLine(record, links));
          printed++;
          if (flags.limit !== undefined && printed >= flags.limit) return 0;
        }
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, interval);
      });
    }
    return 0;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    stopWatching();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.stdout.off('error', onStdoutError);
  }
}
