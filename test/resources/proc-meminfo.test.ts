import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMeminfo, procMeminfoPort } from '../../src/resources/proc-meminfo.js';

const SAMPLE = [
  'MemTotal:       24683652 kB',
  'MemFree:        22782912 kB',
  'MemAvailable:   23912852 kB',
  'Buffers:           10164 kB',
  'Cached:          1291152 kB',
  'SwapTotal:       2097148 kB',
  'SwapFree:        1048574 kB',
  '',
].join('\n');

describe('parseMeminfo', () => {
  it('turns kB figures into the bytes systeminformation.mem() reports', () => {
    expect(parseMeminfo(SAMPLE)).toEqual({
      total: 24_683_652 * 1024,
      free: 22_782_912 * 1024,
      used: (24_683_652 - 22_782_912) * 1024,
      available: 23_912_852 * 1024,
      swaptotal: 2_097_148 * 1024,
      swapused: 1_048_574 * 1024,
    });
  });

  it('estimates available memory on kernels without MemAvailable', () => {
    const old = SAMPLE.replace(/MemAvailable:.*\n/, '');
    expect(parseMeminfo(old).available).toBe((22_782_912 + 10_164 + 1_291_152) * 1024);
  });

  it('rejects a file without MemTotal', () => {
    expect(() => parseMeminfo('Cached: 1 kB\n')).toThrow(TypeError);
  });
});

describe('procMeminfoPort', () => {
  it('reads the file asynchronously and names itself in degraded reasons', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ei-meminfo-'));
    try {
      await writeFile(join(dir, 'meminfo'), SAMPLE);
      const port = procMeminfoPort(join(dir, 'meminfo'));
      expect(port.name).toBe(join(dir, 'meminfo'));
      expect((await port.mem()).total).toBe(24_683_652 * 1024);
      await expect(procMeminfoPort(join(dir, 'missing')).mem()).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
