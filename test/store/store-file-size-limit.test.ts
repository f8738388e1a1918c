import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CHILD, range, readAll, seqs, tempDir } from './store-test-helpers.js';

/** Runs the fixture under a real per-file size limit (`ulimit -f`): writes past it fail with EFBIG. */
function runLimited(
  dir: string,
  count: number,
  blocks: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const options = JSON.stringify({ autoFlush: false });
    const child = spawn(
      'sh',
      [
        '-c',
        `ulimit -S -f ${blocks}; exec "$0" "$@"`,
        process.execPath,
        CHILD,
        'flush-until-written',
        dir,
        String(count),
        options,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a real write failure: the file-size limit (EFBIG) of the process', () => {
  it('keeps the app running, isolates each torn line, and writes every record exactly once in new files', async () => {
    const dir = tempDir();
    const r = await runLimited(dir, 200, 32);
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.stdout);
    expect(stats).toMatchObject({ written: 200, pending: 0, dropped: 0, state: 'ok' });
    expect(stats.failedWrites).toBeGreaterThan(0);
    expect(stats.lastError).toMatch(/^EFBIG: /);
    // One diagnostic, however many failures.
    expect(r.stderr.match(/error-insight store:/g)).toHaveLength(1);
    const { records, stats: read } = await readAll(dir);
    expect(seqs(records)).toEqual(range(200));
    // A failure leaves at most one torn line (none when the limit falls on a line boundary).
    expect(read.corruptLines).toBeLessThanOrEqual(stats.failedWrites);
    expect(read.corruptLines).toBeGreaterThan(0);
  });
});
