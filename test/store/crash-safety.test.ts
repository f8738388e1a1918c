import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listStoreFiles } from '../../src/store/read-store.js';
import { range, readAll, seqs, startChild, tempDir } from './store-test-helpers.js';

// Children import dist/; build first (`npx tsc -p tsconfig.json`).
beforeAll(() => {
  expect(fs.existsSync(new URL('../../dist/src/store/jsonl-store.js', import.meta.url))).toBe(true);
});

const N = 2500;

describe('records accepted before the process ends are on disk, and it ends as it would have', () => {
  for (const mode of ['exit', 'throw', 'reject', 'sigterm', 'sigint']) {
    it(`${mode}: loses 0 of ${N} records and keeps the exit code or signal Node gives without the store`, async () => {
      const dir = tempDir();
      const [withStore, bare] = await Promise.all([
        startChild(mode, dir, N, { batchSize: 100, flushIntervalMs: 60_000 }),
        startChild(`${mode}:bare`, dir, N),
      ]);
      // The message carries the children's stderr: an import failure (dist/ rebuilt mid-run) shows as such.
      expect({ code: withStore.code, signal: withStore.signal }, withStore.stderr + bare.stderr).toEqual({
        code: bare.code,
        signal: bare.signal,
      });
      const { records, stats } = await readAll(dir);
      expect(seqs(records)).toEqual(range(N));
      // A batch whose file was still being opened when the exit flush took over can leave one empty file.
      expect({ ...stats, files: 0 }).toEqual({ files: 0, lines: N, records: N, corruptLines: 0 });
      if (mode === 'throw') expect(withStore.stderr).toContain('thrown by the app');
      if (mode === 'reject') expect(withStore.stderr).toContain('rejected by the app');
    });
  }

  it('an app SIGINT handler keeps control of the exit, and the records are flushed before it runs', async () => {
    const dir = tempDir();
    const r = await startChild('sigint-app', dir, 300, { flushIntervalMs: 60_000, batchSize: 1000 });
    expect({ code: r.code, signal: r.signal, stdout: r.stdout }).toEqual({
      code: 7,
      signal: null,
      stdout: 'app handler\n',
    });
    expect(seqs((await readAll(dir)).records)).toEqual(range(300));
  });

  it('a script that just ends (no shutdown) exits on its own and its records are written', async () => {
    const dir = tempDir();
    const r = await startChild('drain', dir, 10, { flushIntervalMs: 60_000 });
    expect(r.code).toBe(0);
    expect(seqs((await readAll(dir)).records)).toEqual(range(10));
  });

  it('process.exit while a batch write is in flight leaves every record exactly once and a final newline', async () => {
    const dir = tempDir();
    const r = await startChild('exit-in-flight', dir, 5000, { batchSize: 100 });
    expect(r.code).toBe(0);
    const { records, stats } = await readAll(dir);
    expect(seqs(records)).toEqual(range(5000));
    expect(stats.corruptLines).toBe(0);
    for (const f of await listStoreFiles(dir)) expect(fs.readFileSync(f, 'utf8').endsWith('\n')).toBe(true);
  });

  it('a host exit handler that throws does not stop the flush', async () => {
    const dir = tempDir();
    const r = await startChild('throwing-exit-handler', dir, 50, { flushIntervalMs: 60_000 });
    expect(r.stderr).toContain('host exit handler failed');
    expect(seqs((await readAll(dir)).records)).toEqual(range(50));
  });

  it('records appended inside an exit handler after the flush hook ran are still written', async () => {
    const dir = tempDir();
    const r = await startChild('append-in-exit', dir, 3);
    expect(r.code).toBe(0);
    expect(seqs((await readAll(dir)).records)).toEqual(range(5));
  });
});

describe('SIGKILL', () => {
  it('loses only the batch still in memory and leaves a readable store', async () => {
    const dir = tempDir();
    const r = await startChild(
      'flushed-then-wait',
      dir,
      1000,
      { extra: 60, flushIntervalMs: 60_000 },
      (out, c) => {
        if (out.includes('ready')) c.kill('SIGKILL');
      },
    );
    expect(r.signal).toBe('SIGKILL');
    const { records, stats } = await readAll(dir);
    expect(seqs(records)).toEqual(range(1000));
    expect(stats.corruptLines).toBe(0);
  });

  it('mid-burst leaves an in-order prefix with no duplicates and at most one torn line, and a restart writes cleanly', async () => {
    const dir = tempDir();
    const r = await startChild('burst', dir, 4000, { batchSize: 100, maxLogs: 1000 }, (out, c) => {
      if (out.includes('ready')) c.kill('SIGKILL');
    });
    expect(r.signal).toBe('SIGKILL');
    const first = await readAll(dir);
    const written = seqs(first.records);
    expect(written).toEqual(range(written.length));
    expect(written.length).toBeGreaterThanOrEqual(3000);
    expect(first.stats.corruptLines).toBeLessThanOrEqual(1);

    // Simulate the worst torn tail explicitly: half a record without its newline, as a crash leaves it.
    const files = await listStoreFiles(dir);
    fs.appendFileSync(files.at(-1)!, '{"schema":1,"id":"torn","time":"2026-');
    const restarted = await startChild('exit', dir, 10);
    expect(restarted.code).toBe(3);
    const after = await readAll(dir);
    expect(after.stats.corruptLines).toBe(1);
    expect(after.records.length).toBe(written.length + 10);
    const newIds = after.records.slice(written.length).map((x) => (x as unknown as { seq: number }).seq);
    expect(newIds).toEqual(range(10));
    expect(path.basename((await listStoreFiles(dir)).at(-1)!)).not.toBe(path.basename(files.at(-1)!));
  });
});
