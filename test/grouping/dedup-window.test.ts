import { describe, expect, it } from 'vitest';
import { DedupWindow, dedupKey } from '../../src/grouping/dedup-window.js';

describe('DedupWindow', () => {
  it('finds exact repeats across interleaved errors, where comparing with the previous one would not', () => {
    const d = new DedupWindow({ windowMs: 10_000 });
    const a = dedupKey('fp-a', 'boom', 'Error: boom\n    at a (/x.js:1:1)');
    const b = dedupKey('fp-b', 'bang', 'Error: bang\n    at b (/y.js:1:1)');
    const seq = [a, b, a, b, a].map((k, i) => d.check(k, i * 1000));
    expect(seq.map((r) => r.repeat)).toEqual([false, false, true, true, true]);
    expect(seq[4]).toEqual({ repeat: true, repeats: 3, firstAt: 0 });
    expect(d.repeatsTotal).toBe(3);
  });

  it('starts a new run after the window has passed', () => {
    const d = new DedupWindow({ windowMs: 1000 });
    const k = dedupKey('fp', 'm');
    expect(d.check(k, 0).repeat).toBe(false);
    expect(d.check(k, 999).repeat).toBe(true);
    expect(d.check(k, 2500)).toEqual({ repeat: false, repeats: 1, firstAt: 2500 });
  });

  it('tells apart errors of one fingerprint whose message or stack differ', () => {
    expect(dedupKey('fp', 'open /a')).not.toBe(dedupKey('fp', 'open /b'));
    expect(dedupKey('fp', 'm', 'at a (/x.js:1:1)')).not.toBe(dedupKey('fp', 'm', 'at a (/x.js:2:1)'));
    expect(dedupKey('fp', 'm', 's')).toBe(dedupKey('fp', 'm', 's'));
  });

  it('forgets the oldest entry past maxEntries', () => {
    const d = new DedupWindow({ maxEntries: 2 });
    d.check('a', 0);
    d.check('b', 0);
    d.check('c', 0);
    expect(d.check('a', 1).repeat).toBe(false);
    expect(d.check('c', 1).repeat).toBe(true);
  });
});
