import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';

const fixture = fileURLToPath(new URL('./fixtures/crash.mjs', import.meta.url));

async function run(mode: string) {
  const cwd = await tempDir();
  const child = spawnSync(process.execPath, [fixture, mode], { cwd, encoding: 'utf8', timeout: 20_000 });
  const records = await readStoreLines(join(cwd, '.error-insight'));
  return { child, records };
}

describe('a process that dies', () => {
  it('keeps an uncaught exception in the store, with Node exit code 1 and its crash output', async () => {
    const { child, records } = await run('uncaught');
    expect(child.status).toBe(1);
    expect(child.stderr).toContain('TypeError: encoder state corrupted at frame 1200');
    expect(child.stdout).toContain('listeners uncaughtException=0 unhandledRejection=0');
    expect(records.map((r) => [r.source, r.exception.type, r.exception.message, r.phase])).toEqual([
      ['api', 'Error', 'recorded before the crash', 'RENDERING'],
      ['uncaught', 'TypeError', 'encoder state corrupted at frame 1200', 'ENCODING'],
    ]);
  });

  it('keeps an unhandled rejection in the store and still crashes as Node would', async () => {
    const { child, records } = await run('rejection');
    expect(child.status).toBe(1);
    expect(child.stderr).toContain('RangeError: muxer rejected: invalid timescale 0');
    expect(records.map((r) => [r.source, r.exception.type])).toEqual([
      ['api', 'Error'],
      ['unhandled-rejection', 'RangeError'],
    ]);
  });

  it('records an error that a scope recorded and rethrew, and that then crashed the process, once', async () => {
    for (const [mode, message] of [
      ['scoped', 'scoped crash'],
      ['scoped-string', 'a thrown string'],
    ]) {
      const { child, records } = await run(mode!);
      expect(child.status).toBe(1);
      expect(records.map((r) => [r.source, r.exception.message, r.phase])).toEqual([
        ['api', 'recorded before the crash', 'RENDERING'],
        ['api', message, 'MUXING'],
      ]);
    }
  });

  it('keeps records accepted before process.exit() and the exit code', async () => {
    const { child, records } = await run('exit');
    expect(child.status).toBe(3);
    expect(records.map((r) => r.exception.message)).toEqual([
      'recorded before the crash',
      'second, then exit',
    ]);
  });

  it('keeps every record taken in the same tick as the exit, the crash or the signal, once and in order', async () => {
    const burst = Array.from({ length: 500 }, (_, i) => `burst ${i}`);
    for (const [mode, code, signal, last] of [
      ['burst-exit', 0, null, []],
      ['burst-throw', 1, null, ['thrown right after the burst']],
      ['burst-sigterm', null, 'SIGTERM', []],
    ] as const) {
      const { child, records } = await run(mode);
      expect([mode, child.status, child.signal]).toEqual([mode, code, signal]);
      expect(records.map((r) => r.exception.message)).toEqual([
        'recorded before the crash',
        ...burst,
        ...last,
      ]);
      expect(records.slice(1, 501).map((r) => r.context?.i)).toEqual(burst.map((_, i) => i));
    }
  });
});
