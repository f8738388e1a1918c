import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerLimits } from './resource-snapshot.js';

/** Where the cgroup files live; tests point these at a fake tree in a temp dir. */
export interface CgroupPaths {
  /** @default '/sys/fs/cgroup' */
  root?: string;
  /** @default '/proc/self/cgroup' */
  selfCgroup?: string;
}

// cgroup v1 writes "no limit" as the largest page-aligned int64; anything this large is unlimited.
const V1_UNLIMITED = 2 ** 60;

async function text(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

async function firstText(files: string[]): Promise<{ file: string; value: string } | undefined> {
  for (const file of files) {
    const value = await text(file);
    if (value !== undefined) return { file, value };
  }
  return undefined;
}

function finitePositive(n: number): number | undefined {
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Parses cgroup v2 `cpu.max` ("max 100000" or "200000 100000") into cores. */
export function parseCpuMax(value: string): number | undefined {
  const [quota, period] = value.split(/\s+/);
  if (quota === undefined || quota === 'max') return undefined;
  return finitePositive(Number(quota) / Number(period ?? '100000'));
}

function candidates(root: string, controller: string, rel: string | undefined, file: string): string[] {
  const base = controller === '' ? root : join(root, controller);
  const list = rel !== undefined && rel !== '/' ? [join(base, rel, file)] : [];
  list.push(join(base, file));
  return list;
}

/**
 * Reads the memory and CPU limits of this process's cgroup (v2 first, then v1), once, at start.
 * Returns undefined outside Linux or when no cgroup filesystem is mounted.
 */
export async function readCgroupLimits(paths: CgroupPaths = {}): Promise<ContainerLimits | undefined> {
  const root = paths.root ?? '/sys/fs/cgroup';
  const self = (await text(paths.selfCgroup ?? '/proc/self/cgroup')) ?? '';
  const lines = self.split('\n').map((l) => l.split(':'));
  if ((await text(join(root, 'cgroup.controllers'))) !== undefined) {
    const rel = lines.find((l) => l[0] === '0' && l[1] === '')?.[2];
    const mem = await firstText(candidates(root, '', rel, 'memory.max'));
    const cpu = await firstText(candidates(root, '', rel, 'cpu.max'));
    const memoryLimit = mem && mem.value !== 'max' ? finitePositive(Number(mem.value)) : undefined;
    const usage = mem ? join(mem.file, '..', 'memory.current') : undefined;
    return clean({
      cgroupVersion: 2,
      memoryLimit,
      cpuLimit: cpu ? parseCpuMax(cpu.value) : undefined,
      memoryUsageFile: usage,
    });
  }
  const relOf = (c: string) => lines.find((l) => l[1]?.split(',').includes(c))?.[2];
  const mem = await firstText(candidates(root, 'memory', relOf('memory'), 'memory.limit_in_bytes'));
  if (mem === undefined) return undefined;
  const cpuRel = relOf('cpu');
  const quota = await firstText([
    ...candidates(root, 'cpu,cpuacct', cpuRel, 'cpu.cfs_quota_us'),
    ...candidates(root, 'cpu', cpuRel, 'cpu.cfs_quota_us'),
  ]);
  const period = quota ? await text(join(quota.file, '..', 'cpu.cfs_period_us')) : undefined;
  const limit = Number(mem.value);
  const q = quota ? Number(quota.value) : -1;
  return clean({
    cgroupVersion: 1,
    memoryLimit: limit < V1_UNLIMITED ? finitePositive(limit) : undefined,
    cpuLimit: q > 0 ? finitePositive(q / Number(period ?? '100000')) : undefined,
    memoryUsageFile: join(mem.file, '..', 'memory.usage_in_bytes'),
  });
}

function clean(l: { [K in keyof ContainerLimits]: ContainerLimits[K] | undefined }): ContainerLimits {
  const out: { -readonly [K in keyof ContainerLimits]?: ContainerLimits[K] } = {
    cgroupVersion: l.cgroupVersion,
  };
  if (l.memoryLimit !== undefined) out.memoryLimit = l.memoryLimit;
  if (l.cpuLimit !== undefined) out.cpuLimit = l.cpuLimit;
  if (l.memoryUsageFile !== undefined) out.memoryUsageFile = l.memoryUsageFile;
  return out as ContainerLimits;
}

/** Reads the container's current memory usage, bytes, from the file found at start. */
export async function readCgroupMemoryUsage(file: string): Promise<number | undefined> {
  const v = await text(file);
  return v === undefined ? undefined : finitePositive(Number(v));
}
