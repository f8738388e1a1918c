import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ErrorRecord } from '../../src/record.js';
import type { JsonlStore } from '../../src/store/jsonl-store.js';
import { nodeStoreFs, type StoreFs } from '../../src/store/store-fs.js';
import type { StoreOptions } from '../../src/store/store-options.js';
import { openStore, range, readAll, seqRecord, seqs, tempDir } from './store-test-helpers.js';

function rec(seq: number): ErrorRecord {
  return seqRecord(seq, { pad: 'x'.repeat(200) });
}

function store(dir: string, warnings: string[], options: StoreOptions = {}): JsonlStore {
  return openStore(dir, { warn: (m) => warnings.push(m), ...options });
}

function filesIn(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

describe('the store directory swapped for a symlink while the store runs', () => {
  for (const how of ['moved away', 'deleted'] as const) {
    it(`writes nothing into the symlink's target when the directory was ${how}, and lands the records once the path is a directory again`, async () => {
      const root = tempDir();
      const dir = path.join(root, 'store');
      const target = path.join(root, 'victim');
      fs.mkdirSync(target);
      fs.writeFileSync(path.join(target, 'authorized_keys'), 'ssh-ed25519 AAAA…\n');
      const warnings: string[] = [];
      const s = store(dir, warnings);
      for (const i of range(10)) s.append(rec(i));
      await s.flush();
      expect(s.stats().written).toBe(10);

      if (how === 'moved away') fs.renameSync(dir, `${dir}.old`);
      else fs.rmSync(dir, { recursive: true });
      fs.symlinkSync(target, dir);
      for (const i of range(10)) s.append(rec(10 + i));
      await s.flush();
      await s.flush();

      // The target is untouched, and the ten records are still held, not counted as written.
      expect(fs.readdirSync(target)).toEqual(['authorized_keys']);
      expect(fs.readFileSync(path.join(target, 'authorized_keys'), 'utf8')).toBe('ssh-ed25519 AAAA…\n');
      expect(s.stats()).toMatchObject({ written: 10, pending: 10, dropped: 0, state: 'unavailable' });
      expect(warnings.filter((w) => w.includes('symbolic link'))).toHaveLength(1);

      // The operator removes the symlink: the store makes its directory again and writes.
      fs.unlinkSync(dir);
      await s.flush();
      expect(s.stats()).toMatchObject({ written: 20, pending: 0, dropped: 0, state: 'ok' });
      expect(fs.readdirSync(target)).toEqual(['authorized_keys']);
      expect(seqs((await readAll(dir)).records)).toEqual(range(10).map((i) => 10 + i));
      if (how === 'moved away') expect(seqs((await readAll(`${dir}.old`)).records)).toEqual(range(10));
    });
  }

  it('writes through into the store path, not into the directory it was moved to (workers, heap pressure)', async () => {
    const root = tempDir();
    const dir = path.join(root, 'store');
    const warnings: string[] = [];
    let now = 1_000;
    const s = store(dir, warnings, { writeThrough: true, now: () => now });
    for (const i of range(5)) s.append(rec(i));
    expect(s.stats().written).toBe(5);

    fs.renameSync(dir, `${dir}.old`);
    now += 1_000;
    for (const i of range(5)) s.append(rec(5 + i));
    expect(s.stats()).toMatchObject({ written: 10, pending: 0, dropped: 0 });
    expect(seqs((await readAll(`${dir}.old`)).records)).toEqual(range(5));
    expect(seqs((await readAll(dir)).records)).toEqual(range(5).map((i) => 5 + i));
    await s.close();
  });

  it('counts records that never find a real directory as dropped at close, never as written', async () => {
    const root = tempDir();
    const dir = path.join(root, 'store');
    const target = path.join(root, 'victim');
    fs.mkdirSync(target);
    const s = store(dir, []);
    s.append(rec(0));
    await s.flush();
    fs.rmSync(dir, { recursive: true });
    fs.symlinkSync(target, dir);
    for (const i of range(5)) s.append(rec(1 + i));
    await s.close();
    expect(s.stats()).toMatchObject({ written: 1, pending: 0, dropped: 5 });
    expect(filesIn(target)).toEqual([]);
  });
});

describe('the store directory deleted during a burst', () => {
  it('counts as written only what landed in a file that still exists; the rest is written again in a new file', async () => {
    const root = tempDir();
    const dir = path.join(root, 'store');
    let writes = 0;
    // The real file system; the directory is really removed right before the third chunk of
    // one background run lands, so that chunk and the ones after it go into an unlinked file.
    const deleting: StoreFs = {
      ...nodeStoreFs,
      write: (fd, buf, off, len, pos) => {
        if (++writes === 3) fs.rmSync(dir, { recursive: true });
        return nodeStoreFs.write(fd, buf, off, len, pos);
      },
    };
    const warnings: string[] = [];
    // Small chunks: the burst of 2,000 records (500 KB) takes many writes in one run.
    const s = store(dir, warnings, { fs: deleting, maxWriteBytes: 4096, batchSize: 1_000_000 });
    const N = 2000;
    for (const i of range(N)) s.append(rec(i));
    await s.flush();
    await s.flush();
    const { records, stats } = await readAll(dir);
    const onDisk = seqs(records);
    // The first two chunks were confirmed, then deleted with the directory by whoever removed it.
    const deletedWithDir = onDisk[0]!;
    expect(deletedWithDir).toBeGreaterThan(0);
    expect(onDisk).toEqual(range(N - deletedWithDir).map((i) => deletedWithDir + i));
    expect(stats.corruptLines).toBe(0);
    expect(s.stats()).toMatchObject({ written: N, pending: 0, dropped: 0, state: 'ok' });
    expect(warnings.some((w) => w.includes('was deleted while being written'))).toBe(true);
  });
});
