import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ErrorRecord } from '../../src/record.js';
import { generateReport } from '../../src/report/generate-report.js';
import { readStore, type StoreReadStats } from '../../src/store/read-store.js';
import { encodeRepeat, repeatBase } from '../../src/store/repeat-line.js';
import { ensureBuilt, runCli } from '../cli/cli-run.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeRecord } from './report-fixtures.js';

const FILE = 'errors.2026-11-28T10-00-00-000Z.4242-k3j9x0ab.000001.jsonl';

/** JSON text nesting `levels` objects: {"a":{"a":…{}}}. */
function nested(levels: number): string {
  return `${'{"a":'.repeat(levels)}{}${'}'.repeat(levels)}`;
}

/** A store with a normal record, one whose context nests `levels` deep, and `corrupt` bad lines. */
async function store(levels: number, corrupt: number): Promise<string> {
  const dir = join(await tempDir(), 'store');
  await mkdir(dir);
  const normal = JSON.stringify(makeRecord({ id: 'normal-1', fingerprint: 'f1' }));
  const deep = JSON.stringify(makeRecord({ id: 'deep-1', fingerprint: 'f2' })).replace(
    /}$/,
    `,"context":${nested(levels)}}`,
  );
  const bad = Array.from({ length: corrupt }, (_, i) => `{"not a record":${i}}`);
  await writeFile(join(dir, FILE), `${[normal, deep, ...bad].join('\n')}\n`);
  return dir;
}

function depthOf(value: unknown): number {
  let depth = 0;
  let at = value;
  while (typeof at === 'object' && at !== null) {
    depth++;
    at = (at as { a?: unknown }).a;
  }
  return depth;
}

describe('a stored record nested 6,000 levels deep', () => {
  it('is read back cut to 64 levels, and counted as shortened', async () => {
    const dir = await store(6000, 0);
    const stats: StoreReadStats = { files: 0, lines: 0, records: 0, corruptLines: 0 };
    const records: ErrorRecord[] = [];
    for await (const r of readStore(dir, {}, stats)) records.push(r);
    expect(records.map((r) => r.id)).toEqual(['normal-1', 'deep-1']);
    expect(stats).toMatchObject({ records: 2, corruptLines: 0, shortenedRecords: 1 });
    expect(depthOf(records[1]!.context)).toBeLessThanOrEqual(64);
    expect(JSON.stringify(records[1])).toContain('[depth limit]');
    // The normal record is untouched.
    expect(records[0]).toEqual(makeRecord({ id: 'normal-1', fingerprint: 'f1' }));
  });

  it('cuts a repeat line rebuilt from a deep base as well, and counts it', async () => {
    const dir = join(await tempDir(), 'store');
    await mkdir(dir);
    const deep = (id: string, time: string) =>
      JSON.stringify(makeRecord({ id, time, fingerprint: 'f2' })).replace(/}$/, `,"context":${nested(200)}}`);
    const baseLine = deep('mq1x2y3-000001-k3j9x0ab', '2026-11-28T10:00:00.000Z');
    const again = JSON.parse(deep('mq1x2y3-000002-k3j9x0ab', '2026-11-28T10:00:01.000Z')) as ErrorRecord;
    const repeatLine = encodeRepeat(again, repeatBase(baseLine)!);
    expect(repeatLine).toBeDefined();
    // The repeat line itself is shallow: all the depth comes from its base.
    expect(repeatLine!.length).toBeLessThan(baseLine.length / 2);
    await writeFile(join(dir, FILE), `${baseLine}\n${repeatLine}\n`);

    const stats: StoreReadStats = { files: 0, lines: 0, records: 0, corruptLines: 0 };
    const records: ErrorRecord[] = [];
    for await (const r of readStore(dir, {}, stats)) records.push(r);
    expect(records.map((r) => r.id)).toEqual(['mq1x2y3-000001-k3j9x0ab', 'mq1x2y3-000002-k3j9x0ab']);
    expect(records.map((r) => depthOf(r.context))).toEqual([63, 63]);
    expect(stats).toMatchObject({ records: 2, corruptLines: 0, shortenedRecords: 2 });
  });

  it('every report format and tail --json succeed with the CLI, and say what they cut', async () => {
    ensureBuilt();
    const dir = await store(6000, 0);
    for (const format of ['json', 'html', 'csv', 'jsonl']) {
      const r = await runCli(['report', '-s', dir, '--format', format]);
      expect(r.stderr, format).not.toContain('Maximum call stack');
      expect(r.code, format).toBe(0);
      expect(r.stdout, format).toContain('deep-1');
    }
    const json = JSON.parse((await runCli(['report', '-s', dir, '--format', 'json'])).stdout);
    expect(json.source).toMatchObject({ corruptLines: 0, shortenedRecords: 1 });
    const csv = (await runCli(['report', '-s', dir, '--format', 'csv'])).stdout;
    expect(csv).toContain('1 record shortened');
    const tail = await runCli(['tail', '-s', dir, '--json', '--from-start', '--limit', '2']);
    expect(tail.code).toBe(0);
    const lines = tail.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ErrorRecord);
    expect(lines.map((l) => l.id)).toEqual(['normal-1', 'deep-1']);
    expect(depthOf(lines[1]!.context)).toBeLessThanOrEqual(64);
  });

  it('generateReport over such records in memory resolves, and leaves the caller’s records as they were', async () => {
    const deep = makeRecord({ id: 'mem-deep' });
    deep.context = JSON.parse(nested(6000));
    const report = JSON.parse(await generateReport({ source: { records: [deep] }, format: 'json' }));
    expect(report.source.shortenedRecords).toBe(1);
    expect(depthOf(deep.context)).toBe(6001);
    for (const format of ['html', 'csv', 'jsonl'] as const) {
      await expect(generateReport({ source: { records: [deep] }, format })).resolves.toContain('mem-deep');
    }
  });
});

