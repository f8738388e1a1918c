import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorRecord } from '../../src/record.js';
import { readStore } from '../../src/store/read-store.js';

/** Every record of the store in `dir`, through the store's own reader (shared stacks expanded). */
export async function readStoreLines(dir: string): Promise<ErrorRecord[]> {
  const out: ErrorRecord[] = [];
  for await (const record of readStore(dir)) out.push(record);
  return out;
}

/** The raw text of every `.jsonl` file under `dir`, concatenated. */
export async function readStoreText(dir: string): Promise<string> {
  const entries = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.jsonl')).sort();
  let text = '';
  for (const entry of entries) text += await readFile(join(dir, entry), 'utf8');
  return text;
}
