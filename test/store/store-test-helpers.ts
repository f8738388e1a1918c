import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import type { ErrorRecord } from '../../src/record.js';
import { readStore, type StoreReadStats } from '../../src/store/read-store.js';
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
