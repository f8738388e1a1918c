import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';

const fixture = fileURLToPath(new URL('./fixtures/oom-child.mjs', import.meta.url));

function runUntilOom(
  dir: string,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=64', fixture, dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('a fatal out-of-memory crash (V8 heap limit)', () => {
  it('loses at most the record in hand: every error logged before it is in the store', async () => {
    const dir = await tempDir();
    const r = await runUntilOom(dir);
    expect(r.stderr).toContain('JavaScript heap out of memory');
    expect(r.code === 0 && r.signal === null).toBe(false);
    const logged = r.stdout.trim().split('\n').map(Number);
    expect(logged.length).toBeGreaterThan(20);
    const steps = (await readStoreLines(dir)).map((rec) => (rec.context as { step: number }).step);
    // Each step's log call returned before its number was printed; the one in hand at the
    // crash (logged, not yet printed) may be there too.
    expect(steps.slice(0, logged.length)).toEqual(logged);
    expect(steps.length - logged.length).toBeLessThanOrEqual(1);
  });
});
