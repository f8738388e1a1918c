import { describe, expect, it } from 'vitest';
import { VolumeWatcher } from '../../src/resources/volume-watcher.js';

describe('VolumeWatcher', () => {
  it('keeps the last figures of a path whose statfs fails, and reports each filesystem once', async () => {
    let failB = false;
    const statfs = async (p: string) => {
      if (p === '/b' && failB) throw Object.assign(new Error('EIO'), { code: 'EIO' });
      return { bsize: 1, blocks: 100, bfree: p === '/b' ? 10 : 50, bavail: p === '/b' ? 10 : 50 };
    };
    const devices: Record<string, number> = { '/a': 1, '/c': 1 };
    const deviceOf = async (p: string) => {
      const d = devices[p];
      if (d === undefined) throw new Error('ENOENT');
      return d;
    };
    let t = 0;
    const w = new VolumeWatcher(['/a', '/b', '/c'], () => t, statfs, deviceOf);
    await w.refresh();
    failB = true;
    t = 500;
    await w.refresh();
    // The figures read the same: they keep the time they were first read at.
    expect(w.at).toBe(0);
    expect(w.latest().find((v) => v.path === '/b')).toMatchObject({ available: 10, at: 0 });
    expect(w.latestJson()).toEqual([
      {
        paths: ['/a', '/c'],
        'system.filesystem.limit': 100,
        'system.filesystem.available': 50,
        'system.filesystem.utilization': 0.5,
      },
      {
        paths: ['/b'],
        'system.filesystem.limit': 100,
        'system.filesystem.available': 10,
        'system.filesystem.utilization': 0.9,
      },
    ]);
  });

  it('keeps the object and the time of figures that read the same, and moves on when they change', async () => {
    let available = 40;
    let t = 0;
    const w = new VolumeWatcher(
      ['/a'],
      () => t,
      async () => ({ bsize: 1, blocks: 100, bfree: available, bavail: available }),
      async () => 1,
    );
    await w.refresh();
    const first = w.latestJson();
    t = 300;
    await w.refresh();
    expect([w.at, w.latestJson()]).toEqual([0, first]);
    expect(w.latestJson()).toBe(first);
    available = 30;
    t = 600;
    await w.refresh();
    expect(w.at).toBe(600);
    expect(w.latestJson()[0]?.['system.filesystem.available']).toBe(30);
  });

  it('starts at most one refresh at a time and at most one per interval when errors kick it', async () => {
    let calls = 0;
    let t = 0;
    const statfs = async () => {
      calls++;
      return { bsize: 1, blocks: 1, bfree: 1, bavail: 1 };
    };
    const w = new VolumeWatcher(
      ['/a'],
      () => t,
      statfs,
      async () => 1,
      250,
    );
    for (let i = 0; i < 1_000; i++) w.kick();
    await new Promise((r) => setImmediate(r));
    t = 100;
    for (let i = 0; i < 1_000; i++) w.kick();
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(1);
    t = 250;
    w.kick();
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(2);
  });
});
