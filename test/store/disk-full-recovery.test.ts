import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ErrorRecord } from '../../src/record.js';
import { fill, mountTmpfs, remount, unmountAll } from '../helpers/tmpfs.js';
import { openStore, range, readAll, seqRecord, seqs } from './store-test-helpers.js';

// Stores and loggers are closed after each test, so nothing holds the mounts busy.
afterAll(unmountAll);

function rec(seq: number): ErrorRecord {
  return seqRecord(seq, { pad: 'x'.repeat(300) });
}

async function until(what: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const mount = mountTmpfs('256k');
const reason = 'refused' in mount ? `cannot mount a tmpfs here (${mount.refused})` : '';
if (reason) console.warn(`skipped disk-full tests: ${reason}`);

describe.skipIf(reason !== '')('a real full disk (tmpfs)', () => {
  it('writes the waiting records as soon as space is freed, not after the retry back-off, and counts only the overflow as dropped', async () => {
    const dir = (mount as { dir: string }).dir;
    const storeDir = path.join(dir, 'store');
    const warnings: string[] = [];
    // A 20 s first retry delay: recovery within the wait below can only come from the probe.
    const s = openStore(storeDir, {
      autoFlush: true,
      flushIntervalMs: 20_000,
      maxBufferedRecords: 50,
      warn: (m) => warnings.push(m),
    });
    const filler = fill(dir);
    for (const i of range(80)) s.append(rec(i));
    await s.flush();
    expect(s.stats()).toMatchObject({ written: 0, pending: 50, dropped: 30, state: 'degraded' });
    expect(s.stats().lastError).toMatch(/ENOSPC/);

    fs.unlinkSync(filler);
    await until(() => s.stats().state === 'ok' && s.stats().pending === 0);
    // Logged right after the recovery: written like any other record.
    for (const i of range(20)) s.append(rec(100 + i));
    await s.flush();

    expect(s.stats()).toMatchObject({ written: 70, pending: 0, dropped: 30, state: 'ok' });
    const { records, stats } = await readAll(storeDir);
    // Oldest first: the records that waited, then the new ones; the 30 turned away are the newest.
    expect(seqs(records)).toEqual([...range(50), ...range(20).map((i) => 100 + i)]);
    expect(stats.corruptLines).toBe(0);
    // The failed attempts left no empty files behind.
    for (const f of fs.readdirSync(storeDir))
      expect(fs.statSync(path.join(storeDir, f)).size).toBeGreaterThan(0);
    expect(warnings.filter((w) => w.includes('ENOSPC'))).toHaveLength(1);
  });

  it('a file system that is read-only at start (EROFS) is noticed as soon as it is writable again', async () => {
    const m = mountTmpfs('1m');
    if ('refused' in m) throw new Error(`second tmpfs refused: ${m.refused}`);
    remount(m.dir, 'ro');
    const storeDir = path.join(m.dir, 'store');
    const s = openStore(storeDir, { autoFlush: true, flushIntervalMs: 20_000 });
    for (const i of range(10)) s.append(rec(i));
    await s.flush();
    expect(s.stats()).toMatchObject({ written: 0, pending: 10, state: 'unavailable' });
    remount(m.dir, 'rw');
    await until(() => s.stats().pending === 0);
    expect(s.stats()).toMatchObject({ written: 10, dropped: 0, state: 'ok' });
    expect(seqs((await readAll(storeDir)).records)).toEqual(range(10));
  });
});
