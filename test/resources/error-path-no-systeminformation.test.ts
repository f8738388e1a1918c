import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as si from 'systeminformation';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ResourceMonitor } from '../../src/resources/resource-monitor.js';

// Every function systeminformation exports becomes a spy that keeps its real behaviour.
vi.mock('systeminformation', async (importOriginal) => {
  const real = (await importOriginal()) as Record<string, unknown>;
  const spied: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(real)) {
    spied[name] = typeof value === 'function' ? vi.fn(value as (...a: unknown[]) => unknown) : value;
  }
  return spied;
});

function siCalls(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(si)) {
    const n = vi.isMockFunction(value) ? value.mock.calls.length : 0;
    if (n > 0) out[name] = n;
  }
  return out;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ei-nosi-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the error path', () => {
  it('calls no systeminformation function, while the background sample calls only mem()', async () => {
    const monitor = new ResourceMonitor(
      { volumes: [dir], memorySource: 'systeminformation' },
      { onFirstDegraded: () => {} },
    );
    expect(siCalls()).toEqual({});
    const snap = await monitor.sample();
    expect(snap.degradedReason).toBeUndefined();
    expect(snap.degraded).toBe(false);
    expect(snap.memory.total).toBeGreaterThan(0);
    expect(siCalls()).toEqual({ mem: 1 });
    vi.clearAllMocks();

    let volumes = 0;
    for (let i = 0; i < 2_000; i++) {
      const r = monitor.errorTimeResources();
      if (Array.isArray(r.volumes)) volumes++;
      // Let the refreshes the errors kicked run, so their code is covered by the spy too.
      if (i % 100 === 0) await new Promise((res) => setTimeout(res, 5));
    }
    expect(volumes).toBe(2_000);
    expect(siCalls()).toEqual({});
  });
});

describe.runIf(process.platform === 'linux')('the default memory source on Linux', () => {
  it('reads /proc/meminfo and calls no systeminformation function at all', async () => {
    vi.clearAllMocks();
    const monitor = new ResourceMonitor({ volumes: [dir] }, { onFirstDegraded: () => {} });
    const snap = await monitor.sample();
    monitor.errorTimeResources();
    expect(snap.degraded).toBe(false);
    expect(snap.memory.total).toBeGreaterThan(0);
    expect(snap.memory.available).toBeLessThanOrEqual(snap.memory.total);
    expect(siCalls()).toEqual({});
  });
});
