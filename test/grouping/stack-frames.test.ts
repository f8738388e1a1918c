import { describe, expect, it } from 'vitest';
import { parseStackFrames } from '../../src/grouping/stack-frames.js';

describe('parseStackFrames', () => {
  it('reads every V8 frame form, relative to the root, without line or column', () => {
    const stack = [
      'TypeError: boom',
      '    at renderFrame (/srv/app/src/render.ts:10:5)',
      '    at async Encoder.encode [as run] (file:///srv/app/src/encoder.ts:22:7)',
      '    at new Pipeline (/srv/app/src/pipeline.ts:3:1)',
      '    at /srv/app/src/anonymous.ts:1:2',
      '    at eval (eval at compileFilter (/srv/app/src/filter.ts:9:9), <anonymous>:1:1)',
      '    at Array.map (<anonymous>)',
      '    at Object.<anonymous> (/srv/app/node_modules/fluent-ffmpeg/lib/x.js:1:1)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at native',
    ].join('\n');
    expect(parseStackFrames(stack, '/srv/app')).toEqual([
      { function: 'renderFrame', file: 'src/render.ts', inApp: true },
      { function: 'Encoder.encode', file: 'src/encoder.ts', inApp: true },
      { function: 'new Pipeline', file: 'src/pipeline.ts', inApp: true },
      { function: '<anonymous>', file: 'src/anonymous.ts', inApp: true },
      { function: 'eval', file: 'src/filter.ts', inApp: true },
      { function: 'Array.map', file: '<anonymous>', inApp: false },
      { function: 'Object.<anonymous>', file: 'fluent-ffmpeg/lib/x.js', inApp: false },
      {
        function: 'process.processTicksAndRejections',
        file: 'node:internal/process/task_queues',
        inApp: false,
      },
      { function: '<anonymous>', file: 'native', inApp: false },
    ]);
  });

  it('handles Windows paths and file URLs with a Windows root', () => {
    const stack = [
      'Error: x',
      '    at a (C:\\proj\\src\\a.ts:1:2)',
      '    at b (file:///C:/proj/src/b%20c.ts:3:4)',
      '    at c (C:\\proj\\node_modules\\lib\\index.js:1:1)',
    ].join('\n');
    expect(parseStackFrames(stack, 'C:\\proj\\')).toEqual([
      { function: 'a', file: 'src/a.ts', inApp: true },
      { function: 'b', file: 'src/b c.ts', inApp: true },
      { function: 'c', file: 'lib/index.js', inApp: false },
    ]);
  });

  it('names files outside the root by their last three segments, the same on every machine', () => {
    const a = parseStackFrames('Error\n    at f (/home/ci/build-77/app/dist/src/job.js:1:1)', '/elsewhere');
    const b = parseStackFrames('Error\n    at f (/opt/deploy/app/dist/src/job.js:9:9)', '/elsewhere');
    expect(a).toEqual([{ function: 'f', file: 'dist/src/job.js', inApp: true }]);
    expect(b).toEqual(a);
  });

  it('stops at a "Caused by:" section and skips message lines before the frames', () => {
    const stack = [
      'Error: outer',
      'second line of the message',
      '    at outer (/app/src/outer.ts:1:1)',
      'Caused by: Error: inner',
      '    at inner (/app/src/inner.ts:1:1)',
    ].join('\n');
    expect(parseStackFrames(stack, '/app').map((f) => f.function)).toEqual(['outer']);
  });

  it('parses a real stack trace of this process', () => {
    function namedThrower(): Error {
      return new Error('real');
    }
    const frames = parseStackFrames(namedThrower().stack ?? '', process.cwd());
    expect(frames[0]).toEqual({
      function: 'namedThrower',
      file: 'test/grouping/stack-frames.test.ts',
      inApp: true,
    });
    expect(frames.some((f) => !f.inApp)).toBe(true);
  });

  it('stops once it has found the in-app frames asked for', () => {
    const stack = ['Error', ...['a', 'b', 'c', 'd'].map((f) => `    at ${f} (/app/src/${f}.ts:1:1)`)].join(
      '\n',
    );
    expect(parseStackFrames(stack, '/app', 2).map((f) => f.function)).toEqual(['a', 'b']);
  });

  it('returns no frames for an empty or non-string trace', () => {
    expect(parseStackFrames('', '/app')).toEqual([]);
    expect(parseStackFrames(undefined as unknown as string, '/app')).toEqual([]);
    expect(parseStackFrames('just a message', '/app')).toEqual([]);
  });
});
