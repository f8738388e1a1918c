import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listStoreFiles } from '../../src/store/read-store.js';
import { parseStoreFileName } from '../../src/store/store-file-name.js';
import { openStore, range, readAll, seqRecord, seqs, tempDir } from './store-test-helpers.js';

function lineCounts(files: string[]): number[] {
  return files.map((f) => fs.readFileSync(f, 'utf8').split('\n').length - 1);
}

describe('JsonlStore batching', () => {
  it('keeps records in memory until flush, then writes each once, in order, with exact counts', async () => {
    const dir = tempDir();
    const s = openStore(dir);
    for (const i of range(5)) s.append(seqRecord(i));
    expect(s.stats()).toEqual({
      written: 0,
      pending: 5,
      dropped: 0,
      failedWrites: 0,
      rotations: 0,
      state: 'ok',
    });
    expect(await listStoreFiles(dir)).toEqual([]);
    await s.flush();
    expect(s.stats()).toEqual({
      written: 5,
      pending: 0,
      dropped: 0,
      failedWrites: 0,
      rotations: 0,
      state: 'ok',
    });
    expect(seqs((await readAll(dir)).records)).toEqual(range(5));
  });

  it('serializes at append, so a record mutated afterwards is stored as it was', async () => {
    const dir = tempDir();
    const s = openStore(dir);
    const r = seqRecord(1, { phase: 'RENDERING' });
    s.append(r);
    (r as unknown as { phase: string }).phase = 'changed';
    await s.flush();
    expect((await readAll(dir)).records[0]!.phase).toBe('RENDERING');
  });

  it('writes a full batch without being asked', async () => {
    const dir = tempDir();
    const s = openStore(dir, { batchSize: 10 });
    for (const i of range(10)) s.append(seqRecord(i));
    await vi.waitFor(() => expect(s.stats().written).toBe(10));
    expect(seqs((await readAll(dir)).records)).toEqual(range(10));
  });

  it('flushes on its timer when autoFlush is on', async () => {
    const dir = tempDir();
    const s = openStore(dir, { autoFlush: true, flushIntervalMs: 5 });
    s.append(seqRecord(0));
    await vi.waitFor(() => expect(s.stats().written).toBe(1));
  });

  it('counts a record that cannot be serialized as dropped and reports it once', async () => {
    const dir = tempDir();
    const warnings: string[] = [];
    const s = openStore(dir, { warn: (m) => warnings.push(m) });
    s.append(seqRecord(0, { big: 1n }));
    s.append(seqRecord(1, { big: 2n }));
    s.append(seqRecord(2));
    await s.flush();
    expect(s.stats()).toMatchObject({ written: 1, dropped: 2 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('could not be serialized');
  });
});

describe('JsonlStore rotation', () => {
  it('rotates every maxLogs records; concatenating the files gives every record once, in order', async () => {
    const dir = tempDir();
    const s = openStore(dir, { maxLogs: 100 });
    for (const i of range(350)) s.append(seqRecord(i));
    await s.flush();
    const files = await listStoreFiles(dir);
    expect(lineCounts(files)).toEqual([100, 100, 100, 50]);
    expect(files.map((f) => parseStoreFileName(path.basename(f))!.sequence)).toEqual([1, 2, 3, 4]);
    expect(s.stats()).toMatchObject({ written: 350, rotations: 3 });
    expect(seqs((await readAll(dir)).records)).toEqual(range(350));
  });

  it('rotates by size, and writes a record larger than the limit whole in a file of its own', async () => {
    const dir = tempDir();
    const s = openStore(dir, { maxFileBytes: 1000 });
    for (const i of range(12)) s.append(seqRecord(i, { pad: 'x'.repeat(150) }));
    s.append(seqRecord(12, { pad: 'y'.repeat(5000) }));
    s.append(seqRecord(13));
    await s.flush();
    const files = await listStoreFiles(dir);
    const sizes = files.map((f) => fs.statSync(f).size);
    expect(sizes.filter((n) => n > 1000)).toHaveLength(1);
    const big = files[sizes.findIndex((n) => n > 1000)]!;
    expect(lineCounts([big])).toEqual([1]);
    expect(seqs((await readAll(dir)).records)).toEqual(range(14));
  });

  it('with gzip, closed files are compressed and still read back in order', async () => {
    const dir = tempDir();
    const s = openStore(dir, { maxLogs: 10, gzip: true });
    for (const i of range(35)) s.append(seqRecord(i));
    await s.close();
    const names = fs.readdirSync(dir).sort();
    expect(names).toHaveLength(4);
    expect(names.every((n) => n.endsWith('.jsonl.gz'))).toBe(true);
    expect(seqs((await readAll(dir)).records)).toEqual(range(35));
  });
});

describe('JsonlStore daily rotation with a controllable clock', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = tz;
  });

  function localDays(files: string[]): string[] {
    return files.map((f) => {
      const d = new Date(parseStoreFileName(path.basename(f))!.time);
      return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
    });
  }

  for (const [label, day, next] of [
    ['a 23-hour day (spring forward)', [2026, 2, 29], [2026, 2, 30]],
    ['a 25-hour day (fall back)', [2026, 9, 25], [2026, 9, 26]],
  ] as const) {
    it(`gives one file per local day on ${label}, even when midnight falls inside a batch`, async () => {
      process.env.TZ = 'Europe/Berlin';
      let now = new Date(day[0], day[1], day[2] - 1, 23, 59, 0).getTime();
      const dir = tempDir();
      const s = openStore(dir, { now: () => now });
      s.append(seqRecord(0));
      s.append(seqRecord(1));
      now = new Date(day[0], day[1], day[2], 0, 0, 30).getTime();
      s.append(seqRecord(2));
      now = new Date(day[0], day[1], day[2], 12, 0, 0).getTime();
      s.append(seqRecord(3));
      now = new Date(day[0], day[1], day[2], 23, 59, 59).getTime();
      s.append(seqRecord(4));
      now = new Date(next[0], next[1], next[2], 0, 0, 0).getTime();
      s.append(seqRecord(5));
      await s.flush();
      const files = await listStoreFiles(dir);
      expect(localDays(files)).toEqual([
        `${day[0]}-${day[1] + 1}-${day[2] - 1}`,
        `${day[0]}-${day[1] + 1}-${day[2]}`,
        `${next[0]}-${next[1] + 1}-${next[2]}`,
      ]);
      expect(lineCounts(files)).toEqual([2, 3, 1]);
      expect(s.stats().rotations).toBe(2);
    });
  }

  it('never overwrites a file when the clock jumps back, and names still sort in write order', async () => {
    let now = Date.UTC(2026, 5, 1, 12);
    const dir = tempDir();
    const s = openStore(dir, { maxLogs: 1, now: () => now });
    s.append(seqRecord(0));
    await s.flush();
    now -= 3_600_000;
    s.append(seqRecord(1));
    s.append(seqRecord(2));
    await s.flush();
    expect(seqs((await readAll(dir)).records)).toEqual([0, 1, 2]);
    expect(lineCounts(await listStoreFiles(dir))).toEqual([1, 1, 1]);
  });
});

