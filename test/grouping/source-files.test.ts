import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/capture/redactor.js';
import { contextFrames } from '../../src/grouping/frame-context.js';
import { MAX_SOURCE_LINE_CHARS, SourceContextBuilder } from '../../src/grouping/source-context.js';
import { MAX_FILE_BYTES, SourceFiles } from '../../src/grouping/source-files.js';
import { tempDir } from '../helpers/temp-dir.js';

const lines = (n: number, prefix = 'line') =>
  Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`).join('\n');

describe('SourceFiles', () => {
  it('reads a file once, however many frames point into it', async () => {
    const dir = await tempDir('source-files-');
    const f = join(dir, 'job.js');
    writeFileSync(f, lines(50));
    const files = new SourceFiles();
    for (let i = 0; i < 100; i++) expect(files.lines(f)?.[9]).toBe('line 10');
    expect(files.stats()).toMatchObject({ reads: 1, cached: 1 });
  });

  it('remembers a missing file as unreadable without reading again', async () => {
    const dir = await tempDir('source-files-');
    const files = new SourceFiles();
    expect(files.lines(join(dir, 'gone.js'))).toBeUndefined();
    expect(files.lines(join(dir, 'gone.js'))).toBeUndefined();
    expect(files.stats().reads).toBe(1);
  });

  it('reads only code files: a made-up frame cannot copy /etc/passwd or .env into a record', async () => {
    const dir = await tempDir('source-files-');
    writeFileSync(join(dir, '.env'), 'DB_PASSWORD=hunter2');
    writeFileSync(join(dir, 'notes.txt'), 'secret');
    const files = new SourceFiles();
    expect(files.lines('/etc/passwd')).toBeUndefined();
    expect(files.lines(join(dir, '.env'))).toBeUndefined();
    expect(files.lines(join(dir, 'notes.txt'))).toBeUndefined();
    expect(files.stats().reads).toBe(0);
    const stack = `Error: x\n    at leak (${join(dir, '.env')}:1:1)\n    at more (/etc/passwd:1:1)`;
    expect(contextFrames(stack, dir, 5, files).map((f) => f.contextLine)).toEqual([undefined, undefined]);
  });

  it('does not read files over the size bound, nor directories named like scripts', async () => {
    const dir = await tempDir('source-files-');
    const big = join(dir, 'bundle.js');
    writeFileSync(big, 'x'.repeat(MAX_FILE_BYTES + 1));
    mkdirSync(join(dir, 'folder.js'));
    const files = new SourceFiles();
    expect(files.lines(big)).toBeUndefined();
    expect(files.lines(join(dir, 'folder.js'))).toBeUndefined();
  });

  it('keeps at most its file count and character budget, least recently used going first', async () => {
    const dir = await tempDir('source-files-');
    const paths = Array.from({ length: 6 }, (_, i) => join(dir, `m${i}.js`));
    for (const p of paths) writeFileSync(p, 'y'.repeat(1000));
    const byCount = new SourceFiles(3, 1_000_000);
    for (const p of paths) byCount.lines(p);
    expect(byCount.stats().cached).toBe(3);
    byCount.lines(paths[5]!);
    expect(byCount.stats().reads).toBe(6);
    byCount.lines(paths[0]!);
    expect(byCount.stats().reads).toBe(7);
    const byChars = new SourceFiles(100, 2500);
    for (const p of paths) byChars.lines(p);
    expect(byChars.stats().cached).toBe(2);
    expect(byChars.stats().cachedChars).toBeLessThanOrEqual(2500);
  });

  it('follows an inline source map, and reads the original from sourcesContent when it is not on disk', async () => {
    const dir = await tempDir('source-files-');
    // Generated line 1 maps to line 3 of src/job.ts (one segment: column 0 → source 0, line 2, column 2).
    const map = {
      version: 3,
      sources: ['../src/job.ts'],
      sourcesContent: ['// a\n// b\n  throw new Error("from ts");\n'],
      names: [],
      mappings: 'AAEE',
    };
    const js = join(dir, 'dist', 'job.js');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(
      js,
      `throw new Error("from js");\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`,
    );
    const files = new SourceFiles();
    expect(files.original(js, 1, 1)).toEqual({ path: join(dir, 'src', 'job.ts'), line: 3, column: 3 });
    expect(files.lines(join(dir, 'src', 'job.ts'))?.[2]).toBe('  throw new Error("from ts");');
  });

  it('follows a source map file written by tsc to the TypeScript line', async () => {
    const dir = await tempDir('source-files-');
    mkdirSync(join(dir, 'src'));
    writeFileSync(
      join(dir, 'src', 'a.ts'),
      'export function f(n: number): number {\n  const k: number = n * 2;\n  return k;\n}\n',
    );
    execFileSync(process.execPath, [
      resolve('node_modules/typescript/bin/tsc'),
      '--ignoreConfig',
      '--target',
      'es2022',
      '--module',
      'nodenext',
      '--sourceMap',
      '--outDir',
      join(dir, 'dist'),
      '--rootDir',
      join(dir, 'src'),
      join(dir, 'src', 'a.ts'),
    ]);
    const files = new SourceFiles();
    const js = join(dir, 'dist', 'a.js');
    const jsLines = files.lines(js)!;
    const at = jsLines.findIndex((l) => l.includes('return k'));
    const pos = files.original(js, at + 1, jsLines[at]!.indexOf('return') + 1);
    expect(pos).toMatchObject({ path: join(dir, 'src', 'a.ts'), line: 3 });
  });
});

describe('SourceContextBuilder', () => {
  it('gives up to two lines either side, cut and redacted, and none past the file edges', async () => {
    const dir = await tempDir('source-context-');
    const f = join(dir, 'job.js');
    writeFileSync(
      f,
      [
        'export function run(job) {',
        `  const apiKey = "api_key=sk_live_abcdefghijklmnop";`,
        `  throw new Error(${JSON.stringify('z'.repeat(500))});`,
        '}',
      ].join('\n'),
    );
    const builder = new SourceContextBuilder(new Redactor(), dir, new SourceFiles());
    const [top] = builder.build(`Error: x\n    at run (${f}:3:9)\n    at main (${f}:1:1)`) ?? [];
    expect(top).toMatchObject({ function: 'run', file: 'job.js', line: 3, post: ['}'] });
    expect(top!.pre[0]).toBe('export function run(job) {');
    expect(top!.pre[1]).not.toContain('sk_live_abcdefghijklmnop');
    expect(top!.context.length).toBeLessThan(MAX_SOURCE_LINE_CHARS + 30);
    expect(top!.context).toMatch(/…\[truncated \d+ chars\]$/);
    const edge = builder.build(`Error: y\n    at main (${f}:1:1)`) ?? [];
    expect(edge[0]).toMatchObject({ line: 1, pre: [], context: 'export function run(job) {' });
  });

  it('keeps at most five frames and leaves out frames whose file cannot be read', async () => {
    const dir = await tempDir('source-context-');
    const f = join(dir, 'deep.js');
    writeFileSync(f, lines(20, 'code'));
    const frames = Array.from({ length: 9 }, (_, i) => `    at fn${i} (${f}:${i + 2}:1)`);
    frames.splice(1, 0, `    at missing (${join(dir, 'gone.js')}:1:1)`);
    const builder = new SourceContextBuilder(new Redactor(), dir, new SourceFiles());
    const ctx = builder.build(`Error: z\n${frames.join('\n')}`) ?? [];
    expect(ctx.map((c) => c.function)).toEqual(['fn0', 'fn1', 'fn2', 'fn3']);
    expect(builder.build('Error: no frames')).toBeUndefined();
  });
});
