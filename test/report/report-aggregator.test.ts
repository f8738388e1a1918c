import { describe, expect, it } from 'vitest';
import { AdaptiveTimeline } from '../../src/report/adaptive-timeline.js';
import { ReportAggregator } from '../../src/report/report-aggregator.js';
import { makeRecord } from './report-fixtures.js';

const meta = {
  title: 't',
  source: { kind: 'records' as const, files: 0, lines: 0, corruptLines: 0, duplicates: 0 },
};

function minute(n: number): string {
  return new Date(Date.UTC(2026, 10, 20, 10, n)).toISOString();
}

describe('ReportAggregator', () => {
  it('counts occurrences per fingerprint with first and last seen whatever the input order', () => {
    const agg = new ReportAggregator();
    for (const n of [5, 1, 9, 3]) agg.add(makeRecord({ fingerprint: 'a', time: minute(n) }));
    agg.add(makeRecord({ fingerprint: 'b', time: minute(2) }));
    const result = agg.result(meta);
    expect(result.totals).toMatchObject({
      records: 5,
      fingerprints: 2,
      firstSeen: minute(1),
      lastSeen: minute(9),
    });
    expect(result.groups.map((g) => [g.fingerprint, g.count, g.firstSeen, g.lastSeen])).toEqual([
      ['a', 4, minute(1), minute(9)],
      ['b', 1, minute(2), minute(2)],
    ]);
  });

  it('breaks counts down by phase, category, severity and phase × category', () => {
    const agg = new ReportAggregator();
    agg.add(makeRecord({ phase: 'ENCODING' }));
    agg.add(makeRecord({ phase: 'ENCODING' }));
    agg.add(
      makeRecord({
        phase: 'MUXING',
        fingerprint: 'm',
        classification: {
          category: 'disk',
          severity: 'critical',
          retryable: false,
          suggestion: '',
          rule: 'r',
        },
      }),
    );
    agg.add(makeRecord({ phase: undefined }));
    const r = agg.result(meta);
    expect(r.byPhase).toEqual([
      { phase: 'ENCODING', count: 2, fingerprints: 1 },
      { phase: 'MUXING', count: 1, fingerprints: 1 },
      { phase: '(none)', count: 1, fingerprints: 1 },
    ]);
    expect(r.byCategory).toEqual([
      { category: 'ffmpeg', count: 3, fingerprints: 1 },
      { category: 'disk', count: 1, fingerprints: 1 },
    ]);
    expect(r.bySeverity).toEqual({ high: 3, critical: 1 });
    expect(r.heatmap).toEqual({
      phases: ['ENCODING', 'MUXING', '(none)'],
      categories: ['ffmpeg', 'disk'],
      counts: [
        [2, 0],
        [0, 1],
        [1, 0],
      ],
    });
  });

  it('keeps memory bounded by fingerprints: three samples and capped video sets however many records', () => {
    const agg = new ReportAggregator();
    for (let i = 0; i < 20_000; i++)
      agg.add(makeRecord({ fingerprint: `fp${i % 3}`, videoHash: `v${i}`, time: minute(i % 600) }));
    const r = agg.result(meta);
    expect(r.totals.records).toBe(20_000);
    expect(r.groups).toHaveLength(3);
    for (const g of r.groups) {
      expect(g.samples.length).toBeLessThanOrEqual(3);
      expect(g.videos).toBe(1_000);
      expect(g.videosCapped).toBe(true);
      expect(g.videoSample).toHaveLength(20);
    }
    expect(r.totals.videos).toBe(20_000);
  });

  it('summarizes memory, disk, system memory and time from phase start per fingerprint', () => {
    const agg = new ReportAggregator();
    agg.add(
      makeRecord({
        memory: { heapUsed: 100, heapTotal: 200, heapLimit: 400, heapUsedRatio: 0.25, rss: 1000 },
        phaseElapsedMs: 1000,
      }),
    );
    agg.add(
      makeRecord({
        memory: { heapUsed: 300, heapTotal: 400, heapLimit: 400, heapUsedRatio: 0.75 },
        context: { phaseStartedAt: '2026-11-20T09:59:57.000Z' },
        resources: {
          'system.memory.utilization': 0.9,
          volumes: [
            { paths: ['/data'], 'system.filesystem.limit': 100, 'system.filesystem.utilization': 0.5 },
            { paths: ['/tmp'], 'system.filesystem.limit': 100, 'system.filesystem.utilization': 0.97 },
          ],
        },
      }),
    );
    const [g] = agg.result(meta).groups;
    expect(g?.heapUsed).toEqual({ count: 2, min: 100, max: 300, mean: 200 });
    expect(g?.heapUsedRatio.max).toBe(0.75);
    expect(g?.rss).toEqual({ count: 1, min: 1000, max: 1000, mean: 1000 });
    expect(g?.phaseElapsedMs).toEqual({ count: 2, min: 1000, max: 3000, mean: 2000 });
    expect(g?.diskUsedRatio?.max).toBeCloseTo(0.97);
    expect(g?.systemMemoryUsedRatio?.max).toBeCloseTo(0.9);
  });

  it('links fingerprints whose templates share most words and have the same type', () => {
    const agg = new ReportAggregator();
    agg.add(makeRecord({ fingerprint: 'a', messageTemplate: 'Cannot open file <path> for reading' }));
    agg.add(makeRecord({ fingerprint: 'b', messageTemplate: 'Cannot open file <path> for writing' }));
    agg.add(makeRecord({ fingerprint: 'c', messageTemplate: 'Socket hang up' }));
    const similar = Object.fromEntries(agg.result(meta).groups.map((g) => [g.fingerprint, g.similar]));
    expect(similar).toEqual({ a: ['b'], b: ['a'], c: [] });
  });

  it('folds pattern warnings by kind and fingerprint with a count', () => {
    const agg = new ReportAggregator((r) =>
      r.occurrence > 1
        ? [{ kind: 'recurring', fingerprint: r.fingerprint, message: `again ${r.occurrence}` }]
        : [],
    );
    for (let i = 1; i <= 4; i++) agg.add(makeRecord({ occurrence: i, time: minute(i) }));
    expect(agg.result(meta).patterns).toEqual([
      { type: 'recurring', fingerprint: 'fp-ffmpeg', message: 'again 4', count: 3, lastSeen: minute(4) },
    ]);
  });

  it('puts every record in exactly one timeline bucket; the top series and other add up to the total', () => {
    const agg = new ReportAggregator();
    for (let i = 0; i < 1_000; i++)
      agg.add(
        makeRecord({
          fingerprint: `fp${i % 11}`,
          time: new Date(Date.UTC(2026, 10, 1) + i * 3_600_000).toISOString(),
        }),
      );
    const { timeline } = agg.result(meta);
    expect(timeline.total.length).toBeLessThanOrEqual(120);
    expect(timeline.total.reduce((a, b) => a + b, 0)).toBe(1_000);
    expect(timeline.series).toHaveLength(8);
    timeline.total.forEach((t, i) => {
      expect(timeline.series.reduce((sum, s) => sum + (s.counts[i] ?? 0), 0) + (timeline.other[i] ?? 0)).toBe(
        t,
      );
    });
  });
});

