import { describe, expect, it } from 'vitest';
import { toBoundedJson } from '../../src/capture/bounded-json.js';
import { resolveCaptureLimits } from '../../src/capture/capture-limits.js';
import { normalizeThrown } from '../../src/capture/normalize-thrown.js';
import type { ExceptionInfo } from '../../src/record.js';
import { limits, PLANTED, redactor } from './capture-fixtures.js';

describe('normalizeThrown', () => {
  it('records class name, message, bounded stack and code separately for a typical error', () => {
    class EncodeError extends Error {
      override name = 'EncodeError';
      code = 'ERR_FFMPEG';
      exitCode = 1;
    }
    const info = normalizeThrown(new EncodeError('ffmpeg exited with code 1'), limits, redactor);
    expect(info).toMatchObject({
      type: 'EncodeError',
      message: 'ffmpeg exited with code 1',
      code: 'ERR_FFMPEG',
    });
    expect(info.properties).toEqual({ exitCode: 1 });
    expect(info.stacktrace).toMatch(/^EncodeError: ffmpeg exited with code 1\n {4}at /);
    expect(info.truncated).toBeUndefined();
  });

  it('keeps cause stacks and codes, nearest cause first', () => {
    const root = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const mid = new Error('write segment failed', { cause: root });
    const info = normalizeThrown(new Error('upload failed', { cause: mid }), limits, redactor);
    expect(info.causes!.map((c) => [c.type, c.message, c.code])).toEqual([
      ['Error', 'write segment failed', undefined],
      ['Error', 'EACCES: permission denied', 'EACCES'],
    ]);
    expect(info.causes![1]!.stacktrace).toMatch(/^Error: EACCES: permission denied\n {4}at /);
  });

  it('honours smaller limits for frames, causes and aggregate members', () => {
    const small = resolveCaptureLimits({ maxStackFrames: 2, maxCauseDepth: 1, maxAggregateErrors: 1 });
    const err = new AggregateError([new Error('a'), new Error('b')], 'both', {
      cause: new Error('c1', { cause: new Error('c2') }),
    });
    const info = normalizeThrown(err, small, redactor);
    expect(info.stacktrace!.split('\n')).toHaveLength(4);
    expect(info.stacktrace!.split('\n')[3]).toMatch(/^ {4}… \d+ more frames$/);
    expect(info.causes!.map((c) => c.message)).toEqual(['c1']);
    expect(info.errors!.map((e) => e.message)).toEqual(['a', '1 more errors']);
    expect(info.truncated).toBe(true);
  });

  it('redacts planted secrets in the message, stack, properties, causes and path', () => {
    const err = Object.assign(
      new Error(`login failed for https://ann:${PLANTED.urlPass}@api.example.com with ${PLANTED.jwt}`),
      {
        path: `/tmp/upload?password=${PLANTED.password}`,
        request: { headers: { Authorization: `Bearer ${PLANTED.jwt}` }, body: `aws ${PLANTED.aws}` },
      },
    );
    err.cause = new Error(`retry used password=${PLANTED.password}`);
    const json = JSON.stringify(normalizeThrown(err, limits, redactor));
    for (const secret of Object.values(PLANTED)) expect(json).not.toContain(secret);
    expect(json).toContain('https://[Filtered]@api.example.com');
  });

  it('does not change the thrown value or its context', () => {
    const context = { video: { hash: '3a7bd3e2f', frames: [1, 2, 3] }, password: 'x', when: new Date(0) };
    const err = Object.freeze(Object.assign(new Error('frozen'), { context }));
    const snapshot = structuredClone(context);
    normalizeThrown(err, limits, redactor);
    toBoundedJson(context, limits, redactor);
    expect(context).toEqual(snapshot);
    expect(Object.keys(err)).toEqual(['context']);
  });

  it('stops expanding context at about maxRecordBytes even within depth and breadth', () => {
    const wide = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`k${i}`, Array.from({ length: 100 }, () => 'v'.repeat(100))]),
    );
    const out = toBoundedJson(wide, limits, redactor) as Record<string, unknown>;
    const size = Buffer.byteLength(JSON.stringify(out));
    expect(size).toBeLessThan(limits.maxRecordBytes + 2 * limits.maxStringLength);
    expect(out['…']).toMatch(/^\d+ more$/);
  });

  it('renders Dates and Buffers at the depth limit instead of a bare label', () => {
    const shallow = resolveCaptureLimits({ maxDepth: 1 });
    const out = toBoundedJson({ at: new Date(0), buf: Buffer.alloc(3), obj: { a: 1 } }, shallow, redactor);
    expect(out).toEqual({ at: '1970-01-01T00:00:00.000Z', buf: '[Buffer len=3]', obj: '[Object]' });
  });

  it('follows a toJSON that returns a new toJSON-bearing object only down to maxDepth', () => {
    const endless = (n: number): unknown => ({ toJSON: () => endless(n + 1), n });
    const out = toBoundedJson(endless(0), limits, redactor);
    expect(JSON.stringify(out)).toBe('"[Object]"');
  });

  it('never throws when called at every depth near the stack limit', () => {
    const results: ExceptionInfo[] = [];
    let thrownOut: unknown;
    const recurse = (n: number): number => {
      try {
        return recurse(n + 1) + 1;
      } catch (err) {
        results.push(normalizeThrown(err, limits, redactor));
        if (results.length < 200) throw err;
        return 0;
      }
    };
    try {
      recurse(0);
    } catch (err) {
      thrownOut = err;
    }
    expect(thrownOut).toBeUndefined();
    expect(results).toHaveLength(200);
    const messages = new Set(results.map((info) => info.message));
    expect(results.every((info) => info.type === 'RangeError')).toBe(true);
    expect(
      [...messages].every(
        (m) => m === 'Maximum call stack size exceeded' || m === '[unavailable: capture failed]',
      ),
    ).toBe(true);
    const full = results.filter((info) => info.message === 'Maximum call stack size exceeded');
    expect(full.length).toBeGreaterThan(0);
    expect(full.at(-1)!.stacktrace).toMatch(/^RangeError: Maximum call stack size exceeded\n {4}at /);
  });
});
