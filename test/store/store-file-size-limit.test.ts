import { describe, expect, it } from 'vitest';
import { type ProcessResult, runProcess } from '../helpers/run-process.js';
import { CHILD, range, readAll, seqs, tempDir } from './store-test-helpers.js';

/** Runs the fixture under a real per-file size limit (`ulimit -f`): writes past it fail with EFBIG. */
function runLimited(dir: string, count: number, blocks: number): Promise<ProcessResult> {
  const options = JSON.stringify({ autoFlush: false });
  return runProcess('sh', [
    '-c',
    `ulimit -S -f ${blocks}; exec "$0" "$@"`,
    process.execPath,
    CHILD,
    'flush-until-written',
    dir,
    String(count),
    options,
  ]);
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
