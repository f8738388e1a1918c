import { afterEach, describe, expect, it } from 'vitest';
import { setDiagnosticWriter } from '../../src/diag/diagnostics.js';
import { ExportLogger } from '../../src/logger/export-logger.js';
import type { ErrorRecord } from '../../src/record.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { testLogger } from '../helpers/test-logger.js';

afterEach(() => setDiagnosticWriter());

function codeError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('ignoreErrors and beforeRecord', () => {
  it('keeps errors matching ignoreErrors out of the store, the stats and onRecord', async () => {
    const seen: ErrorRecord[] = [];
    const { logger, dir } = await testLogger({
      ignoreErrors: [
        'socket hang up',
        /^ECONN/,
        { type: 'TypeError', message: 'fetch failed' },
        { code: 'EPIPE' },
      ],
      onRecord: (r) => seen.push(r),
    });
    logger.logStructuredError(new Error('socket hang up'));
    logger.logStructuredError(new Error('ECONNRESET by peer'));
    logger.logStructuredError(new TypeError('fetch failed'));
    logger.logStructuredError(codeError('write EPIPE', 'EPIPE'));
    logger.logStructuredError(new RangeError('fetch failed'));
    logger.logStructuredError(new Error('kept one'));
    await logger.flush();
    const lines = await readStoreLines(dir);
    expect(lines.map((l) => l.exception.message).sort()).toEqual(['fetch failed', 'kept one']);
    expect(seen.map((r) => r.exception.type).sort()).toEqual(['Error', 'RangeError']);
    const stats = logger.getErrorStats();
    expect(stats.totalErrors).toBe(2);
    expect(stats.filtered).toEqual({ ignored: 4, dropped: 0, hookFailures: 0 });
  });

  it('stores what beforeRecord returns and drops what it returns null for', async () => {
    const { logger, dir } = await testLogger({
      beforeRecord: (r) => {
        if (r.exception.message.includes('noise')) return null;
        r.context = { ...r.context, tenant: 'blue' };
        return r;
      },
    });
    logger.logStructuredError(new Error('noise 1'));
    logger.logStructuredError(new Error('real'), { job: 7 });
    await logger.flush();
    const lines = await readStoreLines(dir);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.context).toEqual({ job: 7, tenant: 'blue' });
    expect(lines[0]!.occurrence).toBe(1);
    expect(logger.getErrorStats().filtered).toEqual({ ignored: 0, dropped: 1, hookFailures: 0 });
  });

  it('gives the hook the occurrence the record will have', async () => {
    const occurrences: number[] = [];
    const { logger } = await testLogger({
      beforeRecord: (r) => {
        occurrences.push(r.occurrence);
        return r;
      },
    });
    for (let i = 0; i < 3; i++) logger.logStructuredError(new Error('same site'));
    await logger.flush();
    expect(occurrences).toEqual([1, 2, 3]);
  });

  it('keeps the record, counts and says once when the hook throws or returns nonsense', async () => {
    const lines: string[] = [];
    setDiagnosticWriter((l) => lines.push(l));
    let n = 0;
    const { logger, dir } = await testLogger({
      beforeRecord: () => {
        n++;
        if (n % 2 === 1) throw new Error('hook bug');
        return 42 as unknown as ErrorRecord;
      },
    });
    const returned = logger.logStructuredError(new Error('a'));
    logger.logStructuredError(new Error('b'));
    logger.logStructuredError(new Error('c'));
    expect(returned.exception.message).toBe('a');
    await logger.flush();
    expect((await readStoreLines(dir)).map((l) => l.exception.message)).toEqual(['a', 'b', 'c']);
    expect(logger.getErrorStats().filtered.hookFailures).toBe(3);
    expect(lines.filter((l) => l.includes('beforeRecord'))).toHaveLength(1);
  });

  it('rejects bad options at the call', () => {
    expect(() => new ExportLogger({ store: false, ignoreErrors: 'x' as never })).toThrow(TypeError);
    expect(() => new ExportLogger({ store: false, ignoreErrors: [42 as never] })).toThrow(
      /ignoreErrors\[0\]/,
    );
    expect(() => new ExportLogger({ store: false, ignoreErrors: [{}] })).toThrow(/sets none/);
    expect(() => new ExportLogger({ store: false, ignoreErrors: [{ name: 'x' } as never] })).toThrow(
      /unknown key/,
    );
    expect(() => new ExportLogger({ store: false, ignoreErrors: [''] })).toThrow(/empty/);
    expect(() => new ExportLogger({ store: false, beforeRecord: 'x' as never })).toThrow(/beforeRecord/);
  });

  it('matches a global RegExp every time, not every other time', async () => {
    const { logger, dir } = await testLogger({ ignoreErrors: [/timeout/g] });
    for (let i = 0; i < 4; i++) logger.logStructuredError(new Error('read timeout'));
    await logger.flush();
    expect(await readStoreLines(dir)).toHaveLength(0);
  });
});
