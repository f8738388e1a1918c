import { describe, expect, it } from 'vitest';
import { parseV8FrameBody, parseV8Frames } from '../../src/grouping/v8-frames.js';

describe('parseV8FrameBody', () => {
  it('reads a member of Promise.all as a combinator frame, not as a file named "index 3"', () => {
    expect(parseV8FrameBody('async Promise.all (index 3)')).toEqual({
      kind: 'promise-combinator',
      function: 'Promise.all',
      path: '',
      index: 3,
      inApp: false,
    });
    for (const c of ['allSettled', 'any', 'race'])
      expect(parseV8FrameBody(`async Promise.${c} (index 0)`)).toMatchObject({ kind: 'promise-combinator' });
  });

  it('reads built-ins without a position as native frames', () => {
    expect(parseV8FrameBody('new Promise (<anonymous>)')).toMatchObject({
      kind: 'native',
      function: 'new Promise',
      inApp: false,
    });
    expect(parseV8FrameBody('Array.reduce (<anonymous>)')).toMatchObject({ kind: 'native', inApp: false });
    expect(parseV8FrameBody('JSON.parse (native)')).toMatchObject({ kind: 'native', inApp: false });
    expect(parseV8FrameBody('<anonymous>')).toMatchObject({ kind: 'native', inApp: false });
  });

  it("reads Node's own modules as node frames", () => {
    expect(parseV8FrameBody('Object.readFileSync (node:fs:441:20)')).toEqual({
      kind: 'node',
      function: 'Object.readFileSync',
      path: 'node:fs',
      inApp: false,
    });
    expect(
      parseV8FrameBody('process.processTicksAndRejections (node:internal/process/task_queues:95:5)'),
    ).toMatchObject({
      kind: 'node',
      path: 'node:internal/process/task_queues',
    });
  });

  it('reads eval code as eval frames, whatever file the eval was called from', () => {
    expect(
      parseV8FrameBody('eval (eval at evaluateRule (/srv/app/rules.js:3:10), <anonymous>:1:20)'),
    ).toMatchObject({
      kind: 'eval',
      function: 'eval',
      inApp: false,
    });
    expect(
      parseV8FrameBody('Object.eval [as fn] (eval at compile (file:///srv/app/x.mjs:1:1), <anonymous>:3:9)'),
    ).toMatchObject({ kind: 'eval', function: 'Object.eval', inApp: false });
  });

  it('keeps the absolute path, line and column of source frames, from paths and file URLs', () => {
    expect(parseV8FrameBody('async renderJob (/srv/app/src/job.js:12:7)')).toEqual({
      kind: 'source',
      function: 'renderJob',
      path: '/srv/app/src/job.js',
      line: 12,
      column: 7,
      inApp: true,
    });
    expect(parseV8FrameBody('file:///srv/my%20app/main.mjs:4:1')).toEqual({
      kind: 'source',
      function: '<anonymous>',
      path: '/srv/my app/main.mjs',
      line: 4,
      column: 1,
      inApp: true,
    });
    expect(parseV8FrameBody('Job.run [as start] (C:\\app\\job.js:3:5)')).toMatchObject({
      function: 'Job.run',
      path: 'C:/app/job.js',
      inApp: true,
    });
    expect(parseV8FrameBody('parse (/srv/app/node_modules/csv-parse/lib/api/index.js:9:3)')).toMatchObject({
      kind: 'source',
      inApp: false,
    });
  });
});

describe('parseV8Frames', () => {
  it('reads only the first frame block, skipping the "… more frames" line', () => {
    const stack = [
      'Error: outer',
      '    at a (/srv/app/a.js:1:1)',
      '    … 3 more frames',
      'Caused by: Error: inner',
      '    at b (/srv/app/b.js:1:1)',
    ].join('\n');
    expect(parseV8Frames(stack).map((f) => f.function)).toEqual(['a']);
  });

  it('reads a real stack with a Promise.all member and a Promise executor', async () => {
    async function member(i: number): Promise<void> {
      await null;
      throw new Error(`member ${i}`);
    }
    const err = (await Promise.all([member(1)]).catch((e: unknown) => e)) as Error;
    const frames = parseV8Frames(err.stack ?? '');
    expect(frames.map((f) => f.kind)).toContain('promise-combinator');
    expect(frames.find((f) => f.kind === 'promise-combinator')).toMatchObject({ index: 0, inApp: false });
    const executor = (await new Promise(() => {
      throw new Error('in executor');
    }).catch((e: unknown) => e)) as Error;
    expect(parseV8Frames(executor.stack ?? '').find((f) => f.function === 'new Promise')).toMatchObject({
      kind: 'native',
    });
  });
});
