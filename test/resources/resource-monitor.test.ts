import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { freemem, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setDiagnosticWriter } from '../../src/diag/diagnostics.js';
import { ResourceMonitor } from '../../src/resources/resource-monitor.js';
import { fakeCpuTimes, fakeStatfs, fakeSystemInformation } from './fake-system-information.js';

let dir: string;
const noCgroup = () => ({ root: join(dir, 'no-cgroup'), selfCgroup: join(dir, 'no-self-cgroup') });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ei-monitor-'));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

describe('ResourceMonitor background sample', () => {
  it('turns systeminformation figures into semantic-convention keys on the error path', async () => {
    const { port } = fakeSystemInformation({ total: 8_000, available: 2_000 });
    const monitor = new ResourceMonitor(
      { volumes: [dir] },
      {
        loadSystemInformation: async () => port,
        cgroup: noCgroup(),
        statfs: fakeStatfs(250).statfs,
        cpuTimes: fakeCpuTimes(0.4),
        // The store dir and tmpdir on one filesystem, cwd on another.
        deviceOf: async (p) => (p === process.cwd() ? 2 : 1),
      },
    );
    const snap = await monitor.sample();
    expect(snap.degraded).toBe(false);
    const r = monitor.errorTimeResources();
    expect(r.degraded).toBe(false);
    expect(r['system.cpu.utilization']).toBe(0.4);
    expect(r['system.memory.limit']).toBe(8_000);
    expect(r['system.memory.usage']).toBe(6_000);
    expect(r['system.memory.linux.available']).toBe(2_000);
    expect(r['system.memory.utilization']).toBe(0.75);
    expect(r['system.paging.usage']).toBe(25);
    expect(r['system.paging.utilization']).toBe(0.25);
    expect(r['process.memory.usage']).toBeGreaterThan(0);
    const figures = {
      'system.filesystem.limit': 4_096_000,
      'system.filesystem.available': 1_024_000,
      'system.filesystem.utilization': 0.75,
    };
    expect(r.volumes).toEqual([
      { paths: [dir, tmpdir()], ...figures },
      { paths: [process.cwd()], ...figures },
    ]);
  });

  it('reports the age of the latest sample and of the volume figures from the clock', async () => {
    let t = 10_000;
    const monitor = new ResourceMonitor(
      {},
      {
        now: () => t,
        loadSystemInformation: async () => fakeSystemInformation().port,
        cgroup: noCgroup(),
        statfs: fakeStatfs().statfs,
      },
    );
    expect(monitor.errorTimeResources().sample_pending).toBe(true);
    await monitor.sample();
    expect(monitor.latest()?.at).toBe(10_000);
    t = 13_500;
    const r = monitor.errorTimeResources();
    expect(r.sample_age_ms).toBe(3_500);
    expect(r.volumes_age_ms).toBe(3_500);
    expect(r.sample_pending).toBeUndefined();
  });

  it('an error kicks an async volume refresh and attaches the previous figures with their age', async () => {
    let t = 0;
    let bavail = 250;
    const statfs = async () => ({ bsize: 1, blocks: 1000, bfree: bavail, bavail });
    const monitor = new ResourceMonitor(
      { volumes: [dir] },
      {
        now: () => t,
        loadSystemInformation: async () => fakeSystemInformation().port,
        cgroup: noCgroup(),
        statfs,
      },
    );
    await monitor.sample();
    bavail = 0;
    t = 1_000;
    const first = monitor.errorTimeResources();
    const vol = (r: typeof first) => (r.volumes as { 'system.filesystem.available': number }[])[0];
    expect(vol(first)?.['system.filesystem.available']).toBe(250);
    expect(first.volumes_age_ms).toBe(1_000);
    await new Promise((r) => setImmediate(r));
    const second = monitor.errorTimeResources();
    expect(vol(second)?.['system.filesystem.available']).toBe(0);
    expect(second.volumes_age_ms).toBe(0);
  });

  it('degrades to os figures with the reason when systeminformation throws, and says so once', async () => {
    const reasons: string[] = [];
    const monitor = new ResourceMonitor(
      {},
      {
        loadSystemInformation: async () => ({
          mem: async () => {
            throw new Error('EACCES /proc/meminfo');
          },
        }),
        cgroup: noCgroup(),
        statfs: fakeStatfs().statfs,
        onFirstDegraded: (r) => reasons.push(r),
      },
    );
    const snap = await monitor.sample();
    await monitor.sample();
    expect(snap.degraded).toBe(true);
    expect(snap.degradedReason).toBe('Error: EACCES /proc/meminfo');
    expect(snap.memory.total).toBe(totalmem());
    expect(Math.abs(snap.memory.available - freemem())).toBeLessThan(totalmem() / 4);
    const r = monitor.errorTimeResources();
    expect(r.degraded).toBe(true);
    expect(r.degraded_reason).toBe('Error: EACCES /proc/meminfo');
    expect(monitor.degradedSamples).toBe(2);
    expect(reasons).toEqual(['Error: EACCES /proc/meminfo']);
  });

  it('degrades when systeminformation cannot be loaded at all', async () => {
    const monitor = new ResourceMonitor(
      {},
      {
        loadSystemInformation: () => Promise.reject(new Error("Cannot find package 'systeminformation'")),
        cgroup: noCgroup(),
        statfs: fakeStatfs().statfs,
        onFirstDegraded: () => {},
      },
    );
    const snap = await monitor.sample();
    expect(snap.degraded).toBe(true);
    expect(snap.degradedReason).toContain('Cannot find package');
    expect(snap.loadAverage).toHaveLength(3);
  });

  it('degrades after timeoutMs when systeminformation hangs, without waiting for it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const never = new Promise<never>(() => {});
    const monitor = new ResourceMonitor(
      { timeoutMs: 2_000 },
      {
        loadSystemInformation: async () => ({
          mem: () => never,
          currentLoad: async () => ({ currentLoad: 5 }),
        }),
        cgroup: noCgroup(),
        statfs: fakeStatfs().statfs,
        onFirstDegraded: () => {},
      },
    );
    let settled = false;
    const pending = monitor.sample().then((s) => {
      settled = true;
      return s;
    });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const snap = await pending;
    expect(snap.degraded).toBe(true);
    expect(snap.degradedReason).toBe('SampleTimeoutError: systeminformation.mem() took longer than 2000 ms');
  });

  it('reads cgroup v2 limits once and reports utilization against them', async () => {
    const root = join(dir, 'cgroup');
    await mkdir(join(root, 'app.slice'), { recursive: true });
    await writeFile(join(root, 'cgroup.controllers'), 'cpu memory\n');
    await writeFile(join(root, 'app.slice', 'memory.max'), '4000\n');
    await writeFile(join(root, 'app.slice', 'memory.current'), '1000\n');
    await writeFile(join(root, 'app.slice', 'cpu.max'), '150000 100000\n');
    await writeFile(join(dir, 'self'), '0::/app.slice\n');
    const monitor = new ResourceMonitor(
      {},
      {
        loadSystemInformation: async () => fakeSystemInformation().port,
        cgroup: { root, selfCgroup: join(dir, 'self') },
        statfs: fakeStatfs().statfs,
      },
    );
    await monitor.sample();
    expect(monitor.container()).toMatchObject({ cgroupVersion: 2, memoryLimit: 4000, cpuLimit: 1.5 });
    const r = monitor.errorTimeResources();
    expect(r['container.memory.limit']).toBe(4000);
    expect(r['container.memory.usage']).toBe(1000);
    expect(r['container.memory.utilization']).toBe(0.25);
    expect(r['container.cpu.limit']).toBe(1.5);
  });
});

