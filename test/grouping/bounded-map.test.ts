import { describe, expect, it } from 'vitest';
import { BoundedMap, TimeRing } from '../../src/grouping/bounded-map.js';

describe('BoundedMap', () => {
  it('never holds more than its capacity and reports each eviction once', () => {
    const evicted: string[] = [];
    const m = new BoundedMap<string, number>(4, (k) => evicted.push(k));
    for (let i = 0; i < 20; i++) m.touch(`k${i}`, () => i);
    expect(m.size).toBe(4);
    expect(m.evicted).toBe(16);
    expect(new Set(evicted).size).toBe(16);
    expect([...m.values()]).toEqual([16, 17, 18, 19]);
  });

  it('keeps a key used again over keys not used since', () => {
    const m = new BoundedMap<string, string>(4);
    for (const k of ['a', 'b', 'c', 'd']) m.set(k, k);
    m.touch('e', () => 'e'); // the first four become the old generation; a goes
    m.touch('b', () => 'x'); // b moves back to the young one
    m.touch('f', () => 'f');
    m.touch('g', () => 'g');
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g'].filter((k) => m.get(k) !== undefined)).toEqual([
      'b',
      'e',
      'f',
      'g',
    ]);
    expect(m.get('b')).toBe('b');
  });

  it('stays exact under one hot key touched a million times among many', () => {
    const m = new BoundedMap<string, { n: number }>(1000);
    for (let i = 0; i < 1000; i++) m.touch(`k${i}`, () => ({ n: 0 }));
    for (let i = 0; i < 1_000_000; i++) m.touch('k0', () => ({ n: 0 })).n++;
    expect(m.get('k0')!.n).toBe(1_000_000);
    expect(m.size).toBe(1000);
    expect(m.evicted).toBe(0);
  });

  it('set updates in place, delete removes from either generation', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    m.set('c', 3);
    m.set('b', 20);
    expect([...m.entries()]).toEqual([
      ['c', 3],
      ['b', 20],
    ]);
    expect(m.delete('c')).toBe(true);
    expect(m.delete('zzz')).toBe(false);
    expect(m.size).toBe(1);
  });

  it('rejects a capacity below 1', () => {
    expect(() => new BoundedMap(0)).toThrow(RangeError);
  });
});

describe('TimeRing', () => {
  it('says when its last N timestamps lie within a window', () => {
    const r = new TimeRing(3);
    r.push(0);
    r.push(10);
    expect(r.fullWithin(10, 100)).toBe(false);
    r.push(20);
    expect(r.fullWithin(20, 100)).toBe(true);
    expect(r.fullWithin(20, 20)).toBe(false);
    r.push(500);
    expect(r.oldest()).toBe(10);
    expect(r.countSince(15)).toBe(2);
    expect(r.firstSince(15)).toBe(20);
  });
});