describe('JsonlStore files and lifecycle', () => {
  it('creates the directory 0700 and files 0600 even with umask 000', async () => {
    const old = process.umask(0);
    try {
      const dir = path.join(tempDir(), 'nested', 'store');
      const s = openStore(dir);
      s.append(seqRecord(0));
      await s.flush();
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
      const [file] = await listStoreFiles(dir);
      expect(fs.statSync(file!).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });

  it('adds its exit and signal listeners once for all stores and removes them when the last closes', async () => {
    const crashBefore = ['uncaughtException', 'unhandledRejection'].map((e) => process.listenerCount(e));
    const before = ['exit', 'SIGINT', 'SIGTERM'].map((e) => process.listenerCount(e));
    const a = openStore(tempDir(), { handleExit: true });
    const b = openStore(tempDir(), { handleExit: true });
    expect(['exit', 'SIGINT', 'SIGTERM'].map((e) => process.listenerCount(e))).toEqual(
      before.map((n) => n + 1),
    );
    // Crash observation is left to Node (and the engine's uncaughtExceptionMonitor): no listener added.
    expect(['uncaughtException', 'unhandledRejection'].map((e) => process.listenerCount(e))).toEqual(
      crashBefore,
    );
    await a.close();
    expect(process.listenerCount('exit')).toBe(before[0]! + 1);
    await b.close();
    expect(['exit', 'SIGINT', 'SIGTERM'].map((e) => process.listenerCount(e))).toEqual(before);
  });

  it('close is idempotent, flushes, and counts records appended after it as dropped', async () => {
    const dir = tempDir();
    const s = openStore(dir);
    s.append(seqRecord(0));
    await Promise.all([s.close(), s.close()]);
    await s.close();
    s.append(seqRecord(1));
    expect(s.stats()).toEqual({
      written: 1,
      pending: 0,
      dropped: 1,
      failedWrites: 0,
      rotations: 0,
      state: 'ok',
    });
    expect(seqs((await readAll(dir)).records)).toEqual([0]);
  });

  it('flushSync writes everything pending at once', () => {
    const dir = tempDir();
    const s = openStore(dir, { maxLogs: 4 });
    for (const i of range(10)) s.append(seqRecord(i));
    s.flushSync();
    expect(s.stats()).toMatchObject({ written: 10, pending: 0, rotations: 2 });
    const text = fs
      .readdirSync(dir)
      .sort()
      .map((n) => fs.readFileSync(path.join(dir, n), 'utf8'))
      .join('');
    expect(
      text
        .split('\n')
        .slice(0, -1)
        .map((l) => JSON.parse(l).seq),
    ).toEqual(range(10));
  });

  it('many small rotations leave the number of open file descriptors unchanged', async () => {
    const dir = tempDir();
    const fdsBefore = fs.readdirSync('/proc/self/fd').length;
    const s = openStore(dir, { maxLogs: 1, maxFileBytes: 1024 });
    for (const i of range(200)) {
      s.append(seqRecord(i));
      await s.flush();
    }
    await s.close();
    expect(s.stats()).toMatchObject({ written: 200, rotations: 199 });
    expect(fs.readdirSync('/proc/self/fd').length).toBe(fdsBefore);
  });
});
