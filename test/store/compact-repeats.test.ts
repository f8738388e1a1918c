import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportLogger } from '../../src/logger/export-logger.js';
import type { ErrorRecord } from '../../src/record.js';
import { readStore, type StoreReadStats } from '../../src/store/read-store.js';
import { tempDir } from '../helpers/temp-dir.js';

const loggers: ExportLogger[] = [];
afterEach(async () => {
  await Promise.all(loggers.splice(0).map((l) => l.shutdown()));
});

function failAt(site: string, i: number): Error {
  // Two call sites, so two fingerprints with long stacks of their own.
  const make = {
    encode: () => new Error(`encoder failed on segment ${i}`),
    upload: () => new Error(`upload refused for part ${i}`),
  }[site]!;
  return make();
}

async function rawLines(dir: string): Promise<string[][]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
  return Promise.all(files.map(async (f) => (await readFile(join(dir, f), 'utf8')).trimEnd().split('\n')));
}

describe('repeats in the store', () => {
  it('are written without their stack once the file holds it, and read back whole', async () => {
    const dir = await tempDir();
    const logger = new ExportLogger({
      logFile: join(dir, 'e.jsonl'),
      maxLogs: 25,
      resources: false,
      warnOnStderr: false,
    });
    loggers.push(logger);
    const returned: ErrorRecord[] = [];
    for (let i = 0; i < 60; i++)
      returned.push(logger.logStructuredError(failAt(i % 2 === 0 ? 'encode' : 'upload', i)));
    await logger.flush();

    // 60 records over 3 files (25, 25, 10): per file, each fingerprint's first line is full.
    const files = await rawLines(dir);
    expect(files.map((f) => f.length)).toEqual([25, 25, 10]);
    for (const lines of files) {
      const full = lines.filter((l) => l.includes('"stackShared":true'));
      const compact = lines.filter((l) => l.includes('"stackRef":true'));
      expect(full).toHaveLength(2);
      expect(compact).toHaveLength(lines.length - 2);
    }
    const bytes = files.flat().reduce((n, l) => n + Buffer.byteLength(l), 0);
    const fullBytes = returned.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0);
    expect(bytes).toBeLessThan(fullBytes * 0.8);

    const stats: StoreReadStats = { files: 0, lines: 0, records: 0, corruptLines: 0 };
    const read: ErrorRecord[] = [];
    for await (const r of readStore(dir, {}, stats)) read.push(r);
    expect(stats).toEqual({ files: 3, lines: 60, records: 60, corruptLines: 0 });
    expect(read.map((r) => r.exception.stacktrace)).toEqual(returned.map((r) => r.exception.stacktrace));
    expect(read.map((r) => r.exception.message)).toEqual(returned.map((r) => r.exception.message));
    expect(read.some((r) => 'stackRef' in r.exception || 'stackShared' in r.exception)).toBe(false);
  });

  it('keeps every line whole when stacks are short or every error is new', async () => {
    const dir = await tempDir();
    const logger = new ExportLogger({ logFile: join(dir, 'e.jsonl'), resources: false, warnOnStderr: false });
    loggers.push(logger);
    for (let i = 0; i < 5; i++) logger.logStructuredError(`plain string ${i}`);
    for (let i = 0; i < 5; i++)
      logger.logStructuredError(new Error(`distinct cause number ${'x'.repeat(i)}`));
    await logger.flush();
    const lines = (await rawLines(dir)).flat();
    expect(lines).toHaveLength(10);
    expect(lines.filter((l) => l.includes('stackRef'))).toHaveLength(0);
  });

  it('never shares frames between occurrences whose frames differ', async () => {
    const dir = await tempDir();
    const logger = new ExportLogger({ logFile: join(dir, 'e.jsonl'), resources: false, warnOnStderr: false });
    loggers.push(logger);
    const returned: ErrorRecord[] = [];
    // One fingerprint (same in-app top frames), reached through two different outer callers.
    const fail = (i: number) =>
      logger.logStructuredError(new Error(`disk quota hit ${i}`), undefined, { fingerprint: ['quota'] });
    const viaA = (i: number) => fail(i);
    const viaB = (i: number) => [i].map((j) => fail(j))[0]!;
    for (let i = 0; i < 6; i++) returned.push(i % 2 === 0 ? viaA(i) : viaB(i));
    await logger.flush();
    const read: ErrorRecord[] = [];
    for await (const r of readStore(dir)) read.push(r);
    expect(new Set(read.map((r) => r.fingerprint)).size).toBe(1);
    expect(read.map((r) => r.exception.stacktrace)).toEqual(returned.map((r) => r.exception.stacktrace));
  });
});
