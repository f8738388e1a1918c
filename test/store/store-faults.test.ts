import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ErrorRecord } from '../../src/record.js';
import { type JsonlStore, serializeRecordLine } from '../../src/store/jsonl-store.js';
import { listStoreFiles } from '../../src/store/read-store.js';
import { nodeStoreFs, type StoreFs } from '../../src/store/store-fs.js';
import type { StoreOptions } from '../../src/store/store-options.js';
import { openStore, range, readAll, seqRecord, seqs, tempDir } from './store-test-helpers.js';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** The real fs with switchable faults. */
class FaultyFs implements StoreFs {
  /** Error code every write fails with, when set. */
  failWrites: string | null = null;
  /** Bytes the next write may store before the fault hits (a partial write, then the error). */
  partialBytes: number | null = null;
  /** Cap on bytes per write call (short writes). */
  maxPerWrite: number | null = null;
  failMkdir: string | null = null;
  failOpen: string | null = null;
  writeCalls = 0;

  mkdirSync(p: string, mode: number): void {
    if (this.failMkdir) throw errno(this.failMkdir);
    nodeStoreFs.mkdirSync(p, mode);
  }
  chmodSync = nodeStoreFs.chmodSync;
  async open(p: string, flags: number, mode: number): Promise<number> {
    if (this.failOpen) throw errno(this.failOpen);
    return nodeStoreFs.open(p, flags, mode);
  }
  openSync(p: string, flags: number, mode: number): number {
    if (this.failOpen) throw errno(this.failOpen);
    return nodeStoreFs.openSync(p, flags, mode);
  }
  fchmod = nodeStoreFs.fchmod;
  fchmodSync = nodeStoreFs.fchmodSync;
  fstatLinks = nodeStoreFs.fstatLinks;
  fstatLinksSync = nodeStoreFs.fstatLinksSync;
  close = nodeStoreFs.close;
  closeSync = nodeStoreFs.closeSync;
  private limit(len: number): number {
    return this.maxPerWrite === null ? len : Math.min(len, this.maxPerWrite);
  }
  async write(fd: number, buf: Buffer, off: number, len: number, pos: number): Promise<number> {
    return this.writeSync(fd, buf, off, len, pos);
  }
  writeSync(fd: number, buf: Buffer, off: number, len: number, pos: number): number {
    this.writeCalls++;
    if (this.partialBytes !== null) {
      const n = this.partialBytes;
      this.partialBytes = null;
      fs.writeSync(fd, buf, off, n, pos);
      this.failWrites ??= 'ENOSPC';
      return n;
    }
    if (this.failWrites) throw errno(this.failWrites);
    return fs.writeSync(fd, buf, off, this.limit(len), pos);
  }
}

function store(dir: string, faulty: FaultyFs, warnings: string[], options: StoreOptions = {}): JsonlStore {
  return openStore(dir, { fs: faulty, warn: (m) => warnings.push(m), ...options });
}

