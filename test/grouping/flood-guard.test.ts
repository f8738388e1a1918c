import { describe, expect, it } from 'vitest';
import { FloodGuard } from '../../src/grouping/flood-guard.js';

describe('FloodGuard', () => {
  it('keeps every occurrence up to the rate, then only counts until the window ends', () => {
    const g = new FloodGuard({ maxPerWindow: 3, windowMs: 1000 });
    const admitted = [0, 10, 20, 30, 40, 999].map((t) => g.admit('fp', t));
    expect(admitted).toEqual([true, true, true, false, false, false]);
    expect(g.foldedTotal).toBe(3);
    expect(g.foldedFor('fp')).toBe(3);
    // A new window keeps again.
    expect(g.admit('fp', 1000)).toBe(true);
  });

  it('counts each fingerprint on its own', () => {
    const g = new FloodGuard({ maxPerWindow: 1, windowMs: 1000 });
    expect([g.admit('a', 0), g.admit('b', 0), g.admit('a', 1), g.admit('b', 2)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect([g.foldedFor('a'), g.foldedFor('b'), g.foldedFor('c')]).toEqual([1, 1, 0]);
  });

  it('still keeps one in sampleEvery past the rate as an exemplar', () => {
    const g = new FloodGuard({ maxPerWindow: 2, windowMs: 60_000, sampleEvery: 3 });
    const kept = Array.from({ length: 11 }, (_, i) => g.admit('fp', i)).filter(Boolean).length;
    // 2 under the rate, then occurrences 3, 6, 9 of the 9 past it.
    expect(kept).toBe(5);
    expect(g.foldedTotal).toBe(6);
  });

  it('stays bounded in fingerprints while the folded total stays exact', () => {
    const g = new FloodGuard({ maxPerWindow: 1, maxFingerprints: 10 });
    for (let i = 0; i < 1000; i++) {
      g.admit(`fp-${i % 100}`, 0);
      g.admit(`fp-${i % 100}`, 0);
    }
    expect(g.foldedTotal).toBeGreaterThanOrEqual(1000);
  });

  it('rejects bad options', () => {
    expect(() => new FloodGuard({ maxPerWindow: 0 })).toThrow(RangeError);
    expect(() => new FloodGuard({ windowMs: Number.NaN })).toThrow(TypeError);
  });
});
