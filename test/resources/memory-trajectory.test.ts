import { describe, expect, it } from 'vitest';
import { MemoryTrajectory } from '../../src/resources/memory-trajectory.js';

const sample = (n: number) => ({
  rss: n * 10_240,
  heapUsed: n * 1024,
  external: (n + 1) * 1024,
  arrayBuffers: 1536,
});

describe('MemoryTrajectory', () => {
  it('keeps the last N samples, oldest first, with their distance from the newest', () => {
    const tr = new MemoryTrajectory(3);
    for (let i = 1; i <= 5; i++) tr.push(i * 1000, sample(i));
    expect(tr.length).toBe(3);
    expect(tr.latestAt).toBe(5000);
    expect(tr.toJSON()).toEqual({
      ms_before_latest: [2000, 1000, 0],
      rss_kib: [30, 40, 50],
      heap_used_kib: [3, 4, 5],
      external_kib: [4, 5, 6],
      array_buffers_kib: [2, 2, 2],
    });
  });

  it('is empty before the first sample', () => {
    const tr = new MemoryTrajectory(4);
    expect(tr.latestAt).toBeUndefined();
    expect(tr.toJSON()).toEqual({
      ms_before_latest: [],
      rss_kib: [],
      heap_used_kib: [],
      external_kib: [],
      array_buffers_kib: [],
    });
  });
});
