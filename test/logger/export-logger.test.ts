import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExportLogger } from '../../src/logger/export-logger.js';
import { readStoreLines, readStoreText } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';
import { testLogger } from '../helpers/test-logger.js';

const newLogger = testLogger;

async function missingFile(path: string): Promise<unknown> {
  try {
    await readFile(path);
  } catch (e) {
    return e;
  }
  throw new Error('expected ENOENT');
}

describe('logStructuredError', () => {
  it('returns and stores a record with the type, code, phase, video, context and memory', async () => {
    const { logger, dir } = await newLogger();
    logger.setContext({ phase: 'RENDERING', videoHash: '3a7bd3e2f' });
    const err = await missingFile('/nonexistent/clips/a.mp4');
    const record = logger.logStructuredError(err, { custom_data: 'value' });

    expect(record.exception.type).toBe('Error');
    expect(record.exception.code).toBe('ENOENT');
    expect(record.exception.syscall).toBe('open');
    expect(record.phase).toBe('RENDERING');
    expect(record.videoHash).toBe('3a7bd3e2f');
    expect(record.context).toEqual({ custom_data: 'value' });
    expect(record.occurrence).toBe(1);
    expect(record.fingerprint).toMatch(/^[0-9a-z]+$/);
    expect(record.memory.heapUsed).toBeGreaterThan(0);
    expect(record.memory.heapUsedRatio).toBeGreaterThan(0);
    expect(record.memory.heapUsedRatio).toBeLessThan(1);
    expect(record.classification.category).not.toBe('');

    await logger.flush();
    const lines = await readStoreLines(dir);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual(JSON.parse(JSON.stringify(record)));
  });

  it('gives the same fingerprint to the same cause and counts occurrences', async () => {
    const { logger } = await newLogger();
    const records = [];
    for (const path of ['/nonexistent/a/1.mp4', '/nonexistent/b/22.mp4', '/nonexistent/c/333.mp4']) {
      records.push(logger.logStructuredError(await missingFile(path)));
    }
    expect(new Set(records.map((r) => r.fingerprint)).size).toBe(1);
    expect(records.map((r) => r.occurrence)).toEqual([1, 2, 3]);
    const stats = logger.getErrorStats();
    expect(stats.totalErrors).toBe(3);
    expect(stats.uniqueErrors).toBe(1);
    expect(stats.mostFrequent[0]?.count).toBe(3);
  });

  it('gives different fingerprints to different causes', async () => {
    const { logger } = await newLogger();
    const a = logger.logStructuredError(await missingFile('/nonexistent/x.mp4'));
    let parseError: unknown;
    try {
      JSON.parse('{');
    } catch (e) {
      parseError = e;
    }
    const b = logger.logStructuredError(parseError);
    const c = logger.logStructuredError(new TypeError('Cannot read properties of undefined'));
    expect(new Set([a.fingerprint, b.fingerprint, c.fingerprint]).size).toBe(3);
    expect(logger.getErrorStats().uniqueErrors).toBe(3);
  });

  it('keeps secrets out of the store: keys, tokens, URL credentials and JWTs', async () => {
    const { logger, dir } = await newLogger();
    const jwt =
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const err = new Error('upload to https://admin:hunter2pass@cdn.example.test/v failed');
    logger.logStructuredError(err, {
      password: 'p@ssw0rd-PLANTED',
      headers: { authorization: `Bearer ${jwt}`, 'x-request-id': 'r-1' },
      note: `token was ${jwt}`,
      aws: 'AKIAIOSFODNN7EXAMPLE',
    });
    await logger.flush();
    const text = await readStoreText(dir);
    for (const secret of ['p@ssw0rd-PLANTED', 'hunter2pass', jwt, 'AKIAIOSFODNN7EXAMPLE']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('r-1');
    expect(text).toContain('[Filtered]');
  });

  it('prefers the call over the scope over setContext for phase and video', async () => {
    const { logger } = await newLogger();
    logger.setContext({ phase: 'PREPARATION', video_hash: 'base' });
    const fromBase = logger.logStructuredError(new Error('a'));
    const fromCall = logger.logStructuredError(new Error('b'), undefined, {
      phase: 'UPLOADING',
      videoHash: 'call',
    });
    const fromScope = logger.logErrors({ phase: 'ENCODING', videoHash: 'scope', rethrow: false }, () =>
      logger.logStructuredError(new Error('c')),
    );
    expect([fromBase.phase, fromBase.videoHash]).toEqual(['PREPARATION', 'base']);
    expect([fromCall.phase, fromCall.videoHash]).toEqual(['UPLOADING', 'call']);
    expect([fromScope?.phase, fromScope?.videoHash]).toEqual(['ENCODING', 'scope']);
  });

  it('applies a custom fingerprint given on the call', async () => {
    const { logger } = await newLogger();
    const a = logger.logStructuredError(new Error('one'), undefined, { fingerprint: ['upload-outage'] });
    const b = logger.logStructuredError(new TypeError('two'), undefined, { fingerprint: ['upload-outage'] });
    expect(a.fingerprint).toBe(b.fingerprint);
  });
});

describe('logErrors', () => {
  it('records a sync error with the scope and rethrows it', async () => {
    const { logger } = await newLogger();
    const boom = new RangeError('Invalid bitrate 0k');
    expect(() =>
      logger.logErrors({ phase: 'ENCODING', videoHash: 'v1' }, () => {
        throw boom;
      }),
    ).toThrow(boom);
    const top = logger.getErrorStats().mostFrequent[0];
    expect(top?.type).toBe('RangeError');
    expect(top?.phases).toEqual(['ENCODING']);
  });

  it('returns the value of a sync function synchronously', async () => {
    const { logger } = await newLogger();
    const value = logger.logErrors({ phase: 'MUXING' }, () => 42);
    expect(value).toBe(42);
    expect(logger.getErrorStats().totalErrors).toBe(0);
  });

  it('records an async rejection and rethrows it', async () => {
    const { logger } = await newLogger();
    await expect(
      logger.logErrors({ phase: 'UPLOADING' }, async () => {
        await Promise.resolve();
        throw new Error('socket hang up');
      }),
    ).rejects.toThrow('socket hang up');
    expect(logger.getErrorStats().totalErrors).toBe(1);
  });

  it('swallows with rethrow: false and returns undefined', async () => {
    const { logger } = await newLogger();
    const sync = logger.logErrors({ phase: 'A', rethrow: false }, (): number => {
      throw new Error('x');
    });
    const asyncResult = await logger.logErrors({ phase: 'B', rethrow: false }, async (): Promise<number> => {
      throw new Error('y');
    });
    expect(sync).toBeUndefined();
    expect(asyncResult).toBeUndefined();
    expect(logger.getErrorStats().totalErrors).toBe(2);
  });

  it('records an error rethrown through nested scopes once', async () => {
    const { logger } = await newLogger();
    await expect(
      logger.logErrors({ phase: 'OUTER' }, () =>
        logger.logErrors({ phase: 'INNER' }, async () => {
          throw new Error('deep');
        }),
      ),
    ).rejects.toThrow('deep');
    const stats = logger.getErrorStats();
    expect(stats.totalErrors).toBe(1);
    expect(stats.mostFrequent[0]?.phases).toEqual(['INNER']);
  });

  it('records how long into its phase an error happened', async () => {
    const { logger } = await newLogger();
    const record = await logger.logErrors({ phase: 'RENDERING', rethrow: false }, async () => {
      await new Promise((r) => setTimeout(r, 30));
      return logger.logStructuredError(new Error('frame 120 failed'));
    });
    expect(record?.phaseElapsedMs).toBeGreaterThanOrEqual(25);
    const outside = logger.logStructuredError(new Error('no phase scope'));
    expect(outside.phaseElapsedMs).toBeUndefined();
  });

  it('keeps the phase of concurrent async scopes apart', async () => {
    const { logger } = await newLogger();
    const run = (phase: string, delay: number) =>
      logger.logErrors({ phase, rethrow: false }, async () => {
        await new Promise((r) => setTimeout(r, delay));
        return logger.logStructuredError(new Error(`in ${phase}`));
      });
    const [a, b] = await Promise.all([run('RENDERING', 20), run('ENCODING', 1)]);
    expect(a?.phase).toBe('RENDERING');
    expect(b?.phase).toBe('ENCODING');
  });
});

describe('bad arguments', () => {
  it('throws a RangeError for a negative maxLogs at construction', async () => {
    const dir = await tempDir();
    expect(() => new ExportLogger({ logFile: join(dir, 'e.jsonl'), maxLogs: -1 })).toThrow(RangeError);
  });

  it('throws a TypeError for the original store options (logFile, maxLogs…) without a store', () => {
    expect(() => new ExportLogger({ store: false, maxLogs: 10 })).toThrow(TypeError);
  });

  it('throws a TypeError when logErrors gets no function', async () => {
    const { logger } = await newLogger();
    expect(() => logger.logErrors({ phase: 'X' }, 42 as unknown as () => void)).toThrow(TypeError);
  });

  it('throws a TypeError for a non-string phase in setContext', async () => {
    const { logger } = await newLogger();
    expect(() => logger.setContext({ phase: 7 as unknown as string })).toThrow(TypeError);
  });

  it('rejects an unknown export format with a TypeError', async () => {
    const { logger } = await newLogger();
    await expect(logger.exportLogs({ format: 'xml' as 'json' })).rejects.toThrow(TypeError);
  });
});

describe('after shutdown', () => {
  it('returns the record, stores nothing more and counts it as dropped', async () => {
    const { logger, dir } = await newLogger();
    logger.logStructuredError(new Error('before'));
    await logger.shutdown();
    await logger.shutdown();
    const late = logger.logStructuredError(new Error('after'));
    expect(late.exception.message).toBe('after');
    expect(logger.getErrorStats().dropped).toBe(1);
    const lines = await readStoreLines(dir);
    expect(lines.map((l) => l.exception.message)).toEqual(['before']);
  });
});