describe('AdaptiveTimeline', () => {
  it('steps the bucket width up through readable widths when the range grows', () => {
    const t = new AdaptiveTimeline(10);
    t.add('k', 0);
    t.add('k', 9 * 60_000);
    expect(t.bucketMs).toBe(60_000);
    t.add('k', 30 * 60_000);
    expect(t.bucketMs).toBe(5 * 60_000);
    expect(t.series('k')).toEqual([1, 1, 0, 0, 0, 0, 1]);
  });

  it('counts what a map per key and bucket counts, in any order, across widenings', () => {
    // Times over a day, before and after the epoch, some keys seen once: shuffled, then sorted.
    const times: [string, number][] = [];
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 3_000; i++) times.push([`k${i % 37}`, Math.floor((next() - 0.3) * 86_400_000)]);
    times.push(['lone', 5]);
    for (const order of [times, [...times].sort((a, b) => a[1] - b[1])]) {
      const t = new AdaptiveTimeline(50);
      for (const [key, ms] of order) t.add(key, ms);
      const range = t.range();
      if (range === null) throw new Error('no range');
      expect(range.buckets).toBeLessThanOrEqual(50);
      const expected = new Map<string, number[]>();
      for (const [key, ms] of order) {
        const row = expected.get(key) ?? new Array<number>(range.buckets).fill(0);
        const i = Math.floor(ms / t.bucketMs) - range.startMs / t.bucketMs;
        row[i] = (row[i] ?? 0) + 1;
        expected.set(key, row);
      }
      for (const [key, row] of expected) expect(t.series(key)).toEqual(row);
      expect(t.series('never')).toEqual(new Array<number>(range.buckets).fill(0));
    }
  });
});

describe('ReportAggregator with more phases than it names', () => {
  it('keeps the heat map adding up to the breakdowns, "(other)" row included', () => {
    const agg = new ReportAggregator();
    for (let i = 0; i < 150; i++)
      agg.add(makeRecord({ id: `r${i}`, phase: `PHASE_${i}`, fingerprint: `fp${i % 7}` }));
    const r = agg.result(meta);
    const byPhase = Object.fromEntries(r.byPhase.map((p) => [p.phase, p.count]));
    expect(byPhase['(other)']).toBe(50);
    const heatTotal = r.heatmap.counts.flat().reduce((a, b) => a + b, 0);
    expect(heatTotal).toBe(150);
    const otherRow = r.heatmap.counts[r.heatmap.phases.indexOf('(other)')];
    expect(otherRow?.reduce((a, b) => a + b, 0)).toBe(50);
  });
});
