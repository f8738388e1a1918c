import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach } from 'vitest';
import type { ErrorRecord } from '../../src/record.js';
import { JsonlStore } from '../../src/store/jsonl-store.js';
import { readStore, type StoreReadStats } from '../../src/store/read-store.js';
import type { StoreOptions } from '../../src/store/store-options.js';
import { type ProcessResult, runNode } from '../helpers/run-process.js';

export const CHILD = fileURLToPath(new URL('./fixtures/store-child.mjs', import.meta.url));

const made: string[] = [];

/** A fresh private temp directory, removed when the test file is done. */
export function tempDir(prefix = 'ei-store-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export type ChildResult = ProcessResult;

/** Starts the store fixture; `onStdout` sees each chunk (to kill it at the right moment). */
export function startChild(
  mode: string,
  dir: string,
  count: number,
  options: object = {},
  onStdout?: (text: string, child: ChildProcess) => void,
): Promise<ChildResult> {
  return runNode(CHILD, [mode, dir, String(count), JSON.stringify(options)], { onStdout });
}

/** Every record of a store, in file order, with the reader's counts. */
export async function readAll(dir: string): Promise<{ records: ErrorRecord[]; stats: StoreReadStats }> {
  const stats: StoreReadStats = { files: 0, lines: 0, records: 0, corruptLines: 0 };
  const records: ErrorRecord[] = [];
  for await (const r of readStore(dir, {}, stats)) records.push(r);
  return { records, stats };
}

/** The `seq` fields of records, which the fixture numbers 0, 1, 2… per process. */
export function seqs(records: ErrorRecord[]): number[] {
  return records.map((r) => (r as unknown as { seq: number }).seq);
}

/** 0..n-1. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

const opened: JsonlStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

/**
 * A store writing `errors.jsonl` in `dir`, closed after the test. It flushes only when told
 * (`autoFlush: false`) and warns nowhere, unless `options` say otherwise.
 */
export function openStore(dir: string, options: StoreOptions = {}): JsonlStore {
  const s = new JsonlStore({
    logFile: path.join(dir, 'errors.jsonl'),
    autoFlush: false,
    warn: () => {},
    ...options,
  });
  opened.push(s);
  return s;
}

/** A minimal record numbered `seq` (see {@link seqs}), with `extra` fields. */
export function seqRecord(seq: number, extra: Record<string, unknown> = {}): ErrorRecord {
  return { id: `r${seq}`, time: '2026-11-28T10:00:00.000Z', seq, ...extra } as unknown as ErrorRecord;
}
