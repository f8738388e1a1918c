import { appendFile, lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ErrorRecord } from '../../src/record.js';
import { aggregateReport, generateReport } from '../../src/report/generate-report.js';
import type { ReportAggregation } from '../../src/report/report-aggregation.js';
import { listStoreFiles } from '../../src/store/read-store.js';
import { writeStore } from '../helpers/store-fixture.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeRecord } from './report-fixtures.js';

describe('generateReport over stores', () => {
  it('names an empty store directory a store, with no files and no records', async () => {
    const dir = await tempDir();
    const report = await aggregateReport({ source: { store: dir } });
    expect(report.source).toMatchObject({ kind: 'store', files: 0, lines: 0 });
    expect(report.totals.records).toBe(0);
  });

  it('reads several store directories as one report and applies the filters', async () => {
    const w1 = await tempDir();
    const w2 = await tempDir();
    await writeStore(w1, [
      makeRecord({ phase: 'ENCODING', time: '2026-11-20T10:00:00.000Z' }),
      makeRecord({ phase: 'MUXING', time: '2026-11-21T10:00:00.000Z' }),
    ]);
    await writeStore(w2, [
      makeRecord({
        phase: 'ENCODING',
        time: '2026-11-22T10:00:00.000Z',
        process: { pid: 2, hostname: 'render-02' },
      }),
    ]);
    const all = JSON.parse(
      await generateReport({ source: { store: [w1, w2] }, format: 'json' }),
    ) as ReportAggregation;
    expect(all.totals.records).toBe(3);
    expect(all.source).toMatchObject({ kind: 'store', files: 2, lines: 3, corruptLines: 0 });
    expect(all.groups[0]?.hosts).toEqual(['render-01', 'render-02']);
    const some = await aggregateReport({
      source: { store: [w1, w2] },
      filters: { phase: 'ENCODING', since: new Date('2026-11-21T00:00:00Z') },
    });
    expect(some.totals).toMatchObject({ records: 1, firstSeen: '2026-11-22T10:00:00.000Z' });
    expect(some.filters).toEqual({ phase: 'ENCODING', since: '2026-11-21T00:00:00.000Z' });
  });

  it('generates the report over corrupt, truncated, unknown-schema and incomplete lines and reports how many there were', async () => {
    const dir = await tempDir();
    await writeStore(dir, [makeRecord()]);
    const [file] = await listStoreFiles(dir);
    await appendFile(
      file as string,
      '{"not":"a record"}\nnot json at all\n{"id":"x","time":"2026-11-20T10:00:00Z"\n' +
        '{"id":"y","time":"2026-11-20T10:00:00Z"}\n' +
        `${JSON.stringify(makeRecord({ schema: 99 }))}\n` +
        `${JSON.stringify({ ...makeRecord(), exception: { type: 1, message: null } })}\n` +
        '{"id":"torn","time":"2026-11-20T1',
    );
    const report = await aggregateReport({ source: { store: dir } });
    expect(report.totals.records).toBe(1);
    expect(report.source.corruptLines).toBe(7);
    const html = await generateReport({ source: { store: dir }, format: 'html' });
    expect(html).toContain('"corruptLines":7');
    const csv = await generateReport({ source: { store: dir }, format: 'csv' });
    // Header, the one record, and the note of what was skipped.
    const rows = csv.trimEnd().split('\r\n');
    expect(rows).toHaveLength(3);
    expect(rows[2]!.startsWith('# skipped 7 unreadable lines,')).toBe(true);
  });

  it('writes JSONL with exactly one line per record even when messages and keys try to forge lines', async () => {
    const forged = 'x"}\n{"level":"fatal","msg":"forged"}';
    const records = [
      makeRecord({
        exception: { type: 'Error', message: `${forged}\u2028\u2029` },
        context: { [forged]: forged },
      }),
      makeRecord(),
    ];
    const jsonl = await generateReport({ source: { records }, format: 'jsonl' });
    const lines = jsonl.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(jsonl).not.toMatch(/[\u2028\u2029]/);
    expect(lines.slice(0, 2).map((l) => (JSON.parse(l) as ErrorRecord).id)).toEqual(records.map((r) => r.id));
    expect((JSON.parse(lines[0] as string) as ErrorRecord).exception.message).toBe(`${forged}\u2028\u2029`);
  });

  it('drops records whose id was already seen and counts them', async () => {
    const r = makeRecord();
    const report = await aggregateReport({ source: { records: [r, r, makeRecord()] } });
    expect(report.totals.records).toBe(2);
    expect(report.source.duplicates).toBe(1);
  });
});

