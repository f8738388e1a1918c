import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExportLogger } from '../../src/logger/export-logger.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';
import { shutDownAfterTest, testLogger } from '../helpers/test-logger.js';

async function newLogger() {
  return testLogger();
}

describe('a host that makes capture hard', () => {
  it('records a stack overflow from inside the recursion that caused it', async () => {
    const { logger, dir } = await newLogger();
    let record: ReturnType<ExportLogger['logStructuredError']> | undefined;
    let depth = 0;
    const recurse = (): void => {
      depth++;
      try {
        recurse();
      } catch (e) {
        // Only the innermost frame records; deeper ones rethrow so the stack is nearly full here.
        if (record === undefined && e instanceof RangeError) record = logger.logStructuredError(e, { depth });
        throw e;
      }
    };
    expect(() => recurse()).toThrow(RangeError);
    // What the call returns may be provisional (the stack had no room left for a full capture)…
    expect(record?.exception.type).toBe('RangeError');
    expect(record?.exception.message).toContain('Maximum call stack size exceeded');
    // … the full record reaches the store on the next turn, exactly once.
    await new Promise((r) => setImmediate(r));
    await logger.flush();
    const lines = await readStoreLines(dir);
    expect(lines.map((l) => [l.exception.type, l.context?.depth])).toEqual([['RangeError', depth]]);
    expect(lines[0]?.fingerprint).not.toBe('capture-failed');
    expect(lines[0]?.exception.stacktrace).toContain('recurse');
    expect(logger.getErrorStats().totalErrors).toBe(1);
  });

  it('stores a stack overflow exactly once whatever stack is left when the capture starts', async () => {
    // Frames of other sizes leave other amounts of stack to the capture, so it runs out at every
    // step of its path in turn; the host's frames log until one call returns a record.
    const stored: number[] = [];
    for (let pad = 0; pad < 12; pad++) {
      const { logger, dir } = await newLogger();
      let record: ReturnType<ExportLogger['logStructuredError']> | undefined;
      const recurse = (...args: number[]): void => {
        try {
          recurse(...args);
        } catch (e) {
          if (record === undefined && e instanceof RangeError) record = logger.logStructuredError(e);
          throw e;
        }
      };
      expect(() => recurse(...new Array<number>(pad).fill(0))).toThrow(RangeError);
      await new Promise((r) => setImmediate(r));
      await logger.flush();
      const lines = await readStoreLines(dir);
      expect(lines.every((l) => l.exception.type === 'RangeError')).toBe(true);
      stored.push(lines.length);
    }
    expect(stored).toEqual(new Array(12).fill(1));
  });

  it('still records name and message when Error.prepareStackTrace throws', async () => {
    const { logger } = await newLogger();
    const original = Error.prepareStackTrace;
    Error.prepareStackTrace = () => {
      throw new Error('hostile prepareStackTrace');
    };
    try {
      const record = logger.logStructuredError(new TypeError('frame decoder failed'));
      expect(record.exception.type).toBe('TypeError');
      expect(record.exception.message).toBe('frame decoder failed');
    } finally {
      Error.prepareStackTrace = original;
    }
  });

  it('does not fail the call when an onRecord or onPattern callback throws', async () => {
    const dir = await tempDir();
    const logger = shutDownAfterTest(
      new ExportLogger({
        logFile: join(dir, 'e.jsonl'),
        resources: false,
        warnOnStderr: false,
        onRecord: () => {
          throw new Error('callback bug');
        },
      }),
    );
    const record = logger.logStructuredError(new Error('real error'));
    expect(record.exception.message).toBe('real error');
    expect(logger.getErrorStats().totalErrors).toBe(1);
  });
});
