import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ProcessResult, runNode } from '../helpers/run-process.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';

const fixture = fileURLToPath(new URL('./fixtures/oom-child.mjs', import.meta.url));

interface HeapLimitFlag {
  /** How the child's old-space limit is set. */
  via: string;
  execArgv: string[];
  nodeOptions?: string;
}

function runUntilOom(dir: string, limit: HeapLimitFlag): Promise<ProcessResult> {
  const env = { ...process.env };
  if (limit.nodeOptions === undefined) delete env.NODE_OPTIONS;
  else env.NODE_OPTIONS = limit.nodeOptions;
  return runNode(fixture, [dir], { execArgv: limit.execArgv, env });
}

// The young generation's reserve inside V8's heap_size_limit is 48 MiB on Node 20 and 22 and
// 192 MiB on Node 24: the limit has to come from the flags, wherever they are given.
const limits: HeapLimitFlag[] = [
  { via: 'the command line', execArgv: ['--max-old-space-size=64'] },
  { via: 'NODE_OPTIONS', execArgv: [], nodeOptions: '--max_old_space_size=96' },
  {
    via: 'both, the command line winning',
    execArgv: ['--max-old-space-size=64'],
    nodeOptions: '--max-old-space-size=2048',
  },
];

describe.each(limits)('a fatal out-of-memory crash, the limit set on $via', (limit) => {
  it('loses at most the record in hand: every error logged before it is in the store', async () => {
    const dir = await tempDir();
    const r = await runUntilOom(dir, limit);
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
