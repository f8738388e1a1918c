import { describe, expect, it } from 'vitest';
import { completeLines, planChunk } from '../../src/store/chunk-plan.js';

describe('planChunk', () => {
  it('takes the lines the append side placed in the open file, and asks to rotate at the next file', () => {
    expect(planChunk([4, 4, 4, 5, 5], [2, 2, 2, 2, 2], { fileNo: 4 }, 1024)).toEqual({
      count: 3,
      rotateFirst: false,
    });
    expect(planChunk([5, 5], [2, 2], { fileNo: 4 }, 1024)).toEqual({ count: 0, rotateFirst: true });
  });

  it('caps one write at maxWriteBytes without rotating, but always takes one line however large', () => {
    expect(planChunk([1, 1, 1], [10, 10, 10], { fileNo: 1 }, 25)).toEqual({ count: 2, rotateFirst: false });
    expect(planChunk([1, 1], [500, 10], { fileNo: 1 }, 25)).toEqual({ count: 1, rotateFirst: false });
  });

  it('has nothing to do when nothing is pending', () => {
    expect(planChunk([], [], { fileNo: 1 }, 25)).toEqual({ count: 0, rotateFirst: false });
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
