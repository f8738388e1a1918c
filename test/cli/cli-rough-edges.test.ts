import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportAggregation } from '../../src/report/report-aggregation.js';
import { PROGRESS_MIN_BYTES } from '../../src/report/report-progress.js';
import { runProcess, startProcess } from '../helpers/run-process.js';
import { storeWith } from '../helpers/store-fixture.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeRecord } from '../report/report-fixtures.js';
import { CLI, ensureBuilt, runCli, until } from './cli-run.js';

// What a user meets at the edges of the command: input that is not a store, filters that cannot
// match, an output name of another format, the terminal's width and a closed pipe.

beforeAll(() => ensureBuilt());

const TWO_PHASES = () => [
  makeRecord({ phase: 'ENCODING', time: '2026-11-20T10:00:00.000Z' }),
  makeRecord({ phase: 'MUXING', time: '2026-11-20T11:00:00.000Z', fingerprint: 'fp-mux' }),
];

/** Runs a shell command on a pseudo-terminal (util-linux `script`); resolves to all it printed. */
async function onTerminal(command: string): Promise<{ code: number | null; output: string }> {
  const r = await runProcess('script', ['-qec', command, '/dev/null']);
  return { code: r.code, output: r.stdout };
}

describe('input that is not a store', () => {
  it('exits 4 naming the file, for report and stats', async () => {
    const dir = await tempDir();
    const shadowLike = join(dir, 'shadow');
    await writeFile(shadowLike, 'root:*:20000:0:99999:7:::\ndaemon:*:20000:0:99999:7:::\n');
    for (const command of ['report', 'stats']) {
      const result = await runCli([command, '--store', shadowLike]);
      expect(result.code).toBe(4);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `error-insight: not an error-insight store: ${shadowLike} (a store file holds one JSON record per line; give the store directory, such as .error-insight)\n`,
      );
    }
  });

  it('exits 4 for /etc/shadow itself', async () => {
    const result = await runCli(['report', '--store', '/etc/shadow']);
    expect(result.code).toBe(4);
    // Readable as root (not a store), else refused (permission): either way, said on stderr.
    expect(result.stderr).toMatch(
      /^error-insight: (not an error-insight store|cannot read store): \/etc\/shadow/,
    );
  });

  it('still reads a store file named directly', async () => {
    const store = await storeWith(TWO_PHASES());
    const [file] = (await import('node:fs')).readdirSync(store).filter((f) => f.endsWith('.jsonl'));
    const result = await runCli(['report', '--store', join(store, file ?? ''), '--format', 'json']);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as ReportAggregation).totals.records).toBe(2);
  });
});

describe('filters that cannot match', () => {
  it('refuses a window that ends before it starts, exit 2', async () => {
    const store = await storeWith(TWO_PHASES());
    const result = await runCli([
      'report',
      '--store',
      store,
      '--since',
      '2026-11-21',
      '--until',
      '2026-11-20',
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'error-insight: --since 2026-11-21T00:00:00.000Z is after --until 2026-11-20T23:59:59.999Z: no record can match\n',
    );
  });

  it('hints where the records are when the window holds none', async () => {
    const store = await storeWith(TWO_PHASES());
    const result = await runCli([
      'report',
      '--store',
      store,
      '--since',
      '2025-01-01',
      '--until',
      '2025-01-31',
    ]);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as ReportAggregation).totals.records).toBe(0);
    expect(result.stderr).toBe(
      'error-insight: hint: no record falls in the time window; the records span 2026-11-20T10:00:00.000Z → 2026-11-20T11:00:00.000Z\n',
    );
  });

  it('hints the phases there are for an unknown --phase, in report and stats', async () => {
    const store = await storeWith(TWO_PHASES());
    const out = join(await tempDir(), 'r.csv');
    const report = await runCli(['report', '--store', store, '--phase', 'encoding', '--out', out]);
    expect(report.code).toBe(0);
    const hint =
      'error-insight: hint: no record has phase "encoding"; the phases are "ENCODING", "MUXING" (exact, case-sensitive)\n';
    expect(report.stderr).toBe(`error-insight: wrote csv report to ${out}\n${hint}`);
    const stats = await runCli(['stats', '--store', store, '--phase', 'encoding']);
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/^0 errors, 0 distinct/);
    expect(stats.stderr).toBe(hint);
  });

  it('says when each filter matches but not together, and stays quiet when records match', async () => {
    const store = await storeWith(TWO_PHASES());
    const none = await runCli(['stats', '--store', store, '--phase', 'MUXING', '--fingerprint', 'fp-ffmpeg']);
    expect(none.stderr).toBe(
      'error-insight: hint: each filter matches records, but none matches them all together\n',
    );
    const some = await runCli(['stats', '--store', store, '--phase', 'MUXING']);
    expect(some.stdout).toMatch(/^1 errors, 1 distinct/);
    expect(some.stderr).toBe('');
  });
});

