import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExportLogger } from '../../src/logger/export-logger.js';
import type { ErrorRecord } from '../../src/record.js';
import type { ReportAggregation } from '../../src/report/report-aggregation.js';
import { startNode } from '../helpers/run-process.js';
import { storeWith } from '../helpers/store-fixture.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeRecord } from '../report/report-fixtures.js';
import { CLI, ensureBuilt, runCli, startCli, until } from './cli-run.js';

beforeAll(() => ensureBuilt());

const ANSI = 'clear \u001b[2J title \u001b]0;owned\u0007 bell \u009b31m end';

describe('error-insight --help', () => {
  it('prints usage for the program and for every command, exit 0', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Usage: error-insight/);
    for (const name of ['report', 'stats', 'tail', 'prune']) expect(top.stdout).toContain(name);
    for (const [name, flag] of [
      ['report', '--format <format>'],
      ['stats', '--top <n>'],
      ['tail', '--limit <n>'],
      ['prune', '--retention-days <days>'],
    ]) {
      const help = await runCli([name as string, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(flag);
    }
  });
});

describe('error-insight report', () => {
  it('writes an HTML file with mode 0600 and says where on stderr', async () => {
    const store = await storeWith([makeRecord(), makeRecord({ fingerprint: 'other' })]);
    const out = join(await tempDir(), 'r.html');
    const result = await runCli(['report', '--store', store, '--out', out]);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    // stderr is a pipe here: no progress bar, only the one line.
    expect(result.stderr).toBe(`error-insight: wrote html report to ${out}\n`);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(await readFile(out, 'utf8')).toContain("default-src 'none'");
  });

  it('prints the JSON aggregation on stdout and applies the filters', async () => {
    const store = await storeWith([
      makeRecord({ phase: 'ENCODING', time: '2026-11-20T10:00:00.000Z' }),
      makeRecord({ phase: 'MUXING', time: '2026-11-20T11:00:00.000Z' }),
      makeRecord({ phase: 'ENCODING', time: '2026-11-20T12:00:00.000Z', fingerprint: 'fp2' }),
    ]);
    const result = await runCli([
      'report',
      '--store',
      store,
      '--format',
      'json',
      '--phase',
      'ENCODING',
      '--until',
      '2026-11-20T11:30:00Z',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ReportAggregation;
    expect(report.totals.records).toBe(1);
    expect(report.filters).toEqual({ phase: 'ENCODING', until: '2026-11-20T11:30:00.000Z' });
  });

  it('takes the format from the --out extension and groups CSV rows with --group', async () => {
    const store = await storeWith([makeRecord(), makeRecord(), makeRecord({ fingerprint: 'b' })]);
    const out = join(await tempDir(), 'errors.csv');
    expect((await runCli(['report', '--store', store, '--out', out, '--group', '--bom'])).code).toBe(0);
    const rows = parse(await readFile(out, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.fingerprint, r.count])).toEqual([
      ['fp-ffmpeg', '2'],
      ['b', '1'],
    ]);
  });

  it('exits 3 with a clear message for a missing store', async () => {
    const missing = join(await tempDir(), 'nope');
    const result = await runCli(['report', '--store', missing]);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(`error-insight: store not found: ${missing}\n`);
  });

  it('exits 2 for an unknown format or a bad time, naming what is allowed', async () => {
    const store = await storeWith([makeRecord()]);
    const format = await runCli(['report', '--store', store, '--format', 'pdf']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("argument 'pdf' is invalid. Allowed choices are html, csv, json, jsonl");
    const since = await runCli(['report', '--store', store, '--since', 'yesterday']);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('use an age such as 30m, 12h, 7d, 2w');
    expect((await runCli(['frobnicate'])).code).toBe(2);
  });

  it('exits 4 for an OTLP file that cannot be read', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'adir'));
    const result = await runCli(['report', '--otlp', join(dir, 'adir')]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('OTLP file is a directory');
  });

  it('exits 5 and leaves the target alone when --out is a planted symlink', async () => {
    const store = await storeWith([makeRecord()]);
    const dir = await tempDir();
    await writeFile(join(dir, 'victim'), 'keep');
    await symlink(join(dir, 'victim'), join(dir, 'r.html'));
    const result = await runCli(['report', '--store', store, '--out', join(dir, 'r.html')]);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('refusing to write the report through a symbolic link');
    expect(await readFile(join(dir, 'victim'), 'utf8')).toBe('keep');
  });
});