describe('generateReport output file', () => {
  it('writes the file with mode 0600 through a temp file and returns its absolute path', async () => {
    const dir = await tempDir();
    const target = join(dir, 'report.html');
    const written = await generateReport({
      source: { records: [makeRecord()] },
      format: 'html',
      outputFile: target,
    });
    expect(written).toBe(target);
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect(await readFile(target, 'utf8')).toMatch(/^<!doctype html>/);
    expect(await readdir(dir)).toEqual(['report.html']);
  });

  it('refuses to write through a pre-planted symlink and leaves its target untouched', async () => {
    const dir = await tempDir();
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'precious');
    await symlink(victim, join(dir, 'report.csv'));
    await expect(
      generateReport({
        source: { records: [makeRecord()] },
        format: 'csv',
        outputFile: join(dir, 'report.csv'),
      }),
    ).rejects.toMatchObject({
      code: 'ERR_REPORT_OUTPUT_SYMLINK',
    });
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect((await lstat(join(dir, 'report.csv'))).isSymbolicLink()).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['report.csv', 'victim.txt']);
  });
});

describe('generateReport output stream', () => {
  it('writes to a stream with back-pressure and resolves to an empty string', async () => {
    const records = Array.from({ length: 3000 }, (_, i) => makeRecord({ fingerprint: `fp${i % 7}` }));
    const chunks: string[] = [];
    const stream = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'));
        setImmediate(done);
      },
    });
    const result = await generateReport({ source: { records }, format: 'csv', outputStream: stream });
    expect(result).toBe('');
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(await generateReport({ source: { records }, format: 'csv' }));
  });

  it('refuses outputStream together with outputFile', () => {
    expect(() =>
      generateReport({
        source: { records: [] },
        format: 'csv',
        outputFile: 'x.csv',
        outputStream: new Writable(),
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_REPORT_INVALID_OPTION' }));
  });
});

describe('generateReport errors', () => {
  it('throws a TypeError at the call for an unknown format', () => {
    expect(() => generateReport({ source: { records: [] }, format: 'pdf' as 'html' })).toThrow(TypeError);
    expect(() => generateReport({ source: { records: [] }, format: 'pdf' as 'html' })).toThrow(
      /unknown report format "pdf"/,
    );
  });

  it('throws a TypeError at the call without a source or with a bad filter', () => {
    expect(() => generateReport({ source: {}, format: 'json' })).toThrow(
      expect.objectContaining({ code: 'ERR_REPORT_NO_SOURCE' }),
    );
    expect(() =>
      generateReport({ source: { records: [] }, format: 'json', filters: { since: new Date('nope') } }),
    ).toThrow(TypeError);
  });

  it('rejects with ERR_REPORT_STORE_MISSING for a store that does not exist', async () => {
    const dir = await tempDir();
    await expect(
      generateReport({ source: { store: join(dir, 'missing') }, format: 'json' }),
    ).rejects.toMatchObject({
      name: 'ReportError',
      code: 'ERR_REPORT_STORE_MISSING',
      message: expect.stringContaining('store not found'),
    });
  });

  it('rejects with ERR_REPORT_FILE_UNREADABLE for an OTLP path that is missing or a directory', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'sub'));
    await expect(
      generateReport({ source: { otlp: join(dir, 'none.json') }, format: 'json' }),
    ).rejects.toMatchObject({ code: 'ERR_REPORT_FILE_UNREADABLE' });
    await expect(
      generateReport({ source: { otlp: join(dir, 'sub') }, format: 'json' }),
    ).rejects.toMatchObject({ code: 'ERR_REPORT_FILE_UNREADABLE' });
  });
});

describe('the JSON report', () => {
  it('is exactly the pretty-printed aggregation, line separators escaped, when written a group at a time', async () => {
    const records: ErrorRecord[] = [];
    for (let i = 0; i < 1500; i++) {
      records.push(
        makeRecord({
          id: `r${i}`,
          fingerprint: `fp${i % 700}`,
          time: new Date(Date.UTC(2026, 10, 20, 10, 0, i)).toISOString(),
          exception: { type: 'Error', message: `boom ${i % 700}\u2028${'é'.repeat(600)}` },
        }),
      );
    }
    const options = { source: { records }, title: 'equal' } as const;
    const text = await generateReport({ ...options, format: 'json' });
    expect(text.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(text).not.toMatch(/\u2028/);
    const expected = await aggregateReport(options);
    const parsed = JSON.parse(text) as ReportAggregation;
    expect(parsed.groups).toHaveLength(700);
    expected.generatedAt = parsed.generatedAt;
    expect(text).toBe(`${JSON.stringify(expected, null, 2).replace(/\u2028/g, '\\u2028')}\n`);
  });
});
