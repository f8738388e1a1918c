import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportLogger, type ExportLoggerOptions } from '../../src/logger/export-logger.js';
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

async function readAll(dir: string): Promise<{ records: ErrorRecord[]; stats: StoreReadStats }> {
  const stats: StoreReadStats = { files: 0, lines: 0, records: 0, corruptLines: 0 };
  const records: ErrorRecord[] = [];
  for await (const r of readStore(dir, {}, stats)) records.push(r);
  return { records, stats };
}

/** What the caller was handed, as plain data. */
const plain = (records: ErrorRecord[]) => records.map((r) => JSON.parse(JSON.stringify(r)) as ErrorRecord);

function logger(dir: string, options: ExportLoggerOptions = {}): ExportLogger {
  const l = new ExportLogger({
    logFile: join(dir, 'e.jsonl'),
    resources: false,
    warnOnStderr: false,
    ...options,
  });
  loggers.push(l);
  return l;
}

describe('repeats in the store', () => {
  it('are written as the fields that differ from their first line in the file, and read back exactly', async () => {
    const dir = await tempDir();
    const log = logger(dir, { maxLogs: 25 });
    const returned: ErrorRecord[] = [];
    for (let i = 0; i < 60; i++)
      returned.push(
        log.logStructuredError(
          failAt(i % 2 === 0 ? 'encode' : 'upload', i),
          { attempt: i % 3 },
          { phase: 'ENCODING' },
        ),
      );
    await log.flush();

    // 60 records over 3 files (25, 25, 10): per file, each fingerprint's first line is whole.
    const files = await rawLines(dir);
    expect(files.map((f) => f.length)).toEqual([25, 25, 10]);
    for (const lines of files) {
      expect(lines.filter((l) => !l.includes('"repeatOf"'))).toHaveLength(2);
    }
    const bytes = files.flat().reduce((n, l) => n + Buffer.byteLength(l), 0);
    const wholeBytes = returned.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0);
    expect(bytes).toBeLessThan(wholeBytes * 0.4);

    const { records, stats } = await readAll(dir);
    expect(stats).toEqual({ files: 3, lines: 60, records: 60, corruptLines: 0 });
    expect(records).toEqual(plain(returned));
  });

  it('read back exactly with the resource sampler on (sample ages move with the time)', async () => {
    const dir = await tempDir();
    const log = logger(dir, { resources: { intervalMs: 60_000 } });
    await log.engine.monitor?.sample();
    const returned: ErrorRecord[] = [];
    for (let i = 0; i < 20; i++) {
      returned.push(log.logStructuredError(new Error('connect ECONNREFUSED 127.0.0.1:9')));
      await new Promise((r) => setTimeout(r, 2));
    }
    await log.flush();
    const lines = (await rawLines(dir)).flat();
    expect(lines).toHaveLength(20);
    expect(returned[19]!.resources).toBeDefined();
    expect((await readAll(dir)).records).toEqual(plain(returned));
    // A line is written whole again only for new resource figures (a busy machine gives some:
    // free disk bytes, an event-loop delay) or other frames (a timer run from another queue);
    // ages alone never make a new base.
    const cause = (line: string) => {
      const r = JSON.parse(line);
      const figures = Object.entries(r.resources as Record<string, unknown>).filter(
        ([k]) => !k.endsWith('age_ms'),
      );
      return { figures, stack: r.exception.stacktrace };
    };
    const whole = lines.filter((l) => !l.includes('"repeatOf"'));
    expect(whole.length).toBeLessThan(lines.length);
    for (let i = 1; i < whole.length; i++) expect(cause(whole[i]!)).not.toEqual(cause(whole[i - 1]!));
  });

  it('of one site in a storm take about a tenth of the whole line', async () => {
    const dir = await tempDir();
    const log = logger(dir, { maxLogs: 10_000 });
    for (let i = 0; i < 1000; i++)
      log.logStructuredError(new Error('retry 3 failed: connect ECONNREFUSED 127.0.0.1:9'));
    await log.flush();
    const lines = (await rawLines(dir)).flat();
    expect(lines).toHaveLength(1000);
    const [whole, ...repeats] = lines.map((l) => Buffer.byteLength(l));
    const mean = repeats.reduce((a, b) => a + b, 0) / repeats.length;
    expect(mean).toBeLessThan(whole! / 5);
    const { records } = await readAll(dir);
    expect(records.map((r) => r.occurrence)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(new Set(records.map((r) => r.exception.stacktrace)).size).toBe(1);
  });

  it('keeps every line whole when every error is new', async () => {
    const dir = await tempDir();
    const log = logger(dir);
    for (let i = 0; i < 5; i++) log.logStructuredError(`plain string ${'y'.repeat(i)}`);
    for (let i = 0; i < 5; i++) log.logStructuredError(new Error(`distinct cause number ${'x'.repeat(i)}`));
    await log.flush();
    const lines = (await rawLines(dir)).flat();
    expect(lines).toHaveLength(10);
    expect(lines.filter((l) => l.includes('repeatOf'))).toHaveLength(0);
  });

  it('keep their own frames when one fingerprint is reached through different callers', async () => {
    const dir = await tempDir();
    const log = logger(dir);
    const returned: ErrorRecord[] = [];
    const fail = (i: number) =>
      log.logStructuredError(new Error(`disk quota hit ${i}`), undefined, { fingerprint: ['quota'] });
    const viaA = (i: number) => fail(i);
    const viaB = (i: number) => [i].map((j) => fail(j))[0]!;
    for (let i = 0; i < 6; i++) returned.push(i % 2 === 0 ? viaA(i) : viaB(i));
    await log.flush();
    const { records } = await readAll(dir);
    expect(new Set(records.map((r) => r.fingerprint)).size).toBe(1);
    expect(records).toEqual(plain(returned));
  });

  it('whose first line is gone are skipped and counted, the rest of the file still reads', async () => {
    const dir = await tempDir();
    const log = logger(dir);
    for (let i = 0; i < 5; i++) log.logStructuredError(failAt('encode', i));
    log.logStructuredError(new TypeError('a cause of its own'));
    await log.flush();
    const file = join(dir, (await readdir(dir)).find((f) => f.endsWith('.jsonl'))!);
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    await writeFile(file, `${lines.slice(1).join('\n')}\n`);
    const { records, stats } = await readAll(dir);
    expect(stats.corruptLines).toBe(4);
    expect(records.map((r) => r.exception.type)).toEqual(['TypeError']);
  });
});
