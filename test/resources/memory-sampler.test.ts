import { describe, expect, it } from 'vitest';
import { MemorySampler, type ProcessSample } from '../../src/capture/memory.js';
import { ResourceMonitor } from '../../src/resources/resource-monitor.js';

describe('MemorySampler', () => {
  it('reads the heap at every call and process memory at most once per maxAgeMs, saying how old it is', () => {
    let t = 1_000;
    const sampler = new MemorySampler(1_000, () => t);
    const first = sampler.snapshot();
    expect(first.sampleAgeMs).toBe(0);
    expect(first.heapUsed).toBeGreaterThan(0);
    expect(first.heapUsedRatio).toBeCloseTo(first.heapUsed / first.heapLimit, 10);
    t = 1_900;
    const second = sampler.snapshot();
    expect(second.sampleAgeMs).toBe(900);
    expect(second.rss).toBe(first.rss);
    t = 2_001;
    expect(sampler.snapshot().sampleAgeMs).toBe(0);
  });

  it('takes a fresh enough background sample instead of calling process.memoryUsage() itself', () => {
    let t = 10_000;
    let bg: ProcessSample | undefined = { at: 9_500, rss: 111, external: 22, arrayBuffers: 3 };
    const sampler = new MemorySampler(
      1_000,
      () => t,
      () => bg,
    );
    expect(sampler.snapshot()).toMatchObject({ rss: 111, external: 22, arrayBuffers: 3, sampleAgeMs: 500 });
    // Too old a background sample: the sampler reads for itself.
    t = 12_000;
    const own = sampler.snapshot();
    expect(own.sampleAgeMs).toBe(0);
    expect(own.rss).not.toBe(111);
    bg = undefined;
    t = 13_500;
    expect(sampler.snapshot().sampleAgeMs).toBe(0);
  });

  it('survives a background source that throws', () => {
    const sampler = new MemorySampler(
      1_000,
      () => 0,
      () => {
        throw new Error('gone');
      },
    );
    expect(sampler.snapshot().sampleAgeMs).toBe(0);
  });

  it('can use the resource monitor trajectory as its background source', () => {
    let t = 50_000;
    const monitor = new ResourceMonitor({}, { now: () => t });
    expect(monitor.processMemory()).toBeUndefined();
    monitor.start();
    monitor.stop();
    const latest = monitor.processMemory();
    expect(latest?.at).toBe(50_000);
    expect(latest?.rss).toBeGreaterThan(0);
    t = 50_400;
    const sampler = new MemorySampler(
      1_000,
      () => t,
      () => monitor.processMemory(),
    );
    expect(sampler.snapshot()).toMatchObject({ rss: latest?.rss, sampleAgeMs: 400 });
  });
});
