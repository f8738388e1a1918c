import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCpuMax, readCgroupLimits, readCgroupMemoryUsage } from '../../src/resources/cgroup-limits.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ei-cgroup-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(rel: string, content: string): Promise<void> {
  await mkdir(join(dir, rel, '..'), { recursive: true });
  await writeFile(join(dir, rel), content);
}

describe('readCgroupLimits', () => {
  it('reads v1 memory and CFS quota from the process cgroup path', async () => {
    await put('self', '4:memory:/pod/abc\n2:cpu,cpuacct:/pod/abc\n0::/\n');
    await put('root/memory/pod/abc/memory.limit_in_bytes', '536870912\n');
    await put('root/memory/pod/abc/memory.usage_in_bytes', '134217728\n');
    await put('root/cpu,cpuacct/pod/abc/cpu.cfs_quota_us', '50000\n');
    await put('root/cpu,cpuacct/pod/abc/cpu.cfs_period_us', '100000\n');
    const limits = await readCgroupLimits({ root: join(dir, 'root'), selfCgroup: join(dir, 'self') });
    expect(limits).toEqual({
      cgroupVersion: 1,
      memoryLimit: 536_870_912,
      cpuLimit: 0.5,
      memoryUsageFile: join(dir, 'root/memory/pod/abc/memory.usage_in_bytes'),
    });
    expect(await readCgroupMemoryUsage(limits?.memoryUsageFile as string)).toBe(134_217_728);
  });

  it('treats the v1 "no limit" sentinel and a quota of -1 as unlimited', async () => {
    await put('self', '4:memory:/\n1:cpu:/\n');
    await put('root/memory/memory.limit_in_bytes', '9223372036854771712\n');
    await put('root/cpu/cpu.cfs_quota_us', '-1\n');
    await put('root/cpu/cpu.cfs_period_us', '100000\n');
    const limits = await readCgroupLimits({ root: join(dir, 'root'), selfCgroup: join(dir, 'self') });
    expect(limits?.cgroupVersion).toBe(1);
    expect(limits?.memoryLimit).toBeUndefined();
    expect(limits?.cpuLimit).toBeUndefined();
  });

  it('reads v2 "max" as unlimited and falls back to the root files', async () => {
    await put('self', '0::/\n');
    await put('root/cgroup.controllers', 'cpu memory\n');
    await put('root/memory.max', 'max\n');
    await put('root/cpu.max', 'max 100000\n');
    const limits = await readCgroupLimits({ root: join(dir, 'root'), selfCgroup: join(dir, 'self') });
    expect(limits).toEqual({ cgroupVersion: 2, memoryUsageFile: join(dir, 'root/memory.current') });
  });

  it('returns undefined where no cgroup filesystem is mounted', async () => {
    expect(
      await readCgroupLimits({ root: join(dir, 'none'), selfCgroup: join(dir, 'none-self') }),
    ).toBeUndefined();
  });
});

describe('parseCpuMax', () => {
  it('divides quota by period and reads "max" as unlimited', () => {
    expect(parseCpuMax('200000 100000')).toBe(2);
    expect(parseCpuMax('25000 100000')).toBe(0.25);
    expect(parseCpuMax('max 100000')).toBeUndefined();
    expect(parseCpuMax('garbage')).toBeUndefined();
  });
});
