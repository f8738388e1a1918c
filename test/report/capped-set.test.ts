import { describe, expect, it } from 'vitest';
import { CappedSet } from '../../src/report/capped-set.js';

describe('CappedSet', () => {
  it('keeps the first `cap` distinct values in the order added and says it was capped', () => {
    const set = new CappedSet(3);
    for (const v of ['b', 'a', 'b', undefined, 'c', 'a', 'd', 'e']) set.add(v);
    expect([...set.values]).toEqual(['b', 'a', 'c']);
    expect(set.size).toBe(3);
    expect(set.capped).toBe(true);
    expect(set.first(2)).toEqual(['b', 'a']);
  });

  it('counts one value as one, and the empty string as a value', () => {
    const one = new CappedSet(3);
    for (let i = 0; i < 5; i++) one.add('render-01');
    expect([...one.values]).toEqual(['render-01']);
    expect(one.size).toBe(1);
    expect(one.capped).toBe(false);
    const empty = new CappedSet(2);
    empty.add('');
    empty.add('x');
    empty.add('');
    expect([...empty.values]).toEqual(['', 'x']);
    expect(new CappedSet(2).size).toBe(0);
  });

  it('is capped at once with a cap of 0 or 1', () => {
    const none = new CappedSet(0);
    none.add('a');
    expect([none.size, none.capped]).toEqual([0, true]);
    const single = new CappedSet(1);
    single.add('a');
    single.add('a');
    expect(single.capped).toBe(false);
    single.add('b');
    expect([[...single.values], single.capped]).toEqual([['a'], true]);
  });
});
