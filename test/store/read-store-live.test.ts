import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ErrorRecord } from '../../src/record.js';
import { readStoreFile, type StoreReadStats } from '../../src/store/read-store.js';
import { tempDir } from './store-test-helpers.js';

const line = (id: string) => `${JSON.stringify({ id, time: '2026-11-28T10:00:00.000Z' })}\n`;

async function collect(file: string, stats: StoreReadStats): Promise<string[]> {
  const out: string[] = [];
  for await (const r of readStoreFile(file, {}, stats)) out.push((r as ErrorRecord).id);
  return out;
}

describe('reading a store that is still being written', () => {
  it('follows a listed file that the writer compressed meanwhile', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'errors.2026-11-28T10-00-00-000Z.42-abc.000001.jsonl');
    fs.writeFileSync(`${file}.gz`, gzipSync(line('a') + line('b')));
    const stats: StoreReadStats = { files: 0, lines: 0, records: 0, corruptLines: 0 };
    expect(await collect(file, stats)).toEqual(['a', 'b']);
    expect(stats).toEqual({ files: 1, lines: 2, records: 2, corruptLines: 0 });
  });

  it('skips a listed file that retention removed meanwhile, without failing', async () => {
    const dir = tempDir();
    const stats: StoreReadStats = { files: 0, lines: 0, records: 0, corruptLines: 0 };
    expect(await collect(path.join(dir, 'errors.gone.jsonl'), stats)).toEqual([]);
    expect(stats.files).toBe(0);
  });
});
