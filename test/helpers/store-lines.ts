import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorRecord } from '../../src/record.js';

/** Every line of every `.jsonl` file under `dir` (recursively), parsed, in file-name order. */
export async function readStoreLines(dir: string): Promise<ErrorRecord[]> {
  const out: ErrorRecord[] = [];
  const entries = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.jsonl')).sort();
  for (const entry of entries) {
    const text = await readFile(join(dir, entry), 'utf8');
    for (const line of text.split('\n')) if (line !== '') out.push(JSON.parse(line) as ErrorRecord);
  }
  return out;
}

/** The raw text of every `.jsonl` file under `dir`, concatenated. */
export async function readStoreText(dir: string): Promise<string> {
  const entries = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.jsonl')).sort();
  let text = '';
  for (const entry of entries) text += await readFile(join(dir, entry), 'utf8');
  return text;
}
