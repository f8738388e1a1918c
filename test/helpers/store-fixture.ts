import { join } from 'node:path';
import type { ErrorRecord } from '../../src/record.js';
import { JsonlStore } from '../../src/store/jsonl-store.js';
import { tempDir } from './temp-dir.js';

/** Writes `records` into the store directory `dir` through a real, closed store (nothing pruned). */
export async function writeStore(dir: string, records: readonly ErrorRecord[]): Promise<void> {
  const store = new JsonlStore({
    logFile: join(dir, 'errors.jsonl'),
    handleExit: false,
    retentionDays: 0,
    maxTotalBytes: 0,
  });
  for (const r of records) store.append(r);
  await store.close();
}

/** A store holding `records`, in `dir` or else a new `store` directory; returns its path. */
export async function storeWith(records: readonly ErrorRecord[], dir?: string): Promise<string> {
  const root = dir ?? join(await tempDir(), 'store');
  await writeStore(root, records);
  return root;
}
