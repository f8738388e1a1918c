import { describe, expect, it } from 'vitest';
import { ProcessCpuMeter, SystemCpuMeter } from '../../src/resources/cpu-meters.js';

describe('SystemCpuMeter', () => {
  it('reports busy ticks over total ticks between readings', () => {
    const readings = [
      { idle: 1_000, total: 2_000 },
      { idle: 1_075, total: 2_100 },
      { idle: 1_075, total: 2_100 },
    ];
    let i = 0;
    const meter = new SystemCpuMeter(() => readings[i++] as { idle: number; total: number });
    expect(meter.next()).toBe(0.25);
    // No ticks elapsed: unknown rather than a division by zero.
    expect(meter.next()).toBeUndefined();
  });

  it('reports nothing when the tick counters cannot be read', () => {
    const meter = new SystemCpuMeter(() => {
      throw new Error('EACCES');
    });
    expect(meter.next()).toBeUndefined();
  });
});

describe('ProcessCpuMeter', () => {
  it('divides CPU time used by elapsed time and the cores the process may use', () => {
    const meter = new ProcessCpuMeter(0);
    expect(meter.next(0, 1)).toBeUndefined();
    let x = 0;
    for (let k = 0; k < 5_000_000; k++) x += k % 7;
    expect(x).toBeGreaterThan(0);
    // Ten seconds of wall time against the few milliseconds of CPU the loop used: a small ratio.
    const one = meter.next(10_000, 1) as number;
    expect(one).toBeGreaterThan(0);
    expect(one).toBeLessThan(0.05);
    // One millisecond of wall time against the same process: capped at 1.
    expect(new ProcessCpuMeter(0).next(0.001, 1)).toBeLessThanOrEqual(1);
  });
});
