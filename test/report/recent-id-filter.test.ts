import { describe, expect, it } from 'vitest';
import { RecentIdFilter } from '../../src/report/recent-id-filter.js';

describe('RecentIdFilter', () => {
  it('drops an id seen within the last `capacity` ids and counts it', () => {
    const f = new RecentIdFilter(3);
    expect(['a', 'b', 'a', 'c', 'b'].map((id) => f.accept(id))).toEqual([true, true, false, true, false]);
    expect(f.duplicates).toBe(2);
  });

  it('forgets the oldest id once the window is full, so memory stays bounded', () => {
    const f = new RecentIdFilter(3);
    for (const id of ['a', 'b', 'c', 'd']) f.accept(id);
    expect(f.accept('a')).toBe(true);
    expect(f.accept('d')).toBe(false);
    expect(f.accept('b')).toBe(true);
    expect(f.duplicates).toBe(1);
  });

  it('keeps its verdicts right over many windows', () => {
    const f = new RecentIdFilter(100);
    let accepted = 0;
    for (let i = 0; i < 10_000; i++) if (f.accept(`id${i}`)) accepted++;
    for (let i = 9_900; i < 10_000; i++) expect(f.accept(`id${i}`)).toBe(false);
    expect(accepted).toBe(10_000);
    expect(f.accept('id0')).toBe(true);
  });
});
