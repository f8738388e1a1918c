import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CAPTURE_LIMITS } from '../../src/capture/capture-limits.js';
import { ExportLogger } from '../../src/logger/export-logger.js';
import type { ErrorRecord } from '../../src/record.js';
import { readStore } from '../../src/store/read-store.js';
import { readStoreText } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';

const readSchema = async (name: string) =>
  JSON.parse(await readFile(new URL(`../../schema/${name}`, import.meta.url), 'utf8'));
const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(await readSchema('error-record.schema.json'));
const validateRepeat = ajv.compile(await readSchema('repeat-line.schema.json'));

/** Thrown values and contexts that are hard on a serializer, beside fast-check's anything(). */
const hostile = fc.constantFrom<unknown>(
  null,
  undefined,
  Symbol('s'),
  10n ** 30n,
  () => 1,
  new Proxy(
    {},
    {
      get: () => {
        throw new Error('trap');
      },
      ownKeys: () => {
        throw new Error('trap');
      },
    },
  ),
  Object.create(null),
  {
    toJSON: () => {
      throw new Error('toJSON');
    },
  },
  {
    get boom() {
      throw new Error('getter');
    },
  },
  Buffer.alloc(1024, 1),
  new Float64Array(5000),
  'x'.repeat(300_000),
  '\u2028\u2029\u0085 line\nbreaks"}\n{"forged":true}',
  new AggregateError([new Error('a'), 'b', null], 'many'),
  new Error('outer', { cause: new Error('inner', { cause: 'root' }) }),
);

let dir: string;
let logger: ExportLogger;
beforeAll(async () => {
  dir = await tempDir('ei-prop-');
  logger = new ExportLogger({
    logFile: join(dir, 'errors.jsonl'),
    resources: false,
    warnOnStderr: false,
    patterns: false,
  });
});
afterAll(async () => {
  await logger.shutdown();
});

describe('the API over arbitrary thrown values and contexts', () => {
  it('never throws, writes one valid line per call, each within maxRecordBytes', async () => {
    // The same thrown object is recorded once (later calls return its first record), and the
    // hostile values above are shared objects, so lines are counted per distinct record.
    const records = new Set<ErrorRecord>();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything({
            withBigInt: true,
            withDate: true,
            withMap: true,
            withSet: true,
            withTypedArray: true,
            withSparseArray: true,
            withNullPrototype: true,
            withObjectString: true,
            withBoxedValues: true,
          }),
          hostile,
        ),
        fc.oneof(
          fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true }),
          hostile,
        ),
        (thrown, context) => {
          const record = logger.logStructuredError(thrown, context as Record<string, unknown>);
          records.add(record);
          expect(record.fingerprint.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
    await logger.flush();
    const text = await readStoreText(dir);
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(records.size);
    expect(records.size).toBeGreaterThan(200);
    for (const line of lines) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(DEFAULT_CAPTURE_LIMITS.maxRecordBytes);
      expect(line).not.toMatch(/[\u2028\u2029]/);
      const parsed = JSON.parse(line);
      const check = 'repeatOf' in parsed ? validateRepeat : validate;
      if (!check(parsed)) throw new Error(`schema: ${ajv.errorsText(check.errors)} in ${line.slice(0, 300)}`);
    }
    // Repeat lines read back as whole records, each one what the caller was handed.
    const stats = { files: 0, lines: 0, records: 0, corruptLines: 0 };
    const read: ErrorRecord[] = [];
    for await (const r of readStore(dir, {}, stats)) read.push(r);
    expect(stats.corruptLines).toBe(0);
    expect(read).toHaveLength(records.size);
    for (const r of read) {
      const id = r.id;
      if (!validate(r)) throw new Error(`schema: ${ajv.errorsText(validate.errors)} in ${id}`);
    }
    const byId = new Map([...records].map((r) => [r.id, JSON.parse(JSON.stringify(r))]));
    for (const r of read) expect(r).toEqual(byId.get(r.id));
  });
});
