import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { toBoundedJson } from '../../src/capture/bounded-json.js';
import { normalizeThrown } from '../../src/capture/normalize-thrown.js';
import type { ExceptionInfo, JsonValue } from '../../src/record.js';
import { deepObject, followNext, limits, redactor } from './capture-fixtures.js';

interface ThrownCase {
  name: string;
  thrown: () => unknown;
  check: (info: ExceptionInfo) => void;
}

interface ContextCase {
  name: string;
  context: () => unknown;
  check: (out: JsonValue) => void;
}

function errorWith(props: PropertyDescriptorMap, message = 'base'): Error {
  const err = new Error(message);
  Object.defineProperties(err, props);
  return err;
}

function causeChain(length: number): Error {
  let err = new Error('root cause');
  for (let i = 1; i < length; i++) err = new Error(`level ${i}`, { cause: err });
  return err;
}

const thrownCases: ThrownCase[] = [
  { name: 'null', thrown: () => null, check: (i) => expect(i).toEqual({ type: 'null', message: 'null' }) },
  {
    name: 'undefined',
    thrown: () => undefined,
    check: (i) => expect(i).toEqual({ type: 'undefined', message: 'undefined' }),
  },
  { name: 'zero', thrown: () => 0, check: (i) => expect(i).toEqual({ type: 'number', message: '0' }) },
  {
    name: 'empty string',
    thrown: () => '',
    check: (i) => expect(i).toEqual({ type: 'string', message: '' }),
  },
  {
    name: 'false',
    thrown: () => false,
    check: (i) => expect(i).toEqual({ type: 'boolean', message: 'false' }),
  },
  {
    name: 'a string',
    thrown: () => 'boom',
    check: (i) => expect(i).toEqual({ type: 'string', message: 'boom' }),
  },
  {
    name: 'a Symbol',
    thrown: () => Symbol('s'),
    check: (i) => expect(i).toEqual({ type: 'symbol', message: 'Symbol(s)' }),
  },
  { name: 'a BigInt', thrown: () => 10n, check: (i) => expect(i).toEqual({ type: 'bigint', message: '10' }) },
  {
    name: 'a function',
    thrown: () =>
      function namedThrower() {
        return 1;
      },
    check: (i) => expect(i).toEqual({ type: 'function', message: '[Function namedThrower]' }),
  },
  {
    name: 'a plain object shaped like an error',
    thrown: () => ({ name: 'Foo', message: 'bar', stack: 'Foo: bar\n    at x (/app/x.js:1:1)' }),
    check: (i) => {
      expect(i.type).toBe('Foo');
      expect(i.message).toBe('bar');
      expect(i.stacktrace).toBe('Foo: bar\n    at x (/app/x.js:1:1)');
    },
  },
  {
    name: 'a plain object wrapping an Error',
    thrown: () => ({ error: new RangeError('inner problem'), jobId: 7 }),
    check: (i) => {
      expect(i.type).toBe('RangeError');
      expect(i.message).toBe('inner problem');
      expect(i.properties).toEqual({ jobId: 7 });
    },
  },
  {
    name: 'a plain object without error shape',
    thrown: () => ({ status: 503, detail: 'upstream' }),
    check: (i) => {
      expect(i.type).toBe('object');
      expect(i.message).toBe('Non-error object thrown with keys: status, detail');
      expect(i.properties).toEqual({ status: 503, detail: 'upstream' });
    },
  },
  {
    name: 'a null-prototype object',
    thrown: () => Object.assign(Object.create(null), { reason: 'x' }),
    check: (i) => {
      expect(i.type).toBe('object');
      expect(i.properties).toEqual({ reason: 'x' });
    },
  },
  {
    name: 'an Error whose message getter throws',
    thrown: () =>
      errorWith({
        message: {
          get() {
            throw new TypeError('no message for you');
          },
        },
      }),
    check: (i) => {
      expect(i.type).toBe('Error');
      expect(i.message).toBe('[unavailable: TypeError: no message for you]');
    },
  },
  {
    name: 'an Error whose stack getter throws',
    thrown: () =>
      errorWith({
        stack: {
          get() {
            throw new Error('stack gone');
          },
        },
      }),
    check: (i) => {
      expect(i.message).toBe('base');
      expect(i.stacktrace).toBeUndefined();
    },
  },
  {
    name: 'an Error whose stack is an object',
    thrown: () => errorWith({ stack: { value: {} } }),
    check: (i) => {
      expect(i.message).toBe('base');
      expect(i.stacktrace).toBeUndefined();
    },
  },
  {
    name: 'an Error with a 100k-frame stack',
    thrown: () => {
      const frames = Array.from({ length: 100_000 }, (_, n) => `    at f${n} (/app/src/deep.js:${n}:1)`);
      return errorWith({ stack: { value: `Error: deep\n${frames.join('\n')}` } }, 'deep');
    },
    check: (i) => {
      const lines = i.stacktrace!.split('\n');
      expect(lines).toHaveLength(1 + limits.maxStackFrames + 1);
      expect(lines[1]).toBe('    at f0 (/app/src/deep.js:0:1)');
      expect(lines.at(-1)).toBe(`    … ${100_000 - limits.maxStackFrames} more frames`);
      expect(i.truncated).toBe(true);
    },
  },
  {
    name: 'a cause cycle a → b → a',
    thrown: () => {
      const a = new Error('a');
      const b = new Error('b', { cause: a });
      (a as { cause?: unknown }).cause = b;
      return a;
    },
    check: (i) => {
      expect(i.causes!.map((c) => c.message)).toEqual(['b', 'cause refers back to Error']);
      expect(i.causes![1]!.type).toBe('[Circular]');
    },
  },
  {
    name: 'a 10,000-long cause chain',
    thrown: () => causeChain(10_000),
    check: (i) => {
      expect(i.message).toBe('level 9999');
      expect(i.causes!.map((c) => c.message)).toEqual([
        'level 9998',
        'level 9997',
        'level 9996',
        'level 9995',
        'level 9994',
      ]);
      expect(i.truncated).toBe(true);
    },
  },
  {
    name: 'a string cause',
    thrown: () => new Error('outer', { cause: 'disk full' }),
    check: (i) => expect(i.causes).toEqual([{ type: 'string', message: 'disk full' }]),
  },
  {
    name: 'an AggregateError with 100k members',
    thrown: () => {
      const members: unknown[] = new Array(100_000).fill(new Error('member'));
      members[0] = new Error('member 0');
      return new AggregateError(members, 'many failed');
    },
    check: (i) => {
      expect(i.type).toBe('AggregateError');
      expect(i.errors).toHaveLength(limits.maxAggregateErrors + 1);
      expect(i.errors![0]!.message).toBe('member 0');
      expect(i.errors!.at(-1)).toEqual({
        type: '…',
        message: `${100_000 - limits.maxAggregateErrors} more errors`,
      });
      expect(i.truncated).toBe(true);
    },
  },
  {
    name: 'a cross-realm TypeError',
    thrown: () => vm.runInNewContext('new TypeError("from another realm")'),
    check: (i) => {
      expect(i.type).toBe('TypeError');
      expect(i.message).toBe('from another realm');
      expect(i.stacktrace).toContain('TypeError: from another realm');
    },
  },
  {
    name: 'a frozen Error',
    thrown: () => Object.freeze(new SyntaxError('frozen')),
    check: (i) => expect([i.type, i.message]).toEqual(['SyntaxError', 'frozen']),
  },
  {
    name: 'an Error subclass whose name and constructor getters throw',
    thrown: () => {
      class Weird extends Error {}
      const err = new Weird('weird');
      const boom = {
        get() {
          throw new Error('nope');
        },
      };
      Object.defineProperties(err, { name: boom, constructor: boom });
      return err;
    },
    check: (i) => expect([i.type, i.message]).toEqual(['Error', 'weird']),
  },
  {
    name: 'an Error subclass that sets no name',
    thrown: () => {
      class ExportTimeoutError extends Error {}
      return new ExportTimeoutError('took too long');
    },
    check: (i) => expect(i.type).toBe('ExportTimeoutError'),
  },
  {
    name: 'a revoked Proxy',
    thrown: () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    },
    check: (i) => {
      expect(i.type).toBe('object');
      expect(i.message).toMatch(/^\[Unserializable: TypeError: /);
    },
  },
  {
    name: 'a Proxy whose every trap throws',
    thrown: () =>
      new Proxy(
        {},
        new Proxy(
          {},
          {
            get: () => () => {
              throw new Error('trap');
            },
          },
        ),
      ),
    check: (i) => expect(i).toEqual({ type: 'object', message: '[Unserializable: Error: trap]' }),
  },
  {
    name: 'a real ENOENT from fs',
    thrown: () => {
      try {
        readFileSync('/nonexistent/error-insight/file');
      } catch (err) {
        return err;
      }
    },
    check: (i) => {
      expect(i.type).toBe('Error');
      expect(i).toMatchObject({
        code: 'ENOENT',
        errno: -2,
        syscall: 'open',
        path: '/nonexistent/error-insight/file',
      });
      expect(i.properties).toBeUndefined();
    },
  },
  {
    name: 'an Error with a numeric code and extra fields',
    thrown: () =>
      Object.assign(new Error('http'), { code: 503, status: 'unavailable', headers: { cookie: 'sid=1' } }),
    check: (i) => {
      expect(i.code).toBe('503');
      expect(i.properties).toEqual({ status: 'unavailable', headers: { cookie: '[Filtered]' } });
    },
  },
  {
    name: 'a 50 MB message',
    thrown: () => new Error('x'.repeat(50_000_000)),
    check: (i) => {
      expect(i.message).toBe(
        `${'x'.repeat(limits.maxMessageLength)}…[truncated ${50_000_000 - limits.maxMessageLength} chars]`,
      );
      expect(i.stacktrace!.length).toBeLessThan(limits.maxMessageLength + 50 * 1100);
      expect(i.truncated).toBe(true);
    },
  },
  {
    name: 'a long message whose cut falls inside a surrogate pair',
    thrown: () => new Error(`${'a'.repeat(limits.maxMessageLength - 1)}😀tail`),
    check: (i) => {
      expect(i.message.startsWith(`${'a'.repeat(limits.maxMessageLength - 1)}…[truncated`)).toBe(true);
      expect(i.message.isWellFormed()).toBe(true);
    },
  },
  {
    name: 'an Error with a secret in its message, cause and AggregateError member',
    thrown: () =>
      new AggregateError(
        [new Error('login with password=hunter2 failed')],
        'connect postgres://app:pw123@db/x',
        {
          cause: new Error('Bearer abcDEF123456789'),
        },
      ),
    check: (i) => {
      expect(i.message).toBe('connect postgres://[Filtered]@db/x');
      expect(i.causes![0]!.message).toBe('Bearer [Filtered]');
      expect(i.errors![0]!.message).toBe('login with password=[Filtered] failed');
      expect(JSON.stringify(i)).not.toMatch(/hunter2|pw123|abcDEF123456789/);
    },
  },
  {
    name: 'an Error with a non-string message',
    thrown: () => errorWith({ message: { value: { detail: 'structured', n: 1 } } }),
    check: (i) => expect(i.message).toBe('{"detail":"structured","n":1}'),
  },
  {
    name: 'an Error that holds itself in a property',
    thrown: () => {
      const err = new Error('selfish') as Error & { self?: unknown };
      err.self = err;
      return err;
    },
    check: (i) => expect(i.properties).toEqual({ self: '[Circular]' }),
  },
];

