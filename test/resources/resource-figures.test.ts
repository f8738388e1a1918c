import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/record.js';
import {
  containerMemoryUtilization,
  diskUtilization,
  isDegraded,
  systemMemoryUtilization,
} from '../../src/resources/resource-figures.js';
import { ResourceMonitor } from '../../src/resources/resource-monitor.js';
import { fakeStatfs, fakeSystemInformation } from './fake-system-information.js';

describe('resource figures', () => {
  it('reads what the monitor writes', async () => {
    const monitor = new ResourceMonitor(
      {},
      {
        loadSystemInformation: async () => fakeSystemInformation({ total: 8_000, available: 2_000 }).port,
        statfs: fakeStatfs(100).statfs,
        cgroup: { root: '/nonexistent-cgroup', selfCgroup: '/nonexistent-self' },
      },
    );
    await monitor.sample();
    const r = monitor.errorTimeResources();
    expect(systemMemoryUtilization(r)).toBe(0.75);
    expect(diskUtilization(r)).toBe(0.9);
    expect(containerMemoryUtilization(r)).toBeUndefined();
    expect(isDegraded(r)).toBe(false);
  });

  it('takes the fullest volume and ignores malformed entries', () => {
    const r: JsonObject = {
      volumes: [
        { paths: ['/a'], 'system.filesystem.utilization': 0.2 },
        'junk',
        { paths: ['/b'], 'system.filesystem.utilization': 0.97 },
        { paths: ['/c'], 'system.filesystem.utilization': 'full' },
      ],
      'container.memory.utilization': 0.5,
      degraded: true,
    };
    expect(diskUtilization(r)).toBe(0.97);
    expect(containerMemoryUtilization(r)).toBe(0.5);
    expect(isDegraded(r)).toBe(true);
    expect(diskUtilization(undefined)).toBeUndefined();
    expect(systemMemoryUtilization({})).toBeUndefined();
  });
});
