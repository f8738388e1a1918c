import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackedFile, pack } from './packed-package.js';

let dir: string;
let files: PackedFile[];
let paths: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ei-pack-'));
  ({ files } = pack(dir));
  paths = files.map((f) => f.path).sort();
}, 60_000);

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('ships both entries, their declarations, the command, the schemas and the legal files', () => {
    for (const path of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/bundle/index.js',
      'dist/src/bundle/pino-transport.js',
      'dist/src/pino/pino-transport.js',
      'dist/src/cli/main.js',
      'dist/cjs/index.cjs',
      'dist/cjs/bundle.cjs',
      'dist/cjs/index.d.ts',
      'dist/cjs/package.json',
      'schema/error-record.schema.json',
      'otel-collector.yaml',
      'docs/record-format.md',
    ]) {
      expect(paths).toContain(path);
    }
  });

  it('ships no tests, sources, examples, benchmarks or build scripts', () => {
    const stray = paths.filter(
      (p) =>
        /^(test|src|examples|bench|scripts|dist\/(examples|bench)|\.ci)\//.test(p) ||
        (p.endsWith('.ts') && !p.endsWith('.d.ts')),
    );
    expect(stray).toEqual([]);
  });

  it('ships a declaration beside every ES module and a CommonJS one for each', () => {
    // The bundle's files are reached only through the entries, whose declarations are tsc's.
    const js = paths.filter(
      (p) => p.startsWith('dist/src/') && !p.startsWith('dist/src/bundle/') && p.endsWith('.js'),
    );
    const missing = js.filter((p) => {
      const dts = p.replace(/\.js$/, '.d.ts');
      return !paths.includes(dts) || !paths.includes(dts.replace('dist/src/', 'dist/cjs/'));
    });
    expect(js.length).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  it('ships source maps only with their sources embedded', async () => {
    const maps = paths.filter((p) => p.endsWith('.map'));
    const withoutSources: string[] = [];
    for (const p of maps) {
      const map = JSON.parse(await readFile(join(process.cwd(), p), 'utf8')) as {
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      const embedded = map.sourcesContent ?? [];
      if (map.sources.some((_, i) => typeof embedded[i] !== 'string')) withoutSources.push(p);
    }
    expect(maps.length).toBeGreaterThan(0);
    expect(withoutSources).toEqual([]);
  });
});
