import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportLogger } from '../../src/logger/export-logger.js';
import type { ErrorRecord } from '../../src/record.js';
import { aggregateReport } from '../../src/report/generate-report.js';
import type { ReportAggregation } from '../../src/report/report-aggregation.js';
import { readStore } from '../../src/store/read-store.js';
import { tempDir } from '../helpers/temp-dir.js';

const loggers: ExportLogger[] = [];
afterEach(async () => {
  await Promise.all(loggers.splice(0).map((l) => l.shutdown()));
});

function failAt(site: number, i: number): Error {
  // Three call sites, so three fingerprints; the messages vary with the segment.
  const make = [
    () => new Error(`编码失败：第 ${i} 段`),
    () => new Error(`upload refused for part ${i}`),
    () => new TypeError(`bad frame ${i}`),
  ][site]!;
  return make();
}

/** The aggregation without what tells two sources apart (when it was made, what was read). */
function content(a: ReportAggregation): Omit<ReportAggregation, 'generatedAt' | 'source'> {
  const { generatedAt: _g, source: _s, ...rest } = a;
  return rest;
}

describe('a report over a store', () => {
  it('shows the same groups, samples included, as a report over the same records in memory', async () => {
    const dir = await tempDir();
    const log = new ExportLogger({
      logFile: join(dir, 'e.jsonl'),
      maxLogs: 40,
      resources: false,
      warnOnStderr: false,
      fingerprintVersion: '1',
    });
    loggers.push(log);
    for (let i = 0; i < 150; i++) {
      log.logStructuredError(
        failAt(i % 3, i),
        { segment: i, note: i % 7 === 0 ? '视频渲染中断' : 'ok' },
        { phase: i % 2 === 0 ? 'RENDERING' : 'ENCODING', videoHash: `9f86d081${i % 4}` },
      );
    }
    await log.flush();
    // Both kinds of line are in the store: whole lines and compact repeats of them.
    const lines = (
      await Promise.all((await readdir(dir)).map((f) => readFile(join(dir, f), 'utf8')))
    ).flatMap((t) => t.trimEnd().split('\n'));
    expect(lines).toHaveLength(150);
    expect(lines.filter((l) => l.includes('"repeatOf"')).length).toBeGreaterThan(100);

    const records: ErrorRecord[] = [];
    for await (const r of readStore(dir)) records.push(r);
    const fromStore = await aggregateReport({ source: { store: dir } });
    const fromMemory = await aggregateReport({ source: { records } });
    expect(content(fromStore)).toEqual(content(fromMemory));

    // Each group: its first two occurrences and its latest, as the records were stored.
    expect(fromStore.groups).toHaveLength(3);
    for (const g of fromStore.groups) {
      const mine = records.filter((r) => r.fingerprint === g.fingerprint);
      expect(g.count).toBe(50);
      expect(g.samples.map((s) => s.id)).toEqual([mine[0]?.id, mine[1]?.id, mine[49]?.id]);
      expect(g.samples[2]?.context).toEqual(mine[49]?.context);
      expect(g.samples[2]?.stacktrace).toBe(mine[49]?.exception.stacktrace);
    }
  });

  it('shows the same samples from whole lines as from the records, in any language', async () => {
    const dir = await tempDir();
    // One file per 10 records and 12 fingerprints in turn: no fingerprint repeats within a file,
    // so every line is whole (the case of a store with many groups).
    const log = new ExportLogger({
      logFile: join(dir, 'e.jsonl'),
      maxLogs: 10,
      resources: false,
      warnOnStderr: false,
      fingerprintVersion: '1',
    });
    loggers.push(log);
    for (let i = 0; i < 60; i++) {
      log.logStructuredError(
        new Error(`渲染失败 ${['甲', '乙', '丙', '丁', '戊', '己'][i % 6]}${i % 12 < 6 ? 'x' : 'y'}`),
        {
          segment: i,
        },
      );
    }
    await log.flush();
    const lines = (
      await Promise.all((await readdir(dir)).map((f) => readFile(join(dir, f), 'utf8')))
    ).flatMap((t) => t.trimEnd().split('\n'));
    expect(lines.filter((l) => l.includes('"repeatOf"'))).toHaveLength(0);
    const records: ErrorRecord[] = [];
    for await (const r of readStore(dir)) records.push(r);
    const fromStore = await aggregateReport({ source: { store: dir } });
    const fromMemory = await aggregateReport({ source: { records } });
    expect(fromStore.groups).toHaveLength(12);
    expect(content(fromStore)).toEqual(content(fromMemory));
    for (const g of fromStore.groups) {
      const mine = records.filter((r) => r.fingerprint === g.fingerprint);
      expect(g.samples.map((s) => s.id)).toEqual([mine[0]?.id, mine[1]?.id, mine[4]?.id]);
      expect(g.samples[0]?.message).toBe(mine[0]?.exception.message);
    }
  });
});
