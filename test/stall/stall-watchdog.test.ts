import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ExportLogger } from '../../src/logger/export-logger.js';
import { runProcess } from '../helpers/run-process.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(
  JSON.parse(await readFile(new URL('../../schema/error-record.schema.json', import.meta.url), 'utf8')),
);
const fixture = fileURLToPath(new URL('./fixtures/stall.mjs', import.meta.url));

describe('stall detection', () => {
  it('turns a 3 s busy loop inside a phase into exactly one stall record with the blocking function on top', async () => {
    const dir = await tempDir();
    const run = await runProcess(process.execPath, [fixture, dir, 'block']);
    expect(run.stderr).toBe('rendering frame batch 7\n');
    expect(run.code).toBe(0);
    const records = await readStoreLines(dir);
    const stalls = records.filter((r) => r.source === 'stall');
    expect(stalls).toHaveLength(1);
    expect(records).toHaveLength(1);
    const stall = stalls[0]!;
    expect(validate(stall), ajv.errorsText(validate.errors)).toBe(true);
    expect(stall.exception.type).toBe('EventLoopStallError');
    expect(stall.exception.code).toBe('ERR_EVENT_LOOP_STALL');
    const frames = stall.exception.stacktrace!.split('\n').slice(1);
    expect(frames[0]).toMatch(/^ {4}at blockTheLoop \(.*stall\.mjs:\d+:\d+\)$/);
    expect(stall.phase).toBe('RENDERING');
    expect(stall.videoHash).toBe('v42');
    expect(stall.trace?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(stall.context!.blockedMs as number).toBeGreaterThanOrEqual(2500);
    expect(stall.context!.thresholdMs).toBe(1000);
    expect(stall.classification.rule).toBe('performance.event-loop-stall');
    expect(stall.classification.category).toBe('performance');
    expect(stall.breadcrumbs?.map((c) => [c.category, c.message])).toEqual([
      ['span.start', 'RENDERING'],
      ['console', 'rendering frame batch 7'],
    ]);
  });

  it('lets a process with stall detection on and nothing left to do exit by itself, with no record', async () => {
    const dir = await tempDir();
    const run = await runProcess(process.execPath, [fixture, dir, 'idle']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(await readStoreLines(dir)).toEqual([]);
  });

  it('rejects bad stall options at the call', () => {
    expect(() => new ExportLogger({ store: false, stall: { thresholdMs: 10 } })).toThrow(RangeError);
    expect(() => new ExportLogger({ store: false, stall: { threshold: 100 } as never })).toThrow(
      /unknown stall option/,
    );
    expect(() => new ExportLogger({ store: false, stall: 'on' as never })).toThrow(TypeError);
  });
});