describe('normalizeThrown on bad thrown values', () => {
  it.each(thrownCases)('records $name with the expected type, message and markers', ({ thrown, check }) => {
    const value = thrown();
    const info = normalizeThrown(value, limits, redactor);
    check(info);
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
  });

  it('records the name and message when a host Error.prepareStackTrace throws', () => {
    const original = Error.prepareStackTrace;
    Error.prepareStackTrace = () => {
      throw new Error('host formatter broke');
    };
    try {
      const info = normalizeThrown(new TypeError('still here'), limits, redactor);
      expect(info).toEqual({ type: 'TypeError', message: 'still here' });
    } finally {
      Error.prepareStackTrace = original;
    }
  });
});

class WithPrivate {
  #hidden = 1;
  peek(): number {
    return this.#hidden;
  }
}

const contextCases: ContextCase[] = [
  {
    name: 'a direct cycle',
    context: () => {
      const a: Record<string, unknown> = { n: 1 };
      a.self = a;
      return a;
    },
    check: (o) => expect(o).toEqual({ n: 1, self: '[Circular]' }),
  },
  {
    name: 'a cycle through an array and a Map',
    context: () => {
      const a: Record<string, unknown> = {};
      a.list = [a];
      a.map = new Map([['back', a]]);
      return a;
    },
    check: (o) => expect(o).toEqual({ list: ['[Circular]'], map: { back: '[Circular]' } }),
  },
  {
    name: 'a shared (not circular) child',
    context: () => {
      const shared = { v: 1 };
      return { a: shared, b: shared };
    },
    check: (o) => expect(o).toEqual({ a: { v: 1 }, b: { v: 1 } }),
  },
  {
    name: 'a throwing getter beside good siblings',
    context: () => ({
      before: 1,
      get bad(): never {
        throw new Error('getter exploded');
      },
      after: 2,
    }),
    check: (o) => expect(o).toEqual({ before: 1, bad: '[Threw: Error: getter exploded]', after: 2 }),
  },
  {
    name: 'a toJSON that throws',
    context: () => ({
      x: 1,
      toJSON() {
        throw new Error('no json');
      },
    }),
    check: (o) => expect(o).toEqual({ x: 1, toJSON: '[Function toJSON]' }),
  },
  {
    name: 'a toJSON that returns itself',
    context: () => {
      const o = {
        y: 2,
        toJSON(): unknown {
          return o;
        },
      };
      return o;
    },
    check: (o) => expect(o).toEqual({ y: 2, toJSON: '[Function toJSON]' }),
  },
  {
    name: 'a toJSON that returns a cycle',
    context: () => {
      const inner: Record<string, unknown> = { z: 3 };
      inner.loop = inner;
      return { toJSON: () => inner };
    },
    check: (o) => expect(o).toEqual({ z: 3, loop: '[Circular]' }),
  },
  {
    name: 'a toJSON that reveals a secret',
    context: () => ({ toJSON: () => ({ user: 'ann', password: 'hunter2' }) }),
    check: (o) => expect(o).toEqual({ user: 'ann', password: '[Filtered]' }),
  },
  {
    name: 'a revoked Proxy',
    context: () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return { p: proxy };
    },
    check: (o) => expect(o).toEqual({ p: '[Unserializable]' }),
  },
  {
    name: 'a Proxy that returns a fresh child on every get',
    context: () => {
      const handler: ProxyHandler<object> = {
        get: () => new Proxy({}, handler),
        ownKeys: () => ['child'],
        getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true }),
      };
      return new Proxy({}, handler);
    },
    check: (o) => {
      let node = o as Record<string, unknown>;
      let levels = 0;
      while (typeof node.child === 'object') {
        node = node.child as Record<string, unknown>;
        levels++;
      }
      expect(levels).toBe(limits.maxDepth - 1);
      expect(node.child).toBe('[Object]');
    },
  },
  {
    name: 'a null-prototype object and a throwing Symbol.toPrimitive',
    context: () => ({
      bare: Object.assign(Object.create(null), { k: 'v' }),
      prim: {
        v: 1,
        [Symbol.toPrimitive]() {
          throw new Error('no primitive');
        },
      },
    }),
    check: (o) => expect(o).toEqual({ bare: { k: 'v' }, prim: { v: 1 } }),
  },
  {
    name: 'keys __proto__, constructor, toString and hasOwnProperty',
    context: () =>
      JSON.parse('{"__proto__":{"polluted":true},"constructor":1,"toString":2,"hasOwnProperty":3}'),
    check: (o) => {
      const out = o as Record<string, unknown>;
      expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
      expect(Object.hasOwn(out, '__proto__')).toBe(true);
      expect(JSON.stringify(out)).toBe(
        '{"__proto__":{"polluted":true},"constructor":1,"toString":2,"hasOwnProperty":3}',
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  },
  {
    name: 'BigInt, Symbol, function, undefined, NaN, ±Infinity and -0 values, and a Symbol key',
    context: () => ({
      big: 2n ** 70n,
      sym: Symbol('tag'),
      fn: function render() {},
      anon: (
        () => () =>
          1
      )(),
      undef: undefined,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      ninf: Number.NEGATIVE_INFINITY,
      nzero: -0,
      [Symbol('hidden')]: 'not a JSON key',
    }),
    check: (o) =>
      expect(o).toEqual({
        big: '[BigInt: 1180591620717411303424]',
        sym: '[Symbol(tag)]',
        fn: '[Function render]',
        anon: '[Function <anonymous>]',
        undef: '[undefined]',
        nan: '[NaN]',
        inf: '[Infinity]',
        ninf: '[-Infinity]',
        nzero: 0,
      }),
  },
  {
    name: 'valid and invalid Dates and a RegExp',
    context: () => ({ ok: new Date(Date.UTC(2026, 0, 2)), bad: new Date(Number.NaN), re: /ab+c/gi }),
    check: (o) => expect(o).toEqual({ ok: '2026-01-02T00:00:00.000Z', bad: 'Invalid Date', re: '/ab+c/gi' }),
  },
  {
    name: 'a 10 MB Buffer, typed arrays, ArrayBuffer, SharedArrayBuffer and DataView',
    context: () => ({
      buf: Buffer.alloc(10 * 1024 * 1024),
      u16: new Uint16Array(5),
      ab: new ArrayBuffer(8),
      sab: new SharedArrayBuffer(16),
      dv: new DataView(new ArrayBuffer(4)),
    }),
    check: (o) =>
      expect(o).toEqual({
        buf: '[Buffer len=10485760]',
        u16: '[Uint16Array len=5]',
        ab: '[ArrayBuffer byteLength=8]',
        sab: '[SharedArrayBuffer byteLength=16]',
        dv: '[DataView byteLength=4]',
      }),
  },
  {
    name: 'Map, Set, WeakMap, WeakSet, Promise and a class with #private fields',
    context: () => ({
      map: new Map<unknown, unknown>([
        ['a', 1],
        [2, 'two'],
        ['api_key', 'k'],
      ]),
      set: new Set(['x', 'y']),
      wm: new WeakMap(),
      ws: new WeakSet(),
      pr: Promise.resolve(1),
      priv: new WithPrivate(),
    }),
    check: (o) =>
      expect(o).toEqual({
        map: { a: 1, 2: 'two', api_key: '[Filtered]' },
        set: ['x', 'y'],
        wm: '[WeakMap]',
        ws: '[WeakSet]',
        pr: '[Promise]',
        priv: '[object WithPrivate]',
      }),
  },
  {
    name: 'nesting 100k levels deep',
    context: () => deepObject(100_000),
    check: (o) => expect(followNext(o)).toEqual({ levels: limits.maxDepth, end: '[Object]' }),
  },
  {
    name: 'an array of 1e6 elements',
    context: () => ({ big: new Array(1_000_000).fill(7) }),
    check: (o) => {
      const big = (o as { big: JsonValue[] }).big;
      expect(big).toHaveLength(limits.maxBreadth + 1);
      expect(big.at(-1)).toEqual({ '…': `${1_000_000 - limits.maxBreadth} more` });
    },
  },
  {
    name: 'an object with 200k keys',
    context: () => Object.fromEntries(Array.from({ length: 200_000 }, (_, n) => [`k${n}`, n])),
    check: (o) => {
      const out = o as Record<string, JsonValue>;
      expect(Object.keys(out)).toHaveLength(limits.maxBreadth + 1);
      expect(out.k0).toBe(0);
      expect(out['…']).toBe(`${200_000 - limits.maxBreadth} more`);
    },
  },
  {
    name: 'lone surrogates in keys and values',
    context: () => ({ '\ud800key': 'value\udc00' }),
    check: (o) => expect(JSON.stringify(o)).toBe('{"\\ud800key":"value\\udc00"}'),
  },
  {
    name: 'an Error nested in context',
    context: () => ({ last: Object.assign(new TypeError('nested'), { code: 'E_NESTED', attempt: 3 }) }),
    check: (o) => {
      const last = (o as { last: Record<string, JsonValue> }).last;
      expect(last).toMatchObject({ type: 'TypeError', message: 'nested', code: 'E_NESTED', attempt: 3 });
      expect(last.stack).toMatch(/^TypeError: nested\n {4}at /);
    },
  },
  {
    name: 'the process object',
    context: () => ({ proc: process, glob: globalThis }),
    check: (o) => {
      const bytes = Buffer.byteLength(JSON.stringify(o));
      expect(bytes).toBeGreaterThan(1000);
      expect(bytes).toBeLessThan(limits.maxRecordBytes + 2 * limits.maxStringLength);
    },
  },
  {
    name: 'an http-like request with credentials in headers and URL',
    context: () => ({
      req: {
        url: 'https://user:pass@api.example.com/v1/upload?token=t0k3n&part=2',
        parsed: new URL('https://user:pass@api.example.com/v1/upload?api_key=k3y'),
        headers: {
          authorization: 'Bearer x',
          cookie: 'a=b',
          'x-api-key': 'k',
          'x-forwarded-for': '10.0.0.1',
          accept: '*/*',
        },
      },
    }),
    check: (o) =>
      expect(o).toEqual({
        req: {
          url: 'https://[Filtered]@api.example.com/v1/upload?token=[Filtered]&part=2',
          parsed: 'https://[Filtered]@api.example.com/v1/upload?api_key=[Filtered]',
          headers: {
            authorization: '[Filtered]',
            cookie: '[Filtered]',
            'x-api-key': '[Filtered]',
            'x-forwarded-for': '[Filtered]',
            accept: '*/*',
          },
        },
      }),
  },
];

describe('toBoundedJson on bad context values', () => {
  it.each(contextCases)('serializes $name to the expected bounded JSON', ({ context, check }) => {
    const out = toBoundedJson(context(), limits, redactor);
    check(out);
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('covers at least 30 kinds of bad thrown values and contexts', () => {
    expect(thrownCases.length + contextCases.length).toBeGreaterThanOrEqual(30);
  });
});