describe('disk faults', () => {
  it('close() right after one failed write finishes, writes the record on a new file and opens no more', async () => {
    const dir = tempDir();
    const faulty = new FaultyFs();
    const failOnce = faulty.writeSync.bind(faulty);
    let failed = false;
    faulty.writeSync = (fd, buf, off, len, pos) => {
      if (!failed) {
        failed = true;
        throw Object.assign(new Error('ENOSPC: injected'), { code: 'ENOSPC' });
      }
      return failOnce(fd, buf, off, len, pos);
    };
    const warnings: string[] = [];
    const s = store(dir, faulty, warnings);
    s.append(seqRecord(1));
    await s.close();
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
    const lines = files.flatMap((f) =>
      fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean),
    );
    expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([1]);
    expect(files.length).toBeLessThanOrEqual(2);
    expect(s.stats()).toMatchObject({ written: 1, pending: 0, dropped: 0, failedWrites: 1 });
  });

  it('ENOSPC: the app carries on, records wait in a bounded buffer, overflow is counted, all buffered records land after recovery', async () => {
    const dir = tempDir();
    const faulty = new FaultyFs();
    const warnings: string[] = [];
    const s = store(dir, faulty, warnings, { maxBufferedRecords: 60 });
    for (const i of range(10)) s.append(seqRecord(i));
    await s.flush();
    faulty.failWrites = 'ENOSPC';
    for (const i of range(40)) s.append(seqRecord(10 + i));
    await s.flush();
    expect(s.stats()).toEqual({
      written: 10,
      pending: 40,
      dropped: 0,
      failedWrites: 1,
      rotations: 0,
      state: 'degraded',
      lastError: 'ENOSPC: injected',
    });
    for (const i of range(30)) s.append(seqRecord(50 + i));
    expect(s.stats()).toMatchObject({ pending: 60, dropped: 10 });
    faulty.failWrites = null;
    await s.flush();
    expect(s.stats()).toEqual({
      written: 70,
      pending: 0,
      dropped: 10,
      failedWrites: 1,
      rotations: 0,
      state: 'ok',
      lastError: 'ENOSPC: injected',
    });
    expect(seqs((await readAll(dir)).records)).toEqual(range(70));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('ENOSPC');
    expect(warnings[1]).toContain('memory queue full');
  });

  it('the byte cap of the memory queue drops large records while the disk fails, and counts them', async () => {
    const dir = tempDir();
    const faulty = new FaultyFs();
    faulty.failWrites = 'ENOSPC';
    const s = store(dir, faulty, [], { maxBufferedBytes: 10_000 });
    for (const i of range(10)) s.append(seqRecord(i, { pad: 'x'.repeat(3000) }));
    expect(s.stats()).toMatchObject({ pending: 3, dropped: 7 });
    faulty.failWrites = null;
    await s.flush();
    for (const i of range(3)) s.append(seqRecord(10 + i, { pad: 'x'.repeat(3000) }));
    await s.flush();
    expect(seqs((await readAll(dir)).records)).toEqual([0, 1, 2, 10, 11, 12]);
  });

  it('a partial write before ENOSPC leaves the torn line isolated: no record lost, none doubled', async () => {
    const dir = tempDir();
    const faulty = new FaultyFs();
    const s = store(dir, faulty, []);
    for (const i of range(5)) s.append(seqRecord(i));
    const firstTwo = Buffer.byteLength(serializeRecordLine(seqRecord(0)) + serializeRecordLine(seqRecord(1)));
    faulty.partialBytes = firstTwo + 7;
    await s.flush();
    expect(s.stats()).toMatchObject({ written: 2, pending: 3, failedWrites: 1, state: 'degraded' });
    faulty.failWrites = null;
    await s.flush();
    const { records, stats } = await readAll(dir);
    expect(seqs(records)).toEqual(range(5));
    expect(stats).toEqual({ files: 2, lines: 6, records: 5, corruptLines: 1 });
  });

  it('a failed write among compact repeats rewrites the rest whole in the next file: every record reads back', async () => {
    const dir = tempDir();
    const faulty = new FaultyFs();
    const s = store(dir, faulty, []);
    const make = (i: number) =>
      ({
        schema: 1,
        id: `mx${String(i).padStart(4, '0')}-0000-abcd1234`,
        time: new Date(1_764_669_600_000 + i).toISOString(),
        fingerprint: 'fp-disk-full',
        exception: {
          type: 'Error',
          message: 'disk full',
          stacktrace: 'Error: disk full\n    at write (x.js:1:1)',
        },
        memory: { heapUsed: 1000 + i, heapTotal: 2000, heapLimit: 4000, heapUsedRatio: (1000 + i) / 4000 },
        occurrence: i + 1,
      }) as unknown as ErrorRecord;
    const records = range(10).map(make);
    for (const r of records) s.appendRecord(r, () => JSON.stringify(r));
    // The whole first line lands, the first repeat is torn, the disk fills.
    faulty.partialBytes = Buffer.byteLength(JSON.stringify(records[0])) + 1 + 10;
    await s.flush();
    expect(s.stats()).toMatchObject({ written: 1, pending: 9, failedWrites: 1 });
    faulty.failWrites = null;
    await s.flush();
    const read = await readAll(dir);
    expect(read.records).toEqual(records.map((r) => JSON.parse(JSON.stringify(r))));
    expect(read.stats).toEqual({ files: 2, lines: 11, records: 10, corruptLines: 1 });
  });

  it('short writes that cut multi-byte characters leave the file byte-identical to the lines', async () => {
    const dir = tempDir();
    const faulty = new FaultyFs();
    faulty.maxPerWrite = 7;
    const s = store(dir, faulty, []);
    const records = range(20).map((i) => seqRecord(i, { message: `渲染失败 😀 ${i} é` }));
    for (const r of records) s.append(r);
    await s.flush();
    const [file] = await listStoreFiles(dir);
    expect(
      fs.readFileSync(file!).equals(Buffer.from(records.map(serializeRecordLine).join(''), 'utf8')),
    ).toBe(true);
    expect(faulty.writeCalls).toBeGreaterThan(100);
  });

  it('an unwritable directory at start (EACCES) does not throw: the store is unavailable, then recovers', async () => {
    const dir = path.join(tempDir(), 'store');
    const faulty = new FaultyFs();
    faulty.failMkdir = 'EACCES';
    faulty.failOpen = 'EACCES';
    const s = store(dir, faulty, []);
    expect(s.stats()).toMatchObject({ state: 'unavailable', lastError: 'EACCES: injected' });
    for (const i of range(3)) s.append(seqRecord(i));
    await s.flush();
    expect(s.stats()).toMatchObject({ written: 0, pending: 3, state: 'unavailable' });
    faulty.failMkdir = faulty.failOpen = null;
    await s.flush();
    expect(s.stats()).toMatchObject({ written: 3, pending: 0, state: 'ok' });
    expect(seqs((await readAll(dir)).records)).toEqual(range(3));
  });

  it('a read-only file system (EROFS) on open is reported as unavailable, without throwing from flush or flushSync', async () => {
    const dir = tempDir();
    const faulty = new FaultyFs();
    faulty.failOpen = 'EROFS';
    const s = store(dir, faulty, []);
    s.append(seqRecord(0));
    await s.flush();
    s.flushSync();
    expect(s.stats()).toEqual({
      written: 0,
      pending: 1,
      dropped: 0,
      failedWrites: 2,
      rotations: 0,
      state: 'unavailable',
      lastError: 'EROFS: injected',
    });
  });

  it('when the store directory is deleted underneath, the next flush recreates it (0700) and nothing is counted lost', async () => {
    const dir = path.join(tempDir(), 'store');
    const s = store(dir, new FaultyFs(), []);
    s.append(seqRecord(0));
    await s.flush();
    fs.rmSync(dir, { recursive: true });
    s.append(seqRecord(1));
    s.append(seqRecord(2));
    await s.flush();
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(seqs((await readAll(dir)).records)).toEqual([1, 2]);
    expect(s.stats()).toMatchObject({ written: 3, dropped: 0, failedWrites: 0, state: 'ok' });
  });

  it('records still buffered when close() cannot write them are counted as dropped', async () => {
    const dir = tempDir();
    const faulty = new FaultyFs();
    const s = store(dir, faulty, []);
    faulty.failOpen = 'ENOSPC';
    for (const i of range(4)) s.append(seqRecord(i));
    await s.close();
    expect(s.stats()).toMatchObject({ written: 0, pending: 0, dropped: 4, state: 'unavailable' });
  });

  it('a warn sink that throws never reaches the app', async () => {
    const dir = tempDir();
    const faulty = new FaultyFs();
    faulty.failOpen = 'EIO';
    const s = openStore(dir, {
      fs: faulty,
      warn: () => {
        throw new Error('EPIPE');
      },
    });
    s.append(seqRecord(0));
    await s.flush();
    expect(s.stats()).toMatchObject({ pending: 1, failedWrites: 1 });
  });

  it('flush() waits only for records accepted before it, even while more keep coming and writes are slow', async () => {
    const dir = tempDir();
    const faulty = new GatedFs();
    const s = store(dir, faulty, [], { maxLogs: 5 });
    for (const i of range(5)) s.append(seqRecord(i));
    const flushed = s.flush();
    await faulty.started();
    for (const i of range(3)) s.append(seqRecord(5 + i));
    faulty.release();
    await flushed;
    expect(s.stats()).toMatchObject({ written: 5, pending: 3 });
    const second = s.flush();
    await faulty.started();
    faulty.release();
    await second;
    // Rotation waits for the write in flight to land; what follows goes to the new file only.
    const files = await listStoreFiles(dir);
    expect(files.map((f) => fs.readFileSync(f, 'utf8').split('\n').length - 1)).toEqual([5, 3]);
    expect(seqs((await readAll(dir)).records)).toEqual(range(8));
  });
});

