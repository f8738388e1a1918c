/**
 * Names of the store's own files. One writer process owns each file, so a name carries who wrote
 * it and in which order: `<stem>.<utc time>.<pid>-<run id>.<sequence>.jsonl[.gz]`, e.g.
 * `errors.2026-11-28T23-26-18-123Z.4242-k3j9x0ab.000001.jsonl`. The time is that of the file's
 * first record; fixed width, so names sort by time. Retention and readers act only on names that
 * match {@link STORE_FILE_PATTERN} exactly.
 */

/** Matches a store file name; groups: stem, time, pid, run id, sequence, `.gz`. */
export const STORE_FILE_PATTERN =
  /^(.+)\.(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)\.(\d{1,10})-([0-9a-z]{8})\.(\d{6,})\.jsonl(\.gz)?$/;

/** A half-written gzip of a closed store file (the compressor renames it when done). */
export const STORE_GZIP_TEMP_SUFFIX = '.gz.tmp';

/** The parts of a store file name. */
export interface StoreFileName {
  name: string;
  stem: string;
  /** Epoch ms of the time in the name. */
  time: number;
  pid: number;
  runId: string;
  sequence: number;
  gzip: boolean;
}

/** `2026-11-28T23-26-18-123Z`: ISO-8601 UTC with `-` for `:` and `.`, safe on every file system. */
export function formatFileTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[:.]/g, '-');
}

/** The name of a store file. */
export function formatStoreFileName(
  stem: string,
  time: number,
  pid: number,
  runId: string,
  seq: number,
): string {
  return `${stem}.${formatFileTime(time)}.${pid}-${runId}.${String(seq).padStart(6, '0')}.jsonl`;
}

/** Parses a store file name; `undefined` when the name is not one of the store's. */
export function parseStoreFileName(name: string): StoreFileName | undefined {
  const m = STORE_FILE_PATTERN.exec(name);
  if (!m) return undefined;
  const [, stem, t, pid, runId, seq, gz] = m as unknown as string[];
  const iso = `${t!.slice(0, 13)}:${t!.slice(14, 16)}:${t!.slice(17, 19)}.${t!.slice(20, 23)}Z`;
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return undefined;
  return {
    name,
    stem: stem!,
    time,
    pid: Number(pid),
    runId: runId!,
    sequence: Number(seq),
    gzip: gz === '.gz',
  };
}

/** Oldest first: by time in the name, then writer, then sequence. */
export function compareStoreFileNames(a: StoreFileName, b: StoreFileName): number {
  return (
    a.time - b.time ||
    a.pid - b.pid ||
    (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0) ||
    a.sequence - b.sequence ||
    Number(a.gzip) - Number(b.gzip)
  );
}

/** A random 8-character id, distinct per store instance (pids are reused across restarts). */
export function newRunId(): string {
  let id = '';
  while (id.length < 8) id += Math.random().toString(36).slice(2);
  return id.slice(0, 8);
}
