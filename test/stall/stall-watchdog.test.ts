import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ExportLogger } from '../../src/logger/export-logger.js';
import { runProcess, startProcess } from '../helpers/run-process.js';
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

  it('records a block that never ends while it lasts, so a process killed in it leaves its record', async () => {
    const dir = await tempDir();
    const run = startProcess(process.execPath, [fixture, dir, 'hang'], { killAfterMs: 60_000 });
    // The record is on disk while the process still spins; then it is killed as a supervisor would.
    let stalls: Awaited<ReturnType<typeof readStoreLines>> = [];
    while (stalls.length === 0 && run.child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      stalls = (await readStoreLines(dir)).filter((r) => r.source === 'stall');
    }
    run.child.kill('SIGKILL');
    const result = await run.done;
    expect(result.signal).toBe('SIGKILL');
    const records = await readStoreLines(dir);
    expect(records).toHaveLength(1);
    const stall = records[0]!;
    expect(validate(stall), ajv.errorsText(validate.errors)).toBe(true);
    expect(stall.source).toBe('stall');
    expect(stall.exception.stacktrace!.split('\n')[1]).toMatch(
      /^ {4}at spinForever \(.*stall\.mjs:\d+:\d+\)$/,
    );
    expect(stall.context!.stillBlocked).toBe(true);
    expect(stall.context!.blockedMs as number).toBeGreaterThanOrEqual(1500);
    expect(stall.phase).toBe('ENCODING');
    expect(stall.videoHash).toBe('v7');
    expect(stall.breadcrumbs?.map((c) => c.message)).toContain('encoding segment 3');
  });

  it('records nothing on top of a capture half done: a beforeRecord hook that never returns', async () => {
    const dir = await tempDir();
    const run = startProcess(process.execPath, [fixture, dir, 'hang-in-hook'], { killAfterMs: 60_000 });
    while (!run.output.stderr.includes('in the hook\n') && run.child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Past hungAfterMs (1.5 s) and two of the watchdog's retries a second apart.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(run.child.exitCode).toBeNull();
    run.child.kill('SIGKILL');
    await run.done;
    expect(await readStoreLines(dir)).toEqual([]);
  });

  it('records a block that outlasts hungAfterMs once, while it lasts, and adds nothing when it ends', async () => {
    const dir = await tempDir();
    const run = await runProcess(process.execPath, [fixture, dir, 'long']);
    expect(run.code).toBe(0);
    const records = await readStoreLines(dir);
    expect(records.map((r) => [r.source, r.context?.stillBlocked])).toEqual([['stall', true]]);
    const blocked = records[0]!.context!.blockedMs as number;
    expect(blocked).toBeGreaterThanOrEqual(1500);
    expect(blocked).toBeLessThan(3000);
    expect(records[0]!.exception.stacktrace!.split('\n')[1]).toMatch(/^ {4}at blockTheLoop /);
    expect(records[0]!.phase).toBe('RENDERING');
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
    expect(() => new ExportLogger({ store: false, stall: { thresholdMs: 5000, hungAfterMs: 1000 } })).toThrow(
      /hungAfterMs must be 0 or a number of ms of at least thresholdMs \(5000\)/,
    );
  });
});
