import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HeapSnapshotter } from '../../src/resources/heap-snapshotter.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/heap-snapshot-storm.mjs', import.meta.url));
const repo = fileURLToPath(new URL('../../', import.meta.url));

let dir: string;
async function mtime(path: string): Promise<number> {
  return (await stat(path).catch(() => undefined))?.mtimeMs ?? 0;
}

beforeAll(async () => {
  // The fixture imports the built code: build when it is missing or older than its sources
  // (tsc emits even when other parts of the tree have type errors).
  const built = await mtime(join(repo, 'dist/src/resources/heap-snapshotter.js'));
  const sources = ['heap-snapshotter.ts', 'resource-options.ts'].map((f) =>
    mtime(join(repo, 'src/resources', f)),
  );
  if (Math.max(...(await Promise.all(sources))) > built) {
    await run('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: repo }).catch(() => undefined);
  }
}, 120_000);
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ei-heap-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function snapshotFiles(): Promise<{ names: string[]; bytes: number }> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.heapsnapshot'));
  let bytes = 0;
  for (const n of names) bytes += (await stat(join(dir, n))).size;
  return { names, bytes };
}

async function storm(maxBytes: number, fingerprint: string, count: number) {
  const { stdout } = await run(process.execPath, [
    fixture,
    dir,
    String(maxBytes),
    fingerprint,
    String(count),
  ]);
  return JSON.parse(stdout) as {
    written: string[];
    stats: { written: number; skippedRateLimited: number; skippedBudget: number; bytesOnDisk: number };
  };
}

describe('HeapSnapshotter in a real process', () => {
  it('a storm of memory errors writes one real, private heap snapshot; a later run stays within the budget', async () => {
    const first = await storm(256 * 1024 * 1024, 'fp-oom', 50);
    expect(first.written).toHaveLength(1);
    expect(first.stats.written).toBe(1);
    expect(first.stats.skippedRateLimited).toBe(39);
    const after = await snapshotFiles();
    expect(after.names).toHaveLength(1);
    expect(after.bytes).toBe(first.stats.bytesOnDisk);
    const file = join(dir, after.names[0] as string);
    expect(((await stat(file)).mode & 0o777).toString(8)).toBe('600');
    expect(((await stat(dir)).mode & 0o777).toString(8)).toBe('700');

    // A restart counts the snapshot already on disk: a budget with room for under one more holds.
    const second = await storm(after.bytes + 1024, 'fp-other', 10);
    expect(second.written).toEqual([]);
    expect(second.stats.skippedBudget).toBe(8);
    expect((await snapshotFiles()).bytes).toBe(after.bytes);
  });
});

describe('HeapSnapshotter policy', () => {
  const writer = (size: number) => (file: string) => {
    writeFileSync(file, Buffer.alloc(size));
    return size;
  };

  it('never exceeds the disk budget across many distinct memory errors', async () => {
    const s = new HeapSnapshotter(
      { enabled: true, dir, maxBytes: 3_500 },
      { write: writer(1_000), heapUsed: () => 400 },
    );
    const written = Array.from({ length: 10 }, (_, i) => s.maybeWrite(`fp-${i}`, 'MEMORY')).filter(Boolean);
    expect(written).toHaveLength(3);
    expect(s.stats).toMatchObject({ written: 3, skippedBudget: 7, bytesOnDisk: 3_000 });
    const onDisk = await snapshotFiles();
    expect(onDisk.names).toHaveLength(3);
    expect(onDisk.bytes).toBeLessThanOrEqual(3_500);
  });

  it('removes a snapshot that came out larger than predicted and over the budget', async () => {
    const s = new HeapSnapshotter(
      { enabled: true, dir, maxBytes: 500 },
      { write: writer(1_000), heapUsed: () => 10 },
    );
    expect(s.maybeWrite('fp', 'memory')).toBeUndefined();
    expect(s.stats).toMatchObject({ written: 0, skippedBudget: 1, bytesOnDisk: 0 });
    expect((await snapshotFiles()).names).toEqual([]);
  });

  it('allows the same fingerprint again once its period has passed', () => {
    let t = 0;
    const s = new HeapSnapshotter(
      { enabled: true, dir, perFingerprintPeriodMs: 60_000 },
      { now: () => t, write: writer(10), heapUsed: () => 1 },
    );
    expect(s.maybeWrite('fp', 'memory')).toMatch(/\.heapsnapshot$/);
    t = 59_999;
    expect(s.maybeWrite('fp', 'memory')).toBeUndefined();
    expect(s.maybeWrite('fp-2', 'memory')).toMatch(/fp-2\.heapsnapshot$/);
    t = 60_000;
    expect(s.maybeWrite('fp', 'memory')).toMatch(/\.heapsnapshot$/);
    expect(s.stats).toMatchObject({ written: 3, skippedRateLimited: 1 });
  });

  it('writes nothing for other categories or when not enabled, and never throws on a failed write', () => {
    const calls: string[] = [];
    const record = (f: string) => {
      calls.push(f);
      return 1;
    };
    expect(
      new HeapSnapshotter({ enabled: true, dir }, { write: record }).maybeWrite('fp', 'network'),
    ).toBeUndefined();
    expect(new HeapSnapshotter({ dir }, { write: record }).maybeWrite('fp', 'memory')).toBeUndefined();
    expect(calls).toEqual([]);
    const failing = new HeapSnapshotter(
      { enabled: true, dir },
      {
        write: () => {
          throw new Error('ENOSPC');
        },
        heapUsed: () => 1,
      },
    );
    expect(failing.maybeWrite('fp', 'memory')).toBeUndefined();
    expect(failing.stats.failed).toBe(1);
  });
});