describe('the output format', () => {
  it('refuses an --out extension of no report format, exit 2, and writes nothing', async () => {
    const store = await storeWith(TWO_PHASES());
    const out = join(await tempDir(), 'x.pdf');
    const result = await runCli(['report', '--store', store, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error-insight: cannot tell the report format from ${JSON.stringify(out)}: name it .html, .csv, .json or .jsonl, or give --format\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('writes the format given with --format whatever the name', async () => {
    const store = await storeWith(TWO_PHASES());
    const out = join(await tempDir(), 'x.pdf');
    const result = await runCli(['report', '--store', store, '--format', 'html', '--out', out]);
    expect(result.code).toBe(0);
    expect(await readFile(out, 'utf8')).toMatch(/^<!doctype html>/i);
  });
});

describe('the progress bar', () => {
  it('draws none for a small store, even on a terminal', async () => {
    const store = await storeWith(TWO_PHASES());
    const out = join(await tempDir(), 'r.json');
    const result = await onTerminal(
      `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} report --store ${JSON.stringify(store)} --out ${JSON.stringify(out)}`,
    );
    expect(result.code).toBe(0);
    expect(result.output).toBe(`error-insight: wrote json report to ${out}\r\n`);
  });

  it('draws one on a terminal for a large input and erases it when done', async () => {
    const dir = await tempDir();
    const file = join(dir, 'errors.jsonl');
    const lines: string[] = [];
    let bytes = 0;
    for (let i = 0; bytes <= PROGRESS_MIN_BYTES; i++) {
      const line = `${JSON.stringify(makeRecord({ id: `big-${i}`, context: { pad: 'x'.repeat(2000) } }))}\n`;
      lines.push(line);
      bytes += line.length;
    }
    await writeFile(file, lines.join(''));
    const out = join(dir, 'r.json');
    const result = await onTerminal(
      `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} report --store ${JSON.stringify(file)} --out ${JSON.stringify(out)}`,
    );
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/report \|.*\| \d+% \| \d+ records/);
    // The last thing before the closing line erases the bar's line.
    const closing = result.output.lastIndexOf('error-insight: wrote json report');
    expect(result.output.slice(result.output.lastIndexOf('records', closing), closing)).toContain(
      '\u001b[2K',
    );
    expect(JSON.parse(await readFile(out, 'utf8')).totals.records).toBe(lines.length);
  });
});

describe('stats on an 80-column terminal', () => {
  it('keeps every line within 80 columns with long messages, many phases and wide text', async () => {
    const long = 'failed to open the segment file for a very long reason that goes on and on '.repeat(4);
    const store = await storeWith([
      makeRecord({ exception: { type: 'MediaCommandError', message: long } }),
      ...['PREPARATION', 'VALIDATION', 'RENDERING', 'ENCODING', 'MUXING', 'UPLOADING'].map((phase) =>
        makeRecord({
          phase,
          fingerprint: 'fp-many',
          exception: { type: 'Error', message: '编码器配置缺失，无法继续导出视频文件'.repeat(3) },
        }),
      ),
      makeRecord({
        fingerprint: 'fp-config',
        classification: { ...makeRecord().classification, category: 'configuration-and-environment' },
      }),
    ]);
    const result = await runCli(['stats', '--store', store]);
    expect(result.code).toBe(0);
    const { displayWidth } = await import('../../src/cli/terminal-text.js');
    const wide = result.stdout.split('\n').filter((line) => displayWidth(line) > 80);
    expect(wide).toEqual([]);
    // Cut, not lost: each group still shows its fingerprint and the start of its error.
    expect(result.stdout).toMatch(
      /\n\s+6\s+high\s+ffmpeg\s+\S+\s+2026-11-20 10:00Z\s+fp-many\n\s+Error: 编码器配置缺失/,
    );
    expect(result.stdout).toContain('MediaCommandError: failed to open the segment file');
  });
});

describe('tail into a pipe that closes', () => {
  it('exits as soon as `head -n 1` has its line, without waiting for another record', async () => {
    const store = await storeWith([]);
    const run = startProcess('sh', [
      '-c',
      `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} tail --store "$1" --interval 50 | head -n 1`,
      'sh',
      store,
    ]);
    await until(() => run.output.stderr.includes('following'));
    await storeWith(
      [makeRecord({ exception: { type: 'Error', message: 'the one line head wants' } })],
      store,
    );
    // The pipeline ends only when tail does: no second record is ever written.
    const { code, stdout, stderr } = await run.done;
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^2026-11-20T10:00:00\.000Z high +ENCODING ffmpeg Error: the one line head wants .*\n$/,
    );
    expect(stderr).toBe(`error-insight: following 0 files in ${store} (Ctrl-C to stop)\n`);
  });
});
