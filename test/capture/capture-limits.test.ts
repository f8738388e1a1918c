import { describe, expect, it } from 'vitest';
import {
  type CaptureLimits,
  DEFAULT_CAPTURE_LIMITS,
  resolveCaptureLimits,
} from '../../src/capture/capture-limits.js';

describe('resolveCaptureLimits', () => {
  it('returns the documented defaults when no options are given', () => {
    expect(resolveCaptureLimits()).toEqual({
      maxDepth: 8,
      maxBreadth: 100,
      maxStringLength: 8192,
      maxMessageLength: 8192,
      maxStackFrames: 50,
      maxCauseDepth: 5,
      maxAggregateErrors: 10,
      maxRecordBytes: 65536,
    });
    expect(Object.isFrozen(DEFAULT_CAPTURE_LIMITS)).toBe(true);
  });

  it('merges given limits over the defaults into a frozen object', () => {
    const limits = resolveCaptureLimits({ maxDepth: 3, maxCauseDepth: 0, maxRecordBytes: 4096 });
    expect(limits).toEqual({
      ...DEFAULT_CAPTURE_LIMITS,
      maxDepth: 3,
      maxCauseDepth: 0,
      maxRecordBytes: 4096,
    });
    expect(Object.isFrozen(limits)).toBe(true);
  });

  it.each([
    [{ maxDepth: 1.5 }, TypeError, /maxDepth must be an integer, got 1.5/],
    [{ maxBreadth: '10' }, TypeError, /maxBreadth must be an integer, got string/],
    [{ maxStackFrames: Number.NaN }, TypeError, /maxStackFrames must be an integer/],
    [{ maxDepth: 0 }, RangeError, /maxDepth must be at least 1, got 0/],
    [{ maxDepth: 1000 }, RangeError, /maxDepth must be at most 64/],
    [{ maxStringLength: 10 }, RangeError, /maxStringLength must be at least 32/],
    [{ maxCauseDepth: -1 }, RangeError, /maxCauseDepth must be at least 0/],
    [{ maxRecordBytes: 100 }, RangeError, /maxRecordBytes must be at least 2048/],
    [{ maxDepht: 3 }, TypeError, /unknown capture limit "maxDepht"/],
  ])('rejects %o with a clear error', (options, kind, message) => {
    expect(() => resolveCaptureLimits(options as Partial<CaptureLimits>)).toThrow(kind);
    expect(() => resolveCaptureLimits(options as Partial<CaptureLimits>)).toThrow(message);
  });

  it('rejects options that are not an object', () => {
    expect(() => resolveCaptureLimits(null as unknown as Partial<CaptureLimits>)).toThrow(TypeError);
    expect(() => resolveCaptureLimits([] as unknown as Partial<CaptureLimits>)).toThrow(TypeError);
  });
});
