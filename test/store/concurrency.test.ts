import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listStoreFiles } from '../../src/store/read-store.js';
import { readAll, startChild, tempDir } from './store-test-helpers.js';

describe('several processes sharing one store directory', () => {
  it('4 processes × 10,000 records with maxLogs 1,000 give exactly 40,000 valid, distinct lines', async () => {
    const dir = tempDir();
    const results = await Promise.all(
      [0, 1, 2, 3].map(() => startChild('concurrent', dir, 10_000, { maxLogs: 1000, batchSize: 100 })),
    );
    for (const r of results) {
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({
        written: 10_000,
        pending: 0,
        dropped: 0,
        failedWrites: 0,
        rotations: 9,
        state: 'ok',
      });
    }
    const { records, stats } = await readAll(dir);
    expect(stats).toEqual({ files: 40, lines: 40_000, records: 40_000, corruptLines: 0 });
    expect(new Set(records.map((r) => r.id)).size).toBe(40_000);
    const files = await listStoreFiles(dir);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      expect(text.split('\n').length - 1).toBe(1000);
    }
    // Each process's own records come back in the order it appended them.
    const byPid = new Map<number, number[]>();
    for (const r of records) {
      const list = byPid.get(r.process.pid) ?? [];
      list.push((r as unknown as { seq: number }).seq);
      byPid.set(r.process.pid, list);
    }
    expect([...byPid.values()].map((l) => l.every((v, i) => v === i) && l.length)).toEqual([
      10_000, 10_000, 10_000, 10_000,
    ]);
  });
});