describe('error-insight stats', () => {
  it('prints a summary table with escaped control characters', async () => {
    const store = await storeWith([
      makeRecord({ exception: { type: 'Error', message: ANSI }, fingerprint: 'ansi' }),
      makeRecord(),
      makeRecord(),
    ]);
    const result = await runCli(['stats', '--store', store]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^3 errors, 2 distinct, 1 videos/);
    expect(result.stdout).toMatch(/\n\s+2\s+high\s+ffmpeg\s+ENCODING/);
    expect(result.stdout).toContain('clear \\x1b[2J title \\x1b]0;owned\\x07 bell \\x9b31m end');
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('error-insight over collector output', () => {
  it('summarizes OTLP/JSON files with stats --otlp', async () => {
    const event = (message: string, fp: string) => ({
      name: 'exception',
      timeUnixNano: '1795600001000000000',
      attributes: [
        { key: 'exception.type', value: { stringValue: 'Error' } },
        { key: 'exception.message', value: { stringValue: message } },
        { key: 'error_insight.fingerprint', value: { stringValue: fp } },
        { key: 'error_insight.phase', value: { stringValue: 'UPLOADING' } },
        { key: 'error_insight.classification.category', value: { stringValue: 'network' } },
        { key: 'error_insight.classification.severity', value: { stringValue: 'high' } },
      ],
    });
    const line = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'uploader' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '0af7651916cd43dd8448eb211c80319c',
                  spanId: '00f067aa0ba902b7',
                  name: 'UPLOADING',
                  startTimeUnixNano: '1795600000000000000',
                  events: [
                    event('socket hang up', 'fp-net'),
                    event('socket hang up', 'fp-net'),
                    event('ETIMEDOUT', 'fp-to'),
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const file = join(await tempDir(), 'traces.json');
    await writeFile(file, `${JSON.stringify(line)}\nnot otlp\n`);
    const result = await runCli(['stats', '--otlp', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^3 errors, 2 distinct, 0 videos/);
    expect(result.stdout).toContain('source: otlp, 1 files, 2 lines, 1 unreadable lines');
    expect(result.stdout).toMatch(/\n\s+2\s+high\s+network\s+UPLOADING\s+.*fp-net\s+Error: socket hang up/);
  });
});

describe('error-insight tail', () => {
  it('prints records appended after it started, one escaped line each, and stops at --limit', async () => {
    const store = await storeWith([makeRecord({ exception: { type: 'Error', message: 'old one' } })]);
    const tail = startCli(['tail', '--store', store, '--interval', '50', '--limit', '2']);
    await until(() => tail.out.stderr.includes('following 1 file'));
    await storeWith(
      [
        makeRecord({ exception: { type: 'Error', message: ANSI }, phase: 'MUXING', videoHash: 'abc' }),
        makeRecord({ exception: { type: 'RangeError', message: '第二条' } }),
      ],
      store,
    );
    expect(await tail.exited).toBe(0);
    const lines = tail.out.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^2026-11-20T10:00:00\.000Z high +MUXING ffmpeg Error: clear \\x1b\[2J title \\x1b\]0;owned\\x07 bell \\x9b31m end \[fp-ffmpeg #1\] video=abc$/,
    );
    expect(lines[1]).toContain('RangeError: 第二条');
    expect(tail.out.stdout).not.toContain('old one');
    expect(tail.out.stdout).not.toMatch(/[\u001b\u0007\u009b]/);
  });

  it('prints repeats whole, though the store keeps them compact', async () => {
    const dir = await tempDir();
    const logger = new ExportLogger({
      logFile: join(dir, 'errors.jsonl'),
      resources: false,
      warnOnStderr: false,
    });
    // From a setImmediate callback every occurrence has the same frames, and repeats of the
    // first one are written as compact repeat lines.
    const deep = (n: number, f: () => ErrorRecord): ErrorRecord => (n === 0 ? f() : deep(n - 1, f));
    const fail = (i: number) =>
      new Promise<ErrorRecord>((resolve) =>
        setImmediate(() =>
          resolve(deep(6, () => logger.logStructuredError(new Error(`segment ${i} failed`)))),
        ),
      );
    await fail(0);
    await logger.flush();
    const tail = startCli(['tail', '--store', dir, '--json', '--interval', '50', '--limit', '2']);
    await until(() => tail.out.stderr.includes('following 1 file'));
    const repeats = [await fail(1), await fail(2)];
    await logger.shutdown();
    expect(await tail.exited).toBe(0);
    const raw = await readFile(join(dir, (await readdir(dir)).find((f) => f.endsWith('.jsonl'))!), 'utf8');
    expect(raw.match(/"repeatOf":/g)).toHaveLength(2);
    const printed = tail.out.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as ErrorRecord);
    expect(printed).toEqual(repeats.map((r) => JSON.parse(JSON.stringify(r))));
  });

  it('stops at once on SIGINT, however long its polling interval', async () => {
    const store = await storeWith([makeRecord()]);
    const tail = startCli(['tail', '--store', store, '--interval', '60000']);
    await until(() => tail.out.stderr.includes('following 1 file'));
    tail.child.kill('SIGINT');
    expect(await tail.exited).toBe(0);
  });

  it('ends quietly when its output pipe closes', async () => {
    const store = await storeWith(Array.from({ length: 3000 }, (_, i) => makeRecord({ id: `r${i}` })));
    const run = startNode(CLI, ['tail', '--store', store, '--from-start', '--interval', '50']);
    run.child.stdout.once('data', () => run.child.stdout.destroy());
    const { code, stderr } = await run.done;
    expect(stderr).not.toContain('Unhandled');
    expect(stderr).not.toContain('    at ');
    expect(code).toBe(0);
  });

  it('exits 3 when the store does not exist', async () => {
    const result = await runCli(['tail', '--store', join(await tempDir(), 'none')]);
    expect(result.code).toBe(3);
  });
});

describe('error-insight prune', () => {
  it('removes store files past the retention and lists them', async () => {
    const dir = await tempDir();
    const old = join(dir, 'errors.2020-01-01T00-00-00-000Z.999999-abcdefgh.000001.jsonl');
    await writeFile(old, `${JSON.stringify(makeRecord())}\n`);
    const past = new Date('2020-01-01T00:00:00Z');
    const { utimes } = await import('node:fs/promises');
    await utimes(old, past, past);
    const keep = join(dir, 'notes.txt');
    await writeFile(keep, 'not a store file');
    const result = await runCli(['prune', '--store', dir, '--retention-days', '1']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`removed ${old}\n`);
    expect(result.stderr).toContain('pruned 1 file');
    await expect(stat(old)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(keep, 'utf8')).toBe('not a store file');
  });
});
