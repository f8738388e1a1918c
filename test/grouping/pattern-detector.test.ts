import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PatternDetector, type PatternWarning } from '../../src/grouping/pattern-detector.js';
import type { ErrorRecord } from '../../src/record.js';
import { JsonlStore } from '../../src/store/jsonl-store.js';
import { readStore } from '../../src/store/read-store.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeRecord, TestClock } from './record-builder.js';

const MIN = 60_000;

/** A detector with only the named pattern switched on, on a test clock. */
function only(kind: string, options: Record<string, unknown>, clock: TestClock): PatternDetector {
  const off = {
    recurring: false,
    spike: false,
    new: false,
    regression: false,
    systemic: false,
    inputSpecific: false,
    memoryPressure: false,
    resourceCorrelated: false,
  } as Record<string, unknown>;
  return new PatternDetector({ ...off, [kind]: options, now: clock.now });
}

function feed(d: PatternDetector, clock: TestClock, r: Partial<ErrorRecord>): PatternWarning[] {
  return d.observe(makeRecord({ time: clock.iso(), ...r }));
}

describe('PatternDetector', () => {
  it('warns "recurring" once when one fingerprint reaches N in the window, and again in the next window', () => {
    const clock = new TestClock();
    const d = only('recurring', { count: 5, windowMs: 10 * MIN }, clock);
    const warnings: PatternWarning[] = [];
    for (let i = 0; i < 16; i++) {
      warnings.push(
        ...feed(d, clock, { fingerprint: 'fp-loop', messageTemplate: 'encoder exited with code <num>' }),
      );
      clock.advance(MIN);
    }
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatchObject({
      kind: 'recurring',
      fingerprint: 'fp-loop',
      count: 5,
      threshold: 5,
      window: 10 * MIN,
      template: 'encoder exited with code <num>',
    });
    expect(warnings[0]!.message).toContain('occurred 5 times in 4 min');
    expect(Date.parse(warnings[1]!.at) - Date.parse(warnings[0]!.at)).toBeGreaterThanOrEqual(10 * MIN);
  });

  it('does not warn "recurring" when the same count is spread wider than the window', () => {
    const clock = new TestClock();
    const d = only('recurring', { count: 5, windowMs: 10 * MIN }, clock);
    const warnings: PatternWarning[] = [];
    for (let i = 0; i < 30; i++) {
      warnings.push(...feed(d, clock, { fingerprint: 'fp-slow' }));
      clock.advance(3 * MIN);
    }
    expect(warnings).toEqual([]);
  });

  it('warns "spike" when the rate jumps far above its own moving baseline', () => {
    const clock = new TestClock();
    const d = only('spike', { bucketMs: MIN, factor: 5, minCount: 10, minHistoryBuckets: 5 }, clock);
    const warnings: PatternWarning[] = [];
    // An hour at 3 errors a minute.
    for (let m = 0; m < 60; m++) {
      for (let i = 0; i < 3; i++) warnings.push(...feed(d, clock, { fingerprint: `fp-${i}` }));
      clock.advance(MIN);
    }
    expect(warnings).toEqual([]);
    // Then 40 of one fingerprint within a minute.
    for (let i = 0; i < 40; i++) {
      warnings.push(...feed(d, clock, { fingerprint: 'fp-0' }));
      clock.advance(1000);
    }
    // fp-0's own baseline (1 a minute) is crossed before the total's (3 a minute).
    const kinds = warnings.map((w) => `${w.kind}:${w.fingerprint ?? 'all'}`);
    expect(kinds).toEqual(['spike:fp-0', 'spike:all']);
    const all = warnings[1]!;
    expect(all.count).toBeGreaterThanOrEqual(15);
    expect(all.details?.baseline).toBeCloseTo(3, 0);
    expect(all.message).toContain('spike');
  });

  it('raises no warning at all on a steady, normal error rate of known errors, hour after hour', () => {
    const clock = new TestClock();
    // Every pattern on, with its default thresholds.
    const d = new PatternDetector({ now: clock.now });
    const warnings: PatternWarning[] = [];
    // Four fingerprints seen during the warm-up, then one error every 3 minutes, the four in
    // turn, each on another video.
    for (let m = 0; m < 6 * 20; m++) {
      if (m === 4) clock.advance(10 * MIN);
      warnings.push(
        ...feed(d, clock, {
          fingerprint: `fp-${m % 4}`,
          videoHash: `video-${m}`,
          phase: m % 2 === 0 ? 'ENCODING' : 'UPLOADING',
          memory: { heapUsed: 30, heapTotal: 50, heapLimit: 100, heapUsedRatio: 0.3 },
          resources: { 'system.cpu.utilization': 0.4, volumes: [{ 'system.filesystem.utilization': 0.5 }] },
        }),
      );
      clock.advance(m < 4 ? MIN : 3 * MIN);
    }
    expect(warnings).toEqual([]);
  });

  it('raises no spike on a steady high rate either', () => {
    const clock = new TestClock();
    const d = only('spike', {}, clock);
    const warnings: PatternWarning[] = [];
    for (let s = 0; s < 3 * 3600; s++) {
      warnings.push(...feed(d, clock, { fingerprint: 'fp-busy' }));
      clock.advance(1000);
    }
    expect(warnings).toEqual([]);
  });

  it('warns "new" for a fingerprint first seen after the warm-up, not during it', () => {
    const clock = new TestClock();
    const d = only('new', { warmupMs: 5 * MIN }, clock);
    expect(feed(d, clock, { fingerprint: 'early' })).toEqual([]);
    clock.advance(6 * MIN);
    expect(feed(d, clock, { fingerprint: 'early' })).toEqual([]);
    const [w, ...rest] = feed(d, clock, {
      fingerprint: 'late',
      exception: { type: 'RangeError', message: 'x' },
      messageTemplate: 'unsupported resolution <resolution>',
    });
    expect(rest).toEqual([]);
    expect(w).toMatchObject({ kind: 'new', fingerprint: 'late', count: 1 });
    expect(w!.message).toContain('RangeError: unsupported resolution <resolution>');
    expect(feed(d, clock, { fingerprint: 'late' })).toEqual([]);
  });

  it('warns "regression" when a fingerprint returns after the quiet period, once per return', () => {
    const clock = new TestClock();
    const d = only('regression', { quietMs: 60 * MIN }, clock);
    expect(feed(d, clock, { fingerprint: 'fp-r' })).toEqual([]);
    clock.advance(30 * MIN);
    expect(feed(d, clock, { fingerprint: 'fp-r' })).toEqual([]);
    clock.advance(2 * 60 * MIN);
    const ws = feed(d, clock, { fingerprint: 'fp-r' });
    expect(ws).toHaveLength(1);
    expect(ws[0]).toMatchObject({
      kind: 'regression',
      fingerprint: 'fp-r',
      details: { quietMs: 2 * 60 * MIN },
    });
    expect(ws[0]!.message).toContain('back after 2 h');
    clock.advance(MIN);
    expect(feed(d, clock, { fingerprint: 'fp-r' })).toEqual([]);
  });

  it('seeded with earlier records, sees a regression across a restart and does not call known errors new', () => {
    const clock = new TestClock();
    const history = [
      makeRecord({ fingerprint: 'old-1', time: new Date(clock.t - 3 * 24 * 3600_000).toISOString() }),
      makeRecord({ fingerprint: 'old-2', time: new Date(clock.t - 10 * MIN).toISOString() }),
    ];
    const d = new PatternDetector({ now: clock.now, regression: { quietMs: 24 * 3600_000 } });
    d.seed(history);
    // The history spans more than the warm-up, so a fingerprint never seen before is new at once.
    expect(feed(d, clock, { fingerprint: 'old-2' })).toEqual([]);
    expect(feed(d, clock, { fingerprint: 'old-1' }).map((w) => w.kind)).toEqual(['regression']);
    expect(feed(d, clock, { fingerprint: 'fresh' }).map((w) => w.kind)).toEqual(['new']);
  });

  it('reads the store a previous run wrote, and warns "regression" for an error that is back after days', async () => {
    const dir = await tempDir('grouping-regression-');
    const clock = new TestClock();
    const before = new JsonlStore({
      logFile: join(dir, 'errors.jsonl'),
      handleExit: false,
      autoFlush: false,
    });
    before.append(
      makeRecord({
        fingerprint: 'fp-fixed-last-week',
        time: new Date(clock.t - 7 * 86_400_000).toISOString(),
      }),
    );
    before.append(
      makeRecord({ fingerprint: 'fp-daily', time: new Date(clock.t - 2 * 3_600_000).toISOString() }),
    );
    await before.close();

    const after = new PatternDetector({ now: clock.now, regression: { quietMs: 86_400_000 } });
    await after.seedAsync(readStore(dir));
    expect(feed(after, clock, { fingerprint: 'fp-daily' })).toEqual([]);
    const [w] = feed(after, clock, { fingerprint: 'fp-fixed-last-week' });
    expect(w).toMatchObject({
      kind: 'regression',
      fingerprint: 'fp-fixed-last-week',
      details: { quietMs: 7 * 86_400_000 },
    });
    expect(w!.message).toContain('back after 168 h');
  });

  it('warns "systemic" when one fingerprint fails many different videos', () => {
    const clock = new TestClock();
    const d = only('systemic', { videos: 4, windowMs: 30 * MIN }, clock);
    const warnings: PatternWarning[] = [];
    for (const v of ['a1', 'a1', 'b2', 'c3', 'd4', 'e5', 'f6']) {
      warnings.push(...feed(d, clock, { fingerprint: 'fp-codec', videoHash: v }));
      clock.advance(MIN);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ kind: 'systemic', fingerprint: 'fp-codec', count: 4, threshold: 4 });
    expect(warnings[0]!.details?.videos).toBe('a1,b2,c3,d4');
  });

  it('warns "input-specific" when one video fails in many phases, and not for videos failing once', () => {
    const clock = new TestClock();
    const d = only('inputSpecific', { errors: 10, phases: 3, windowMs: 30 * MIN }, clock);
    const warnings: PatternWarning[] = [];
    for (const v of ['ok-1', 'ok-2', 'ok-3'])
      warnings.push(...feed(d, clock, { videoHash: v, phase: 'RENDERING' }));
    for (const [fp, phase] of [
      ['fp-probe', 'VALIDATION'],
      ['fp-render', 'RENDERING'],
      ['fp-encode', 'ENCODING'],
    ] as const) {
      clock.advance(MIN);
      warnings.push(...feed(d, clock, { videoHash: 'bad-input', fingerprint: fp, phase }));
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      kind: 'input-specific',
      videoHash: 'bad-input',
      count: 3,
      threshold: 3,
    });
    expect(warnings[0]!.message).toContain('VALIDATION, RENDERING, ENCODING');
  });

  it('tells systemic from input-specific: errors of a systemic fingerprint do not make a video input-specific', () => {
    const clock = new TestClock();
    const d = new PatternDetector({
      now: clock.now,
      new: false,
      recurring: false,
      spike: false,
      systemic: { videos: 3 },
      inputSpecific: { errors: 4, phases: 5 },
    });
    const warnings: PatternWarning[] = [];
    for (const v of ['v1', 'v2', 'v3'])
      warnings.push(...feed(d, clock, { fingerprint: 'fp-gpu', videoHash: v }));
    for (let i = 0; i < 6; i++) {
      clock.advance(1000);
      warnings.push(...feed(d, clock, { fingerprint: 'fp-gpu', videoHash: 'v1' }));
    }
    expect(warnings.map((w) => w.kind)).toEqual(['systemic']);
    for (let i = 0; i < 4; i++)
      warnings.push(...feed(d, clock, { fingerprint: `fp-own-${i}`, videoHash: 'v2' }));
    expect(warnings.map((w) => `${w.kind}:${w.videoHash ?? w.fingerprint}`)).toEqual([
      'systemic:fp-gpu',
      'input-specific:v2',
    ]);
  });

  it('warns "memory-pressure" when errors cluster with the heap near its limit', () => {
    const clock = new TestClock();
    const d = only('memoryPressure', { heapRatio: 0.85, count: 3, windowMs: 5 * MIN }, clock);
    const at = (ratio: number) => ({
      heapUsed: ratio * 100,
      heapTotal: 100,
      heapLimit: 100,
      heapUsedRatio: ratio,
    });
    const warnings: PatternWarning[] = [];
    for (const ratio of [0.5, 0.9, 0.6, 0.92, 0.4, 0.95, 0.97]) {
      warnings.push(...feed(d, clock, { memory: at(ratio) }));
      clock.advance(30_000);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      kind: 'memory-pressure',
      count: 3,
      details: { heapUsedRatio: 0.95 },
    });
    expect(warnings[0]!.message).toContain('at or above 85%');
  });

  it('warns "resource-correlated" for CPU and for disk saturation, read from several snapshot shapes', () => {
    const clock = new TestClock();
    const d = only('resourceCorrelated', { count: 3, windowMs: 5 * MIN }, clock);
    const warnings: PatternWarning[] = [];
    const snapshots: Array<Record<string, unknown>> = [
      { 'system.cpu.utilization': 0.97 },
      { cpu: { system: 0.95 } },
      { 'system.cpu.utilization': 0.3 },
      { 'process.cpu.utilization': 93 },
      { volumes: [{ path: '/data', 'system.filesystem.utilization': 0.99 }] },
      { disk: { usedRatio: 0.98 } },
      { volumes: 'not an array', cpu: 'busy' },
      { disk: { usedRatio: 0.999 } },
    ];
    for (const resources of snapshots) {
      warnings.push(...feed(d, clock, { resources: resources as ErrorRecord['resources'] }));
      clock.advance(10_000);
    }
    expect(warnings.map((w) => w.details?.resource)).toEqual(['cpu', 'disk']);
    expect(warnings[0]).toMatchObject({ kind: 'resource-correlated', count: 3 });
  });

  it('rejects bad thresholds at construction with clear errors', () => {
    expect(() => new PatternDetector({ recurring: { count: 0 } })).toThrow(RangeError);
    expect(() => new PatternDetector({ memoryPressure: { heapRatio: 1.5 } })).toThrow(/heapRatio/);
    expect(() => new PatternDetector({ spike: { bogus: 1 } as never })).toThrow(TypeError);
    expect(() => new PatternDetector({ maxTracked: -1 })).toThrow(RangeError);
  });

  it('returns no warning, and does not throw, for a malformed record', () => {
    const d = new PatternDetector();
    expect(d.observe({ fingerprint: 'x' } as unknown as ErrorRecord)).toEqual([]);
    expect(d.observe(null as unknown as ErrorRecord)).toEqual([]);
  });
});
