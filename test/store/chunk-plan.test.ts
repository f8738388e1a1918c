import { describe, expect, it } from 'vitest';
import type { ActiveFile } from '../../src/store/active-file.js';
import { completeLines, planChunk } from '../../src/store/chunk-plan.js';

const limits = { maxLogs: 3, maxFileBytes: 100, rotateDaily: true, maxWriteBytes: 1024 };
const file = (over: Partial<ActiveFile> = {}): ActiveFile => ({
  fd: 0,
  path: 'f',
  bytes: 0,
  records: 0,
  dayEnd: 1000,
  ...over,
});

describe('planChunk', () => {
  it('stops at the record count, and asks for a new file when the current one is full', () => {
    expect(planChunk(['a\n', 'b\n', 'c\n', 'd\n'], [1, 1, 1, 1], file(), limits)).toEqual({
      count: 3,
      rotateFirst: false,
    });
    expect(planChunk(['d\n'], [1], file({ records: 3 }), limits)).toEqual({ count: 0, rotateFirst: true });
  });

  it('stops before the size limit in bytes (not characters), but puts an oversized line alone in an empty file', () => {
    const big = `${'é'.repeat(30)}\n`; // 61 bytes, 31 characters
    expect(planChunk([big, big], [1, 1], file(), limits)).toEqual({ count: 1, rotateFirst: false });
    const huge = `${'x'.repeat(500)}\n`;
    expect(planChunk([huge], [1], file(), limits)).toEqual({ count: 1, rotateFirst: false });
    expect(planChunk([huge], [1], file({ bytes: 1 }), limits)).toEqual({ count: 0, rotateFirst: true });
  });

  it('splits at the day boundary by append time', () => {
    expect(planChunk(['a\n', 'b\n', 'c\n'], [999, 1000, 1001], file(), limits)).toEqual({
      count: 1,
      rotateFirst: false,
    });
  });

  it('caps one write at maxWriteBytes without rotating', () => {
    const line = `${'x'.repeat(9)}\n`;
    const small = { ...limits, maxLogs: 1000, maxFileBytes: 1e6, maxWriteBytes: 25 };
    expect(planChunk([line, line, line], [1, 1, 1], file(), small)).toEqual({ count: 2, rotateFirst: false });
  });
});

describe('completeLines', () => {
  it('counts only lines whose newline landed', () => {
    const buf = Buffer.from('ab\ncd\nef\n');
    expect(completeLines(buf, 0)).toEqual({ lines: 0, bytes: 0 });
    expect(completeLines(buf, 3)).toEqual({ lines: 1, bytes: 3 });
    expect(completeLines(buf, 5)).toEqual({ lines: 1, bytes: 3 });
    expect(completeLines(buf, 9)).toEqual({ lines: 3, bytes: 9 });
  });
});
