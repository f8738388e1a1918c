import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ErrorRecord } from '../../src/record.js';
import { serializeRecordLine } from '../../src/store/jsonl-store.js';
import {
  listStoreFiles,
  MAX_STORE_LINE_BYTES,
  readStore,
  type StoreReadStats,
} from '../../src/store/read-store.js';
import { formatStoreFileName } from '../../src/store/store-file-name.js';
import { tempDir } from './store-test-helpers.js';

function rec(id: string, extra: Partial<ErrorRecord> = {}): ErrorRecord {
  return { id, time: '2026-11-28T10:00:00.000Z', ...extra } as ErrorRecord;
}

function fileName(time: number, pid: number, seq: number): string {
  return formatStoreFileName('errors', time, pid, 'abcd1234', seq);
}

async function collect(paths: string | string[], filters = {}) {
  const stats: StoreReadStats = { files: 0, lines: 0, records: 0, corruptLines: 0 };
  const ids: string[] = [];
  for await (const r of readStore(paths, filters, stats)) ids.push(r.id);
  return { ids, stats };
}

const T = Date.UTC(2026, 10, 28, 10);

describe('listStoreFiles', () => {
  it("lists only the store's own files, oldest first, preferring the .gz when a file exists both ways", async () => {
    const dir = tempDir();
    const a = fileName(T, 10, 1);
    const b = fileName(T + 1000, 9, 1);
    const c = fileName(T + 2000, 10, 2);
    for (const n of [c, a, b, `${b}.gz`, 'notes.txt', 'errors.jsonl', `${a}.bak`, `${c}.gz.tmp`]) {
      fs.writeFileSync(path.join(dir, n), '');
    }
    expect((await listStoreFiles(dir)).map((p) => path.basename(p))).toEqual([a, `${b}.gz`, c]);
  });
});

describe('readStore', () => {
  it('skips and counts a torn last line and corrupt lines, ignores blank lines, returns all other records', async () => {
    const dir = tempDir();
    const text =
      serializeRecordLine(rec('a')) +
      '\n' +
      'not json\n' +
      '[1,2]\n' +
      '{"id":1,"time":"x"}\n' +
      serializeRecordLine(rec('b')) +
      '{"id":"c","time":"2026-';
    fs.writeFileSync(path.join(dir, fileName(T, 1, 1)), text);
    const { ids, stats } = await collect(dir);
    expect(ids).toEqual(['a', 'b']);
    expect(stats).toEqual({ files: 1, lines: 6, records: 2, corruptLines: 4 });
  });

  it('reads the record after a run of NULs left by a truncation underneath the writer', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, fileName(T, 1, 1)), `\0\0\0\0${serializeRecordLine(rec('after'))}`);
    const { ids, stats } = await collect(dir);
    expect(ids).toEqual(['after']);
    expect(stats.corruptLines).toBe(0);
  });

  it('skips and counts a line too long to hold, without buffering it, and reads on', async () => {
    const dir = tempDir();
    const file = path.join(dir, fileName(T, 1, 1));
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, serializeRecordLine(rec('before')));
    fs.writeSync(fd, Buffer.alloc(MAX_STORE_LINE_BYTES + 1024, 0x61));
    fs.writeSync(fd, `\n${serializeRecordLine(rec('after'))}`);
    fs.closeSync(fd);
    const { ids, stats } = await collect(dir);
    expect(ids).toEqual(['before', 'after']);
    expect(stats).toEqual({ files: 1, lines: 3, records: 2, corruptLines: 1 });
  });

  it('reads gzip files and plain files in order, from directories and single files', async () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, `${fileName(T, 1, 1)}.gz`),
      gzipSync(serializeRecordLine(rec('1')) + serializeRecordLine(rec('2'))),
    );
    fs.writeFileSync(path.join(dir, fileName(T + 5, 1, 2)), serializeRecordLine(rec('3')));
    const single = path.join(tempDir(), 'legacy.jsonl');
    fs.writeFileSync(single, serializeRecordLine(rec('0')));
    const { ids, stats } = await collect([single, dir]);
    expect(ids).toEqual(['0', '1', '2', '3']);
    expect(stats).toEqual({ files: 3, lines: 4, records: 4, corruptLines: 0 });
  });

  it('counts a truncated gzip file as one corrupt line and keeps the records before the damage', async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 200 }, (_, i) =>
      serializeRecordLine(rec(`r${i}`, { message: 'x'.repeat(50) } as never)),
    );
    const gz = gzipSync(lines.join(''));
    fs.writeFileSync(path.join(dir, `${fileName(T, 1, 1)}.gz`), gz.subarray(0, gz.length - 20));
    const { ids, stats } = await collect(dir);
    expect(ids.length).toBeGreaterThan(150);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => `r${i}`));
    expect(stats.corruptLines).toBe(1);
  });

  it('filters by time range (inclusive), phase, fingerprint and category', async () => {
    const dir = tempDir();
    const records = [
      rec('a', { time: '2026-11-01T00:00:00.000Z', phase: 'RENDERING', fingerprint: 'f1' }),
      rec('b', { time: '2026-11-02T00:00:00.000Z', phase: 'ENCODING', fingerprint: 'f1' }),
      rec('c', {
        time: '2026-11-03T00:00:00.000Z',
        phase: 'RENDERING',
        fingerprint: 'f2',
        classification: { category: 'memory' } as never,
      }),
      rec('d', { time: 'not a time', phase: 'RENDERING' }),
    ];
    fs.writeFileSync(path.join(dir, fileName(T, 1, 1)), records.map(serializeRecordLine).join(''));
    expect((await collect(dir, { phase: 'RENDERING' })).ids).toEqual(['a', 'c', 'd']);
    expect((await collect(dir, { fingerprint: 'f1' })).ids).toEqual(['a', 'b']);
    expect((await collect(dir, { category: 'memory' })).ids).toEqual(['c']);
    const ranged = await collect(dir, {
      since: new Date('2026-11-02T00:00:00.000Z'),
      until: new Date('2026-11-03T00:00:00.000Z'),
    });
    expect(ranged.ids).toEqual(['b', 'c']);
    expect(ranged.stats).toEqual({ files: 1, lines: 4, records: 2, corruptLines: 0 });
  });
});

