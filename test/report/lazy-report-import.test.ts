import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../cli/cli-run.js';
import { loadedSources } from '../helpers/loaded-sources.js';
import { runProcess } from '../helpers/run-process.js';
import { tempDir } from '../helpers/temp-dir.js';

const ENTRY = pathToFileURL(join(process.cwd(), 'dist/src/index.js')).href;

// A module.register resolve hook that appends every resolved URL to a file, with a marker line
// written by the program itself between import and the first report.
const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.RESOLVED_LOG, result.url + '\\n');
  return result;
}`;
const REGISTER = `import { register } from 'node:module';
register(new URL('./hooks.mjs', import.meta.url));`;
const PROGRAM = `import { appendFileSync } from 'node:fs';
const m = await import(${JSON.stringify(ENTRY)});
appendFileSync(process.env.RESOLVED_LOG, '--- imported\\n');
if (process.argv[2]) await m.generateReport({ source: { store: process.argv[2] }, format: 'json', progress: false });
if (process.argv[3]) console.log(JSON.stringify(await m.aggregateReport({ source: { store: process.argv[2] } }).then((a) => a.totals.records)));
`;

const HEAVY = [
  /\/node_modules\/csv-stringify\//,
  /\/node_modules\/cli-progress\//,
  /\/node_modules\/commander\//,
  /\/node_modules\/systeminformation\//,
  /^src\/report\/(html|csv|json|jsonl)-report-renderer\.ts$/,
  /^src\/report\/generate-report\.ts$/,
];

async function run(args: string[]): Promise<{ beforeCall: string[]; afterCall: string[]; stdout: string }> {
  const dir = await tempDir();
  await writeFile(join(dir, 'hooks.mjs'), HOOKS);
  await writeFile(join(dir, 'register.mjs'), REGISTER);
  await writeFile(join(dir, 'program.mjs'), PROGRAM);
  const log = join(dir, 'resolved.log');
  await writeFile(log, '');
  process.env.RESOLVED_LOG = log;
  const result = await runProcess(process.execPath, [
    '--import',
    pathToFileURL(join(dir, 'register.mjs')).href,
    join(dir, 'program.mjs'),
    ...args,
  ]);
  delete process.env.RESOLVED_LOG;
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const lines = (await readFile(log, 'utf8')).split('\n').filter((l) => l.length > 0);
  const marker = lines.indexOf('--- imported');
  expect(marker).toBeGreaterThan(0);
  // The package's own files are bundled: each stands for the source modules it was built from.
  return {
    beforeCall: await loadedSources(lines.slice(0, marker)),
    afterCall: await loadedSources(lines.slice(marker + 1)),
    stdout: result.stdout,
  };
}

const heavyIn = (urls: string[]) => urls.filter((url) => HEAVY.some((re) => re.test(url)));

describe('importing the package', () => {
  beforeAll(ensureBuilt);

  it('loads no report renderer, csv-stringify, cli-progress, commander or systeminformation', async () => {
    const { beforeCall, afterCall } = await run([]);
    expect(beforeCall).toContain('src/index.ts');
    expect(heavyIn(beforeCall)).toEqual([]);
    expect(afterCall).toEqual([]);
  });

  it('loads the report implementation, its renderers and libraries on the first report', async () => {
    const store = join(await tempDir(), 'store');
    await mkdir(store);
    const { beforeCall, afterCall, stdout } = await run([store, 'aggregate']);
    expect(heavyIn(beforeCall)).toEqual([]);
    const loaded = heavyIn(afterCall).join('\n');
    for (const name of [
      'csv-stringify',
      'cli-progress',
      'html-report-renderer.ts',
      'csv-report-renderer.ts',
      'generate-report.ts',
    ]) {
      expect(loaded).toContain(name);
    }
    // The CLI's and the resource sampler's libraries stay unloaded by a report.
    expect(loaded).not.toMatch(/commander|systeminformation/);
    expect(JSON.parse(stdout)).toBe(0);
  });
});