describe('errorTimeResourcesJson', () => {
  it('is JSON.stringify(errorTimeResources()) byte for byte, before and after samples and in every mode', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] });
    const monitor = new ResourceMonitor(
      { volumes: [dir], trajectoryLength: 3 },
      {
        loadSystemInformation: async () => fakeSystemInformation().port,
        cgroup: noCgroup(),
        statfs: fakeStatfs().statfs,
        cpuTimes: fakeCpuTimes(0.3),
      },
    );
    const same = () =>
      expect(monitor.errorTimeResourcesJson()).toBe(JSON.stringify(monitor.errorTimeResources()));
    same();
    monitor.start();
    same();
    await monitor.sample();
    await vi.advanceTimersByTimeAsync(4_000);
    const parsed = JSON.parse(monitor.errorTimeResourcesJson());
    expect(parsed['memory.trajectory'].rss_kib).toHaveLength(3);
    expect(parsed['system.cpu.utilization']).toBe(0.3);
    same();
    expect(JSON.parse(monitor.errorTimeResourcesJson('light')).mode).toBe('light');
    monitor.stop();
    expect(new ResourceMonitor({ enabled: false }).errorTimeResourcesJson()).toBe('{}');
  });
});

describe('ResourceMonitor never throws', () => {
  afterEach(() => setDiagnosticWriter());

  it('a sample whose own machinery fails resolves to a degraded os snapshot and is reported once', async () => {
    const lines: string[] = [];
    setDiagnosticWriter((l) => lines.push(l));
    let broken = false;
    const monitor = new ResourceMonitor(
      {},
      {
        now: () => {
          if (broken) throw new Error('clock gone');
          return 5;
        },
        loadSystemInformation: async () => fakeSystemInformation().port,
        cgroup: noCgroup(),
        statfs: () => {
          throw new Error('sync statfs failure');
        },
      },
    );
    broken = true;
    const snap = await monitor.sample();
    await monitor.sample();
    expect(snap.degraded).toBe(true);
    expect(snap.degradedReason).toBe('Error: clock gone');
    expect(snap.memory.total).toBe(totalmem());
    // Each broken part is reported once, however often it fails: the sample and the volume refresh.
    expect(lines.filter((l) => l.includes('resources.sample'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('resources.volumes'))).toHaveLength(1);
    expect(lines).toHaveLength(2);
    broken = false;
    expect(monitor.errorTimeResources().sample_pending).toBe(true);
  });

  it('a statfs that throws synchronously leaves the volumes out and the sample intact', async () => {
    const monitor = new ResourceMonitor(
      {},
      {
        loadSystemInformation: async () => fakeSystemInformation().port,
        cgroup: noCgroup(),
        statfs: () => {
          throw new Error('sync statfs failure');
        },
      },
    );
    const snap = await monitor.sample();
    expect(snap.degraded).toBe(false);
    expect(snap.volumes).toEqual([]);
    expect(monitor.errorTimeResources().volumes).toEqual([]);
  });
});

describe('ResourceMonitor modes', () => {
  it('light mode records only V8 heap-space statistics and never loads systeminformation', async () => {
    const loader = vi.fn(async () => fakeSystemInformation().port);
    const monitor = new ResourceMonitor(
      { mode: 'light' },
      { loadSystemInformation: loader, cgroup: noCgroup() },
    );
    monitor.start();
    const r = monitor.errorTimeResources();
    monitor.stop();
    expect(r.mode).toBe('light');
    expect(Object.keys(r).sort()).toEqual(['mode', 'v8js.memory.heap.space.size', 'v8js.memory.heap.used']);
    const used = r['v8js.memory.heap.used'] as Record<string, number>;
    expect(used.old_space).toBeGreaterThan(0);
    expect(loader).not.toHaveBeenCalled();
  });

  it('owns a heap snapshotter only when heap snapshots are enabled, with the configured budget', () => {
    expect(new ResourceMonitor({}, { cgroup: noCgroup() }).heapSnapshotFor('fp', 'memory')).toBeUndefined();
    const monitor = new ResourceMonitor(
      { heapSnapshots: { enabled: true, dir: join(dir, 'heap'), maxBytes: 1 } },
      { cgroup: noCgroup() },
    );
    expect(monitor.heapSnapshotFor('fp', 'memory')).toBeUndefined();
    expect(monitor.heapSnapshotFor('fp', 'network')).toBeUndefined();
    expect(monitor.heapSnapshotter?.stats).toMatchObject({ written: 0, skippedBudget: 1 });
    expect(monitor.heapSnapshotter?.options.dir).toBe(join(dir, 'heap'));
  });

  it('a full-mode monitor answers a light call for a performance-sensitive phase', () => {
    const monitor = new ResourceMonitor({}, { cgroup: noCgroup() });
    expect(monitor.errorTimeResources('light').mode).toBe('light');
  });

  it('disabled: start() schedules nothing and records carry no resources', () => {
    const loader = vi.fn(async () => fakeSystemInformation().port);
    const monitor = new ResourceMonitor({ enabled: false }, { loadSystemInformation: loader });
    monitor.start();
    expect(monitor.errorTimeResources()).toEqual({});
    expect(monitor.latest()).toBeUndefined();
    expect(loader).not.toHaveBeenCalled();
  });

  it('eventLoopResolutionMs: 0 turns the event-loop probe off', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] });
    const monitor = new ResourceMonitor(
      { eventLoopResolutionMs: 0 },
      {
        loadSystemInformation: async () => fakeSystemInformation().port,
        cgroup: noCgroup(),
        statfs: fakeStatfs().statfs,
      },
    );
    monitor.start();
    await monitor.sample();
    await vi.advanceTimersByTimeAsync(15_000);
    expect(monitor.latest()?.eventLoopDelay).toBeUndefined();
    expect(monitor.errorTimeResources()['nodejs.eventloop.delay.max_since_sample']).toBeUndefined();
    monitor.stop();
  });

  it('start() samples at once and at every interval on unref-ed timers; stop() ends both', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] });
    const { port, calls } = fakeSystemInformation();
    const monitor = new ResourceMonitor(
      { intervalMs: 15_000, trajectoryIntervalMs: 1_000, trajectoryLength: 5 },
      { loadSystemInformation: async () => port, cgroup: noCgroup(), statfs: fakeStatfs().statfs },
    );
    monitor.start();
    monitor.start();
    await monitor.sample();
    expect(calls.mem).toBe(1);
    expect(vi.getTimerCount()).toBe(2);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls.mem).toBe(3);
    const trajectory = monitor.errorTimeResources()['memory.trajectory'] as Record<string, number[]>;
    expect(trajectory.rss_kib).toHaveLength(5);
    expect(trajectory.ms_before_latest).toEqual([4_000, 3_000, 2_000, 1_000, 0]);
    monitor.stop();
    monitor.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