describe('a synchronous flush while an asynchronous write is in flight', () => {
  it('rewrites the in-flight chunk at the same offset, so each record is in the file exactly once', async () => {
    const dir = tempDir();
    const faulty = new GatedFs();
    const s = store(dir, faulty, []);
    for (const i of range(5)) s.append(seqRecord(i));
    const flushed = s.flush();
    await faulty.started();
    for (const i of range(3)) s.append(seqRecord(5 + i));
    s.flushSync();
    expect(s.stats()).toMatchObject({ written: 8, pending: 0 });
    faulty.release();
    await flushed;
    expect(s.stats()).toMatchObject({ written: 8, pending: 0, failedWrites: 0 });
    const { records, stats } = await readAll(dir);
    expect(seqs(records)).toEqual(range(8));
    expect(stats).toEqual({ files: 1, lines: 8, records: 8, corruptLines: 0 });
  });
});

/** The real fs, with each write held until the test releases it. */
class GatedFs extends FaultyFs {
  private waiting: (() => void) | null = null;
  private onStart: (() => void) | null = null;
  override async write(fd: number, buf: Buffer, off: number, len: number, pos: number): Promise<number> {
    await new Promise<void>((resolve) => {
      this.waiting = resolve;
      this.onStart?.();
    });
    return super.write(fd, buf, off, len, pos);
  }
  /** Resolves once a write is waiting. */
  started(): Promise<void> {
    if (this.waiting) return Promise.resolve();
    return new Promise((resolve) => {
      this.onStart = resolve;
    });
  }
  release(): void {
    const w = this.waiting;
    this.waiting = null;
    this.onStart = null;
    w?.();
  }
}