describe('store lines are safe for every line reader', () => {
  it('a message or a key carrying a forged record stays one record', async () => {
    const forged = 'x"}\n{"level":"fatal","msg":"forged"}';
    const line = serializeRecordLine({ id: 'a', time: 't', message: forged, context: { [forged]: forged } });
    expect(line.indexOf('\n')).toBe(line.length - 1);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, fileName(T, 1, 1)), line);
    const out: ErrorRecord[] = [];
    for await (const r of readStore(dir)) out.push(r);
    expect(out).toHaveLength(1);
    expect((out[0] as unknown as { message: string }).message).toBe(forged);
  });

  it('U+2028, U+2029, NEL and the other C1 controls are escaped, so a splitlines() reader also sees one line', () => {
    const value = 'a\u2028b\u2029c\u0085d\u007fe\u009ff\r\ng\v\f\u001c\u001d\u001e';
    const line = serializeRecordLine({ id: 'x', time: 't', value });
    // Python's str.splitlines() boundaries.
    const pythonLines = line.slice(0, -1).split(/\r\n|[\n\r\v\f\u001c\u001d\u001e\u0085\u2028\u2029]/);
    expect(pythonLines).toHaveLength(1);
    expect(/[\u007f-\u009f\u2028\u2029]/.test(line)).toBe(false);
    expect(JSON.parse(line).value).toBe(value);
  });

  it('any JSON value serializes to exactly one line that parses back to the same value', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }),
        fc.string({ unit: 'binary' }),
        (value, key) => {
          const line = serializeRecordLine({ id: 'x', time: 't', [key]: value, value });
          expect(line.indexOf('\n')).toBe(line.length - 1);
          expect(/[\r\u007f-\u009f\u2028\u2029]/.test(line)).toBe(false);
          expect(JSON.parse(line)).toEqual(
            JSON.parse(JSON.stringify({ id: 'x', time: 't', [key]: value, value })),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every UTF-16 code unit, lone surrogates included, survives write and read unchanged', async () => {
    let all = '';
    for (let c = 0; c <= 0xffff; c++) all += String.fromCharCode(c);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, fileName(T, 1, 1)), serializeRecordLine({ id: 'all', time: 't', all }));
    const out: unknown[] = [];
    for await (const r of readStore(dir)) out.push(r);
    expect(out).toEqual([{ id: 'all', time: 't', all }]);
  });
});

describe('reading large files', () => {
  // Lines of every size, multi-byte text, and a line longer than a read chunk, so that lines
  // cross the reader's chunk and decode boundaries at every kind of position.
  function bigFileRecords(): ErrorRecord[] {
    const records: ErrorRecord[] = [];
    for (let i = 0; i < 3000; i++) {
      const text = `编码失败 🎬 é ${'x'.repeat((i * 37) % 1500)}${i % 500 === 7 ? 'ü'.repeat(40_000) : ''}`;
      records.push(rec(`r${i}`, { message: text } as never));
    }
    records.push(rec('huge', { message: `${'界'.repeat(700_000)}end` } as never));
    records.push(rec('last'));
    return records;
  }

  it('returns every record of a multi-megabyte file exactly, whatever the line lengths and characters', async () => {
    const records = bigFileRecords();
    const text = records.map(serializeRecordLine).join('');
    expect(Buffer.byteLength(text)).toBeGreaterThan(4 * 1024 * 1024);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, fileName(T, 1, 1)), text);
    fs.writeFileSync(path.join(dir, `${fileName(T + 5, 1, 2)}.gz`), gzipSync(text));
    const stats: StoreReadStats = { files: 0, lines: 0, records: 0, corruptLines: 0 };
    const out: ErrorRecord[] = [];
    for await (const r of readStore(dir, {}, stats)) out.push(r);
    expect(out).toEqual([...records, ...records]);
    expect(stats).toEqual({
      files: 2,
      lines: 2 * records.length,
      records: 2 * records.length,
      corruptLines: 0,
    });
  });

  it('counts a torn last line after a multi-megabyte file of good ones', async () => {
    const records = bigFileRecords();
    const dir = tempDir();
    const torn = serializeRecordLine(rec('torn', { message: '界'.repeat(400_000) } as never)).slice(0, -10);
    fs.writeFileSync(path.join(dir, fileName(T, 1, 1)), records.map(serializeRecordLine).join('') + torn);
    const { ids, stats } = await collect(dir);
    expect(ids).toEqual(records.map((r) => r.id));
    expect(stats).toEqual({ files: 1, lines: records.length + 1, records: records.length, corruptLines: 1 });
  });
});
