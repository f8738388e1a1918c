import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RESOURCE_OPTIONS, resolveResourceOptions } from '../../src/resources/resource-options.js';

describe('resolveResourceOptions', () => {
  it('applies the documented defaults', () => {
    const r = resolveResourceOptions();
    expect(r.enabled).toBe(true);
    expect(r.intervalMs).toBe(15_000);
    expect(r.timeoutMs).toBe(2_000);
    expect(r.mode).toBe('full');
    expect(r.trajectoryLength).toBe(DEFAULT_RESOURCE_OPTIONS.trajectoryLength);
    expect(r.heapSnapshots.enabled).toBe(false);
    expect(r.heapSnapshots.perFingerprintPeriodMs).toBe(600_000);
    expect(r.heapSnapshots.maxBytes).toBe(512 * 1024 * 1024);
  });

  it('always watches cwd and tmpdir after the configured volumes, without duplicates', () => {
    const r = resolveResourceOptions({ volumes: ['store', tmpdir()] });
    expect(r.volumes).toEqual([resolve('store'), resolve(tmpdir()), resolve(process.cwd())]);
  });

  it('rejects bad values with a TypeError or RangeError at construction', () => {
    expect(() => resolveResourceOptions({ intervalMs: 0 })).toThrow(RangeError);
    expect(() => resolveResourceOptions({ intervalMs: 2 ** 31 })).toThrow(RangeError);
    expect(() => resolveResourceOptions({ timeoutMs: 1.5 })).toThrow(TypeError);
    expect(() => resolveResourceOptions({ mode: 'heavy' as 'full' })).toThrow(RangeError);
    expect(() => resolveResourceOptions({ volumes: [''] })).toThrow(TypeError);
    expect(() => resolveResourceOptions({ enabled: 'yes' as unknown as boolean })).toThrow(TypeError);
    expect(() => resolveResourceOptions({ heapSnapshots: { maxBytes: -1 } })).toThrow(RangeError);
    expect(() => resolveResourceOptions({ trajectoryLength: 100_000 })).toThrow(RangeError);
  });

  it('lower-cases the memory categories', () => {
    expect(
      resolveResourceOptions({ heapSnapshots: { categories: ['MEMORY'] } }).heapSnapshots.categories,
    ).toEqual(['memory']);
  });
});
