import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBoundedJson } from '../../src/capture/bounded-json.js';
import { DEFAULT_CAPTURE_LIMITS, resolveCaptureLimits } from '../../src/capture/capture-limits.js';
import { fitRecord } from '../../src/capture/fit-record.js';
import { normalizeThrown } from '../../src/capture/normalize-thrown.js';
import type { JsonObject } from '../../src/record.js';
import { PLANTED, redactor } from './capture-fixtures.js';

const anythingOptions = {
  maxDepth: 4,
  withBoxedValues: true,
  withSet: true,
  withMap: true,
  withObjectString: true,
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
  stringUnit: 'binary',
} as const;

const anything = fc.anything(anythingOptions);
const small = resolveCaptureLimits({ maxDepth: 4, maxBreadth: 8, maxStringLength: 64, maxRecordBytes: 4096 });
const runs = { numRuns: 150 };

const boom = (): never => {
  throw new Error('hostile');
};

/**
 * Values that attack a serializer: throwing accessors, proxies, cycles, odd errors. They are
 * handed out as factories because fast-check itself probes generated objects (and would trip).
 */
type Build = () => unknown;
const hostile: fc.Arbitrary<Build> = fc.tuple(anything, fc.string(), fc.integer({ min: 0, max: 11 })).map(
  ([inner, text, kind]) =>
    () =>
      makeHostile(inner, text, kind),
);

function makeHostile(inner: unknown, text: string, kind: number): unknown {
  switch (kind) {
    case 0:
      return Object.defineProperty({ inner }, 'bad', { get: boom, enumerable: true });
    case 1:
      return { inner, toJSON: boom };
    case 2:
      return { inner, toString: boom, valueOf: boom, [Symbol.toPrimitive]: boom };
    case 3: {
      const { proxy, revoke } = Proxy.revocable({ inner }, {});
      revoke();
      return proxy;
    }
    case 4:
      return new Proxy({ inner }, { get: boom, ownKeys: boom, getPrototypeOf: boom, has: boom });
    case 5: {
      const cyclic: Record<string, unknown> = { inner };
      cyclic.self = cyclic;
      cyclic.list = [cyclic, inner];
      return cyclic;
    }
    case 6:
      return Object.assign(new Error(text, { cause: inner }), { extra: inner });
    case 7:
      return new AggregateError([inner, new Error(text)], text);
    case 8:
      return JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}');
    case 9:
      return Object.defineProperty(new Error(text), 'message', { get: boom });
    case 10:
      return { toJSON: () => ({ password: PLANTED.password, inner }) };
    default:
      return { [text]: inner, nested: { deeper: [inner, { inner }] } };
  }
}

const plain: fc.Arbitrary<Build> = anything.map((v) => () => v);
const value: fc.Arbitrary<Build> = fc.oneof(
  plain,
  hostile,
  fc.array(fc.oneof(plain, hostile), { maxLength: 4 }).map((builds) => () => builds.map((build) => build())),
);

/** Context with secrets planted under sensitive keys and inside free text. */
const plantedContext = fc.tuple(value, fc.string()).map(([build, text]) => () => {
  const inner = build();
  return {
    inner,
    password: PLANTED.password,
    headers: { Authorization: `Bearer ${PLANTED.jwt}` },
    note: `${text} uploading with ${PLANTED.aws} to https://ann:${PLANTED.urlPass}@s3.example.com/b`,
    list: [inner, `token=${PLANTED.password}`],
  };
});

function assertNoSecrets(json: string): void {
  for (const secret of Object.values(PLANTED)) expect(json).not.toContain(secret);
}

describe('capture over arbitrary values', () => {
  it('toBoundedJson never throws, returns valid JSON and leaves fc.anything input unchanged', () => {
    fc.assert(
      fc.property(fc.clone(anything, 2), ([input, twin]) => {
        const out = toBoundedJson(input, small, redactor);
        const json = JSON.stringify(out);
        expect(JSON.parse(json)).toEqual(out);
        expect(input).toEqual(twin);
      }),
      runs,
    );
  });

  it('toBoundedJson never throws on hostile values and drops planted secrets', () => {
    fc.assert(
      fc.property(plantedContext, (context) => {
        const json = JSON.stringify(toBoundedJson(context(), DEFAULT_CAPTURE_LIMITS, redactor));
        expect(typeof JSON.parse(json)).toBe('object');
        assertNoSecrets(json);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      runs,
    );
  });

  it('normalizeThrown never throws on any thrown value and gives a typed, JSON-safe result', () => {
    fc.assert(
      fc.property(value, (build) => {
        const info = normalizeThrown(build(), small, redactor);
        expect(typeof info.type).toBe('string');
        expect(typeof info.message).toBe('string');
        expect(info.message.length).toBeLessThanOrEqual(small.maxMessageLength + 40);
        expect(JSON.parse(JSON.stringify(info))).toEqual(info);
      }),
      runs,
    );
  });

  it('a record built from any error and context fits maxRecordBytes and holds no planted secret', () => {
    fc.assert(
      fc.property(value, plantedContext, fc.string(), (inner, context, text) => {
        const thrown = Object.assign(new Error(`${text} password=${PLANTED.password} ${PLANTED.jwt}`), {
          inner: inner(),
        });
        const record = {
          id: 'x',
          exception: normalizeThrown(thrown, small, redactor),
          context: toBoundedJson(context(), small, redactor) as JsonObject,
        };
        const fitted = fitRecord(record, small.maxRecordBytes);
        const json = JSON.stringify(fitted);
        expect(Buffer.byteLength(json, 'utf8')).toBeLessThanOrEqual(small.maxRecordBytes);
        assertNoSecrets(json);
      }),
      runs,
    );
  });
});
