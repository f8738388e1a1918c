import { describe, expect, it } from 'vitest';
import { ErrorAggregator, MAX_BREAKDOWN_KEYS } from '../../src/grouping/error-aggregator.js';
import { FloodGuard } from '../../src/grouping/flood-guard.js';
import { makeRecord } from './record-builder.js';

const heap = (ratio: number) => ({
  heapUsed: ratio * 100,
  heapTotal: 100,
  heapLimit: 100,
  heapUsedRatio: ratio,
});

describe('ErrorAggregator', () => {
  it('returns the occurrence number per fingerprint and counts totals and unique fingerprints', () => {
    const agg = new ErrorAggregator();
    const seq = ['a', 'b', 'a', 'a', 'c', 'b'].map((fp) => agg.observe(makeRecord({ fingerprint: fp })));
    expect(seq).toEqual([1, 1, 2, 3, 1, 2]);
    const s = agg.stats();
    expect(s.totalErrors).toBe(6);
    expect(s.uniqueErrors).toBe(3);
    expect(s.mostFrequent.map((g) => [g.fingerprint, g.count])).toEqual([
      ['a', 3],
      ['b', 2],
      ['c', 1],
    ]);
  });

  it('keeps per fingerprint first and last seen, phases, videos, processes and hosts, heap min/mean/max', () => {
    const agg = new ErrorAggregator();
    const base = { fingerprint: 'fp', messageTemplate: 'frame <frame> dropped' };
    agg.observe(
      makeRecord({
        ...base,
        time: '2026-11-28T10:00:00.000Z',
        phase: 'RENDERING',
        videoHash: 'v1',
        memory: heap(0.2),
        exception: { type: 'Error', message: 'frame 12 dropped' },
      }),
    );
    agg.observe(
      makeRecord({
        ...base,
        time: '2026-11-28T10:05:00.000Z',
        phase: 'ENCODING',
        videoHash: 'v2',
        memory: heap(0.6),
      }),
    );
    agg.observe(
      makeRecord({
        ...base,
        time: '2026-11-28T10:09:00.000Z',
        phase: 'ENCODING',
        videoHash: 'v1',
        memory: heap(0.4),
        process: { pid: 2, hostname: 'host-b' },
      }),
    );
    const g = agg.group('fp');
    expect(g).toMatchObject({
      count: 3,
      type: 'Error',
      message: 'frame 12 dropped',
      template: 'frame <frame> dropped',
      firstSeen: '2026-11-28T10:00:00.000Z',
      lastSeen: '2026-11-28T10:09:00.000Z',
      phases: ['RENDERING', 'ENCODING'],
      videos: 2,
      videoHashes: ['v1', 'v2'],
      processes: 2,
      hosts: ['host-a', 'host-b'],
    });
    expect(g!.heapUse!.min).toBeCloseTo(0.2);
    expect(g!.heapUse!.mean).toBeCloseTo(0.4);
    expect(g!.heapUse!.max).toBeCloseTo(0.6);
    expect(g!.exemplar.time).toBe('2026-11-28T10:00:00.000Z');
  });

  it('keeps the last few context samples and one full exemplar', () => {
    const agg = new ErrorAggregator({ maxSamples: 2 });
    for (let i = 1; i <= 5; i++)
      agg.observe(makeRecord({ fingerprint: 'fp', id: `r${i}`, context: { attempt: i } }));
    const g = agg.group('fp')!;
    expect(g.samples.map((s) => [s.id, s.context])).toEqual([
      ['r4', { attempt: 4 }],
      ['r5', { attempt: 5 }],
    ]);
    expect(g.exemplar.id).toBe('r1');
    expect(g.exemplar.context).toEqual({ attempt: 1 });
  });

  it('evicts the least recently seen fingerprints past the cap, counts the evictions and forgets them', () => {
    const agg = new ErrorAggregator({ maxFingerprints: 3 });
    for (const fp of ['a', 'b', 'c', 'd', 'b', 'e'])
      agg.observe(makeRecord({ fingerprint: fp, messageTemplate: 'same' }));
    const s = agg.stats();
    expect(s.uniqueErrors).toBe(3);
    expect(s.evicted).toBe(2);
    expect(s.totalErrors).toBe(6);
    expect(['a', 'b', 'c', 'd', 'e'].filter((fp) => agg.group(fp) !== undefined)).toEqual(['b', 'd', 'e']);
    expect(agg.group('b')!.count).toBe(2);
    expect(agg.group('b')!.similar.sort()).toEqual(['d', 'e']);
    // An evicted fingerprint starts again at 1.
    expect(agg.observe(makeRecord({ fingerprint: 'a' }))).toBe(1);
  });

  it('bounds the distinct videos remembered and says when it stopped counting', () => {
    const agg = new ErrorAggregator({ maxDistinct: 3 });
    for (let i = 0; i < 10; i++) agg.observe(makeRecord({ fingerprint: 'fp', videoHash: `v${i}` }));
    expect(agg.group('fp')).toMatchObject({ videos: 3, videosCapped: true });
  });

  it('breaks counts down by phase, category and type', () => {
    const agg = new ErrorAggregator();
    const cls = (category: string) => ({
      category,
      severity: 'high' as const,
      retryable: false,
      suggestion: '',
      rule: 'r',
    });
    agg.observe(makeRecord({ phase: 'ENCODING', classification: cls('encoding') }));
    agg.observe(
      makeRecord({
        phase: 'ENCODING',
        classification: cls('io'),
        exception: { type: 'TypeError', message: 'x' },
      }),
    );
    agg.observe(makeRecord({ classification: cls('io') }));
    const s = agg.stats();
    expect(s.byPhase).toEqual({ ENCODING: 2, unknown: 1 });
    expect(s.byCategory).toEqual({ encoding: 1, io: 2 });
    expect(s.byType).toEqual({ Error: 2, TypeError: 1 });
    expect(s.byRoute).toEqual({});
  });

  it('counts the errors of HTTP requests by method and route, a path without a route masked', () => {
    const agg = new ErrorAggregator();
    agg.observe(
      makeRecord({ request: { method: 'GET', route: '/videos/:id', path: '/videos/42', status: 500 } }),
    );
    agg.observe(
      makeRecord({ request: { method: 'GET', route: '/videos/:id', path: '/videos/43', status: 500 } }),
    );
    agg.observe(makeRecord({ request: { method: 'POST', path: '/videos/1234/export' } }));
    agg.observe(makeRecord({ request: {} }));
    agg.observe(makeRecord({}));
    expect(agg.stats().byRoute).toEqual({ 'GET /videos/:id': 2, 'POST /videos/:id/export': 1 });
  });

  it(`keeps at most ${MAX_BREAKDOWN_KEYS} routes and counts the rest under other`, () => {
    const agg = new ErrorAggregator();
    for (let i = 0; i < MAX_BREAKDOWN_KEYS + 5; i++)
      agg.observe(makeRecord({ request: { method: 'GET', route: `/r${i}` } }));
    const byRoute = agg.stats().byRoute;
    expect(Object.keys(byRoute)).toHaveLength(MAX_BREAKDOWN_KEYS + 1);
    expect(byRoute.other).toBe(5);
  });

  it('limits mostFrequent to topN, most frequent first', () => {
    const agg = new ErrorAggregator({ topN: 2 });
    for (const [fp, n] of [
      ['x', 1],
      ['y', 5],
      ['z', 3],
      ['w', 4],
    ] as const) {
      for (let i = 0; i < n; i++) agg.observe(makeRecord({ fingerprint: fp }));
    }
    expect(agg.stats().mostFrequent.map((g) => g.fingerprint)).toEqual(['y', 'w']);
  });

  it('reports fingerprints that share a message template as similar', () => {
    const agg = new ErrorAggregator();
    const t = "Cannot read properties of undefined (reading 'width')";
    agg.observe(makeRecord({ fingerprint: 'site-1', messageTemplate: t }));
    agg.observe(makeRecord({ fingerprint: 'site-2', messageTemplate: t }));
    agg.observe(makeRecord({ fingerprint: 'other', messageTemplate: 'Invalid array length' }));
    const s = agg.stats();
    expect(s.similar).toEqual([{ template: t, fingerprints: ['site-1', 'site-2'], count: 2 }]);
    expect(agg.group('site-1')!.similar).toEqual(['site-2']);
    expect(agg.group('other')!.similar).toEqual([]);
  });

  it('shows what the flood guard folded, in total and per fingerprint', () => {
    const guard = new FloodGuard({ maxPerWindow: 2, windowMs: 1000 });
    const agg = new ErrorAggregator({ floodGuard: guard });
    let stored = 0;
    for (let i = 0; i < 5; i++) {
      const r = makeRecord({ fingerprint: 'storm' });
      agg.observe(r);
      if (guard.admit(r.fingerprint, 100 + i)) stored++;
    }
    expect(stored).toBe(2);
    expect(agg.stats().folded).toBe(3);
    expect(agg.group('storm')).toMatchObject({ count: 5, folded: 3 });
  });

  it('keeps the latest pattern warnings for the stats', () => {
    const agg = new ErrorAggregator({ maxPatterns: 2 });
    const w = (n: number) => ({
      kind: 'recurring' as const,
      message: `m${n}`,
      count: n,
      threshold: 1,
      window: 1,
      firstAt: '',
      at: '',
    });
    agg.notePatterns([w(1), w(2)]);
    agg.notePatterns([w(3)]);
    expect(agg.stats().patterns.map((p) => p.message)).toEqual(['m2', 'm3']);
  });

  it('rejects bad options at construction', () => {
    expect(() => new ErrorAggregator({ maxFingerprints: 0 })).toThrow(RangeError);
    expect(() => new ErrorAggregator({ topN: 1.5 })).toThrow(TypeError);
  });
});