describe('skipped lines in every format', () => {
  it('CSV and JSONL end with the count of unreadable lines, as JSON and HTML carry it', async () => {
    const dir = await store(3, 3);
    const csv = await generateReport({ source: { store: dir }, format: 'csv' });
    const lastRow = csv.trimEnd().split('\r\n').at(-1)!;
    expect(lastRow.startsWith('# skipped 3 unreadable lines,')).toBe(true);
    const grouped = await generateReport({ source: { store: dir }, format: 'csv', group: true });
    expect(grouped.trimEnd().split('\r\n').at(-1)!.startsWith('# skipped 3 unreadable lines,')).toBe(true);
    const jsonl = (await generateReport({ source: { store: dir }, format: 'jsonl' })).trimEnd().split('\n');
    expect(jsonl.slice(0, 2).map((l) => JSON.parse(l).id)).toEqual(['normal-1', 'deep-1']);
    expect(JSON.parse(jsonl.at(-1)!)).toEqual({
      note: '# skipped 3 unreadable lines',
      corruptLines: 3,
      shortenedRecords: 0,
    });
    const json = JSON.parse(await generateReport({ source: { store: dir }, format: 'json' }));
    expect(json.source.corruptLines).toBe(3);
    const html = await generateReport({ source: { store: dir }, format: 'html' });
    expect(html).toContain('"corruptLines":3');
  });

  it('a clean store adds no note: CSV stays a plain table, JSONL holds only records', async () => {
    const dir = await store(3, 0);
    const csv = await generateReport({ source: { store: dir }, format: 'csv' });
    expect(csv.trimEnd().split('\r\n')).toHaveLength(3);
    const jsonl = await generateReport({ source: { store: dir }, format: 'jsonl' });
    expect(jsonl.trimEnd().split('\n')).toHaveLength(2);
  });
});

describe('readStore counts', () => {
  it('start from whatever the caller passes: {} gives numbers, not NaN, and given counts are added to', async () => {
    const dir = await store(3, 2);
    const empty = {} as StoreReadStats;
    for await (const _ of readStore(dir, {}, empty)) {
      // counting only
    }
    expect(empty).toEqual({ files: 1, lines: 4, records: 2, corruptLines: 2 });
    const partial = { files: 10 } as StoreReadStats;
    for await (const _ of readStore(dir, {}, partial)) {
      // counting only
    }
    expect(partial).toEqual({ files: 11, lines: 4, records: 2, corruptLines: 2 });
  });
});
