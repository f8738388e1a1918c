import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlStore } from '../../src/store/jsonl-store.js';
import { pruneStore } from '../../src/store/prune-store.js';
import { listStoreFiles } from '../../src/store/read-store.js';
import { formatStoreFileName, parseStoreFileName } from '../../src/store/store-file-name.js';
import { tempDir } from './store-test-helpers.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 28, 12);

/** A pid that existed and has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

/** Writes a store file whose name time and mtime are `ageDays` before NOW. */
function plant(dir: string, pid: number, seq: number, ageDays: number, bytes = 10, gz = false): string {
  const t = NOW - ageDays * DAY;
  const name = formatStoreFileName('errors', t, pid, 'run00001', seq) + (gz ? '.gz' : '');
  const p = path.join(dir, name);
  fs.writeFileSync(p, 'x'.repeat(bytes));
  fs.utimesSync(p, t / 1000, t / 1000);
  return name;
}

describe('pruneStore', () => {
  it("removes files older than retentionDays from earlier runs and other processes (.gz too), and nothing that is not the store's", async () => {
    const dir = tempDir();
    const dead = deadPid();
    const old1 = plant(dir, dead, 1, 30);
    const old2 = plant(dir, dead, 2, 10, 10, true);
    const recent = plant(dir, dead, 3, 2);
    const foreign = ['notes.txt', 'other-app.log', 'errors.jsonl', `${old1}.bak`];
    for (const n of foreign) {
      fs.writeFileSync(path.join(dir, n), 'keep');
      fs.utimesSync(path.join(dir, n), (NOW - 90 * DAY) / 1000, (NOW - 90 * DAY) / 1000);
    }
    const { removed } = await pruneStore(dir, { retentionDays: 7, maxTotalBytes: 0, now: NOW });
    expect(removed.map((p) => path.basename(p)).sort()).toEqual([old1, old2].sort());
    expect(fs.readdirSync(dir).sort()).toEqual([...foreign, recent].sort());
  });

  it('never removes the active file of a live writer, however old, but does remove its older files', async () => {
    const dir = tempDir();
    const older = plant(dir, process.pid, 1, 40);
    const active = plant(dir, process.pid, 2, 40);
    const { removed } = await pruneStore(dir, { retentionDays: 7, maxTotalBytes: 0, now: NOW });
    expect(removed.map((p) => path.basename(p))).toEqual([older]);
    expect(fs.readdirSync(dir)).toEqual([active]);
  });

  it('removes the oldest closed files until the store fits maxTotalBytes', async () => {
    const dir = tempDir();
    const dead = deadPid();
    const names = [5, 4, 3, 2, 1].map((age, i) => plant(dir, dead, i + 1, age, 100));
    const { removed } = await pruneStore(dir, { retentionDays: 0, maxTotalBytes: 250, now: NOW });
    expect(removed.map((p) => path.basename(p))).toEqual(names.slice(0, 3));
    expect(fs.readdirSync(dir).sort()).toEqual(names.slice(3).sort());
  });

  it('cleans up after interrupted compressions and empty files of dead writers', async () => {
    const dir = tempDir();
    const dead = deadPid();
    const both = plant(dir, dead, 1, 1);
    plant(dir, dead, 1, 1, 10, true);
    const empty = plant(dir, dead, 2, 1, 0);
    const tmp = `${plant(dir, dead, 3, 1)}.gz.tmp`;
    fs.writeFileSync(path.join(dir, tmp), 'partial');
    const { removed } = await pruneStore(dir, { retentionDays: 30, maxTotalBytes: 0, now: NOW });
    expect(removed.map((p) => path.basename(p)).sort()).toEqual([both, empty, tmp].sort());
  });

  it('two sweeps at once remove each file once and neither fails', async () => {
    const dir = tempDir();
    const dead = deadPid();
    for (let i = 1; i <= 20; i++) plant(dir, dead, i, 40);
    const [a, b] = await Promise.all([
      pruneStore(dir, { retentionDays: 7, now: NOW }),
      pruneStore(dir, { retentionDays: 7, now: NOW }),
    ]);
    expect(a.removed.length + b.removed.length).toBe(20);
    expect(new Set([...a.removed, ...b.removed]).size).toBe(20);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a missing directory prunes nothing', async () => {
    expect(await pruneStore(path.join(tempDir(), 'absent'))).toEqual({ removed: [] });
  });

  it('a store started with a controllable clock removes files of earlier runs older than its retention', async () => {
    const dir = tempDir();
    const dead = deadPid();
    const old = plant(dir, dead, 1, 31);
    const kept = plant(dir, dead, 2, 29);
    const s = new JsonlStore({ logFile: path.join(dir, 'errors.jsonl'), now: () => NOW, handleExit: false });
    s.append({ id: 'x', time: new Date(NOW).toISOString() } as never);
    await s.close();
    const names = (await listStoreFiles(dir)).map((p) => path.basename(p));
    expect(names).not.toContain(old);
    expect(names).toContain(kept);
    expect(names.map((n) => parseStoreFileName(n)!.pid)).toEqual([dead, process.pid]);
  });
});
