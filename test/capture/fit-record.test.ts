import { describe, expect, it } from 'vitest';
import { fitRecord, fitRecordToJson } from '../../src/capture/fit-record.js';
import type { ExceptionInfo, JsonObject } from '../../src/record.js';

interface TestRecord {
  id: string;
  context?: JsonObject;
  resources?: JsonObject;
  exception: ExceptionInfo;
  truncated?: boolean;
}

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

function stack(frames: number): string {
  const lines = Array.from(
    { length: frames },
    (_, n) => `    at step${n} (/app/src/pipeline/encode.ts:${n}:3)`,
  );
  return `Error: encode failed\n${lines.join('\n')}`;
}

function bigRecord(): TestRecord {
  return {
    id: 'r1',
    context: {
      phase: 'ENCODING',
      frames: Array.from({ length: 100 }, (_, n) => ({ n, note: '帧'.repeat(200) })),
    },
    exception: {
      type: 'Error',
      message: 'encode failed',
      stacktrace: stack(50),
      properties: { dump: 'z'.repeat(8000) },
      causes: [{ type: 'TypeError', message: 'inner', stacktrace: stack(50) }],
    },
  };
}

describe('fitRecord', () => {
  it('returns the very same record when it already fits', () => {
    const record = { id: 'r', exception: { type: 'Error', message: 'small' }, context: { a: 1 } };
    expect(fitRecord(record, 4096)).toBe(record);
  });

  it('prunes the context first and keeps the exception whole when that is enough', () => {
    const record = bigRecord();
    const before = JSON.stringify(record);
    const limit = bytes({ ...record, context: {} }) + 2000;
    const fitted = fitRecord(record, limit);
    expect(bytes(fitted)).toBeLessThanOrEqual(limit);
    expect(fitted.truncated).toBe(true);
    expect(fitted.exception.stacktrace).toBe(record.exception.stacktrace);
    expect(fitted.exception.causes).toEqual(record.exception.causes);
    expect(fitted.context!.phase).toBe('ENCODING');
    expect(JSON.stringify(record)).toBe(before);
  });

  it('cuts properties, causes and stack frames, in that order, when the context is not enough', () => {
    const record = bigRecord();
    const fitted = fitRecord(record, 2200);
    expect(bytes(fitted)).toBeLessThanOrEqual(2200);
    expect(fitted.context).toEqual({ '…': 'dropped to fit maxRecordBytes' });
    expect(fitted.exception.properties).toBeUndefined();
    expect(fitted.exception.causes).toBeUndefined();
    expect(fitted.exception.stacktrace).toMatch(/^Error: encode failed\n {4}at step0 /);
    expect(fitted.exception.stacktrace).toMatch(/… more frames cut to fit$/);
    expect(fitted.exception.message).toBe('encode failed');
    expect(fitted.exception.truncated).toBe(true);
  });

  it('hard-truncates the message as the last resort', () => {
    const record: TestRecord = {
      id: 'r2',
      exception: { type: 'Error', message: '错'.repeat(5000), stacktrace: stack(5) },
    };
    const fitted = fitRecord(record, 2048);
    expect(bytes(fitted)).toBeLessThanOrEqual(2048);
    expect(fitted.exception.stacktrace).toBeUndefined();
    expect(fitted.exception.message).toMatch(/^错+…\[truncated \d+ chars\]$/);
    expect(fitted.truncated).toBe(true);
  });

  it('also prunes resources, and keeps a __proto__ key as data', () => {
    const record: TestRecord = {
      id: 'r3',
      resources: JSON.parse(
        `{"__proto__":{"x":1},"disks":${JSON.stringify(Array.from({ length: 200 }, () => 'd'.repeat(100)))}}`,
      ),
      exception: { type: 'Error', message: 'm' },
    };
    const fitted = fitRecord(record, 4096);
    expect(bytes(fitted)).toBeLessThanOrEqual(4096);
    expect(Object.hasOwn(fitted.resources!, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(fitted.resources)).toBe(Object.prototype);
    expect((fitted.resources!.disks as unknown[]).at(-1)).toEqual({ '…': '180 more' });
  });
});

describe('fitRecord between the steps', () => {
  it('keeps causes without their stacks before dropping them', () => {
    const record = bigRecord();
    const fitted = fitRecord(record, 3000);
    expect(bytes(fitted)).toBeLessThanOrEqual(3000);
    expect(fitted.exception.causes).toEqual([{ type: 'TypeError', message: 'inner' }]);
    expect(fitted.exception.stacktrace).toBe(record.exception.stacktrace);
  });
});

describe('fitRecord at its last resort', () => {
  it('cuts long path, code and type fields when the message alone is not enough', () => {
    const record: TestRecord = {
      id: 'r4',
      exception: { type: 'T'.repeat(300), message: 'm', path: '/p'.repeat(4000), code: 'C'.repeat(300) },
    };
    const fitted = fitRecord(record, 2048);
    expect(bytes(fitted)).toBeLessThanOrEqual(2048);
    expect(fitted.exception.path).toBe(`${'/p'.repeat(32)}…[truncated ${8000 - 64} chars]`);
    expect(fitted.exception.type.startsWith('T'.repeat(64))).toBe(true);
    expect(record.exception.path).toHaveLength(8000);
  });
});

describe('fitRecordToJson', () => {
  it('returns the JSON of exactly the record it returns, fitted or not', () => {
    const small = { id: 's', exception: { type: 'Error', message: 'ok' } };
    expect(fitRecordToJson(small, 4096)).toEqual({ record: small, json: JSON.stringify(small) });
    const { record, json } = fitRecordToJson(bigRecord(), 2200);
    expect(json).toBe(JSON.stringify(record));
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(2200);
    expect(record.truncated).toBe(true);
  });
});
