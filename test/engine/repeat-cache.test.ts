import { describe, expect, it } from 'vitest';
import { testLogger } from '../helpers/test-logger.js';

class UploadError extends Error {}
class RenderError extends Error {}

describe('the storm fast path', () => {
  it('gives a repeat of one site and message the record the full path gives', async () => {
    const { logger } = await testLogger();
    const make = () => new Error('retry 3 failed: connect ECONNREFUSED 127.0.0.1:9');
    const records = [];
    for (let i = 0; i < 2; i++) records.push(logger.logStructuredError(make()));
    const [a, b] = records;
    expect(b!.exception).toEqual(a!.exception);
    expect([b!.fingerprint, b!.occurrence]).toEqual([a!.fingerprint, 2]);
    expect(b!.exception).not.toBe(a!.exception);
  });

  it('keeps apart errors of one site that differ in class, code or own fields', async () => {
    const { logger } = await testLogger();
    const make = (i: number) => {
      const Kind = i % 2 === 0 ? UploadError : RenderError;
      const e = new Kind('part refused') as Error & { code?: string; part?: number };
      if (i >= 2) e.code = i === 2 ? 'EPIPE' : 'ECONNRESET';
      if (i === 4) e.part = 7;
      return e;
    };
    const records = [0, 1, 2, 3, 4].map((i) => logger.logStructuredError(make(i)));
    expect(records.map((r) => r.exception.type)).toEqual([
      'UploadError',
      'RenderError',
      'UploadError',
      'RenderError',
      'UploadError',
    ]);
    expect(records.map((r) => r.exception.code)).toEqual([
      undefined,
      undefined,
      'EPIPE',
      'ECONNRESET',
      'ECONNRESET',
    ]);
    expect(records[4]!.exception.properties).toEqual({ part: 7 });
    expect(new Set(records.slice(0, 4).map((r) => r.fingerprint)).size).toBe(4);
  });
});
