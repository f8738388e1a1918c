import { describe, expect, it } from 'vitest';
import { type HeapFlags, nearHeapLimit, oldGenerationLimit } from '../../src/engine/heap-pressure.js';

const MIB = 1024 * 1024;

function flags(over: Partial<HeapFlags>): HeapFlags {
  return { execArgv: [], nodeOptions: undefined, workerOldMb: undefined, memory: () => 8192 * MIB, ...over };
}

describe('the old generation limit', () => {
  // heap_size_limit as Node 24 reports it for --max-old-space-size=64 (a 192 MiB young reserve).
  const node24Limit = 256 * MIB;

  it('is the --max-old-space-size of the command line, in dashes or underscores, = or a space', () => {
    expect(oldGenerationLimit(node24Limit, flags({ execArgv: ['--max-old-space-size=64'] }))).toBe(64 * MIB);
    expect(oldGenerationLimit(node24Limit, flags({ execArgv: ['--max_old_space_size=80'] }))).toBe(80 * MIB);
    expect(oldGenerationLimit(node24Limit, flags({ execArgv: ['--max-old-space-size', '96'] }))).toBe(
      96 * MIB,
    );
  });

  it('comes from NODE_OPTIONS, and the command line wins over it', () => {
    const fromEnv = flags({ nodeOptions: '--enable-source-maps  --max-old-space-size=128' });
    expect(oldGenerationLimit(node24Limit, fromEnv)).toBe(128 * MIB);
    const both = flags({ nodeOptions: '--max-old-space-size=128', execArgv: ['--max-old-space-size=64'] });
    expect(oldGenerationLimit(node24Limit, both)).toBe(64 * MIB);
  });

  it("is a worker's own maxOldGenerationSizeMb inside a worker", () => {
    const worker = flags({ workerOldMb: 32, execArgv: ['--max-old-space-size=2048'] });
    expect(oldGenerationLimit(node24Limit, worker)).toBe(32 * MIB);
  });

  it('is a share of the memory Node sizes against for --max-old-space-size-percentage', () => {
    const pct = flags({ execArgv: ['--max-old-space-size-percentage=25'], memory: () => 1024 * MIB });
    expect(oldGenerationLimit(4288 * MIB, pct)).toBe(256 * MIB);
  });

  it('is never more than the whole heap limit, and is 0 for an unknown one', () => {
    expect(oldGenerationLimit(112 * MIB, flags({ execArgv: ['--max-old-space-size=4096'] }))).toBe(112 * MIB);
    expect(oldGenerationLimit(0, flags({ execArgv: ['--max-old-space-size=64'] }))).toBe(0);
  });

  it('without a flag is at least 64/67 of the limit: Node 24 on a large machine reserves exactly the rest', () => {
    // 4288 MiB = 4096 MiB old generation + 3 semi-spaces of 64 MiB.
    expect(oldGenerationLimit(4288 * MIB, flags({}))).toBe(4096 * MIB);
    // A malformed or zero value is no flag.
    expect(
      oldGenerationLimit(
        4288 * MIB,
        flags({ execArgv: ['--max-old-space-size=lots', '--max-old-space-size=0'] }),
      ),
    ).toBe(4096 * MIB);
  });
});

describe('near the heap limit', () => {
  const oldLimit = 64 * MIB; // margin: 16 MiB + 6.4 MiB

  it('is entered when the headroom under the old generation limit is below the margin', () => {
    expect(nearHeapLimit(41 * MIB, oldLimit, false)).toBe(false);
    expect(nearHeapLimit(42 * MIB, oldLimit, false)).toBe(true);
  });

  it('is left only once the headroom is back over twice the margin', () => {
    // 34 MiB of room: not near when coming from far (over 22.4 MiB), still near when near.
    expect(nearHeapLimit(30 * MIB, oldLimit, false)).toBe(false);
    expect(nearHeapLimit(30 * MIB, oldLimit, true)).toBe(true);
    // 45 MiB of room: over twice the margin (44.8 MiB).
    expect(nearHeapLimit(19 * MIB, oldLimit, true)).toBe(false);
  });

  it('is never true for an unknown limit', () => {
    expect(nearHeapLimit(1e12, 0, false)).toBe(false);
  });
});
