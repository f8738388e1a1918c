import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../cli/cli-run.js';
import { loadedSources } from '../helpers/loaded-sources.js';
import { runProcess } from '../helpers/run-process.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startReceiver } from '../otlp/otlp-receiver.js';

// What an app pays at start: a real child imports error-insight (the ES entry, or the CommonJS
// bundle that Node without require(esm) loads) and registers it with OTLP off, as the start-up
// benchmark does, against a bare NodeTracerProvider; then it records one error.

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

interface Loaded {
  packages: string[];
  builtins: string[];
}

interface Run {
  registered: Loaded;
  recorded?: Loaded;
  exported?: Loaded;
  record?: { type: string; fingerprint: string; category: string; attempt: number };
  /** ES modules resolved, as loadedSources names them. */
  resolved: string[];
  /** The raw URLs resolved from the package's dist/ directory. */
  distUrls: string[];
  dir: string;
}

async function start(side: 'esm' | 'cjs' | 'bare', endpoint?: string): Promise<Run> {
  const dir = await tempDir();
  const log = join(dir, 'resolved.log');
  await writeFile(log, '');
  const result = await runProcess('/usr/bin/env', [
    `RESOLVED_LOG=${log}`,
    process.execPath,
    '--import',
    join(FIXTURES, 'resolve-log.mjs'),
    join(FIXTURES, 'startup-loaded.mjs'),
    side,
    dir,
    ...(endpoint === undefined ? [] : [endpoint]),
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const urls = (await readFile(log, 'utf8')).split('\n').filter((l) => l !== '' && !l.startsWith('---'));
  return {
    ...(JSON.parse(result.stdout) as Omit<Run, 'resolved' | 'distUrls' | 'dir'>),
    resolved: await loadedSources(urls),
    distUrls: urls.filter((u) => u.includes('/dist/')),
    dir,
  };
}

/** Loaded only when their feature is used: OTLP export, log records, metrics, reports, the CLI, pino, source maps. */
const LAZY_PACKAGES = [
  '@opentelemetry/sdk-logs',
  '@opentelemetry/api-logs',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/otlp-transformer',
  '@opentelemetry/otlp-exporter-base',
  'protobufjs',
  'systeminformation',
  '@jridgewell/trace-mapping',
  'commander',
  'cli-progress',
  'csv-stringify',
  'pino-abstract-transport',
];
const OTLP_PACKAGES = LAZY_PACKAGES.slice(0, 2).concat(LAZY_PACKAGES.slice(3, 5));
const LAZY_BUILTINS = ['child_process', 'zlib', 'http', 'https', 'net', 'readline'];
const LAZY_SOURCES = [
  'src/otlp/otlp-log-export.ts',
  'src/otlp/otlp-log-sender.ts',
  'src/otlp/otlp-exporter-factory.ts',
  'src/otlp/otlp-json-export.ts',
  'src/report/generate-report.ts',
  'src/report/html-report-renderer.ts',
  'src/pino/pino-transport.ts',
  'src/cli/main.ts',
];

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe('start-up: importing and registering with OTLP off', () => {
  beforeAll(ensureBuilt);

  it('loads no npm package beyond what a bare NodeTracerProvider loads, from the ES entry or the CommonJS bundle', async () => {
    const [bare, esm, cjs] = await Promise.all([start('bare'), start('esm'), start('cjs')]);
    expect(bare.registered.packages).toContain('@opentelemetry/sdk-trace-node');
    for (const ours of [esm, cjs]) {
      expect(ours.registered.packages.filter((p) => !bare.registered.packages.includes(p))).toEqual([]);
      expect(ours.registered.packages.filter((p) => LAZY_PACKAGES.includes(p))).toEqual([]);
      // (A piped stdout loads net in every process, the bare one included.)
      expect(
        ours.registered.builtins.filter(
          (b) => LAZY_BUILTINS.includes(b) && !bare.registered.builtins.includes(b),
        ),
      ).toEqual([]);
    }
  });

  it("loads the package's bundle, not its ~150 compiled modules, and none of the parts loaded on first use", async () => {
    const esm = await start('esm');
    const entry = esm.distUrls.filter((u) => !u.includes('/dist/src/bundle/'));
    expect(entry.map((u) => u.replace(/.*\/dist\//, 'dist/'))).toEqual(['dist/src/index.js']);
    expect(esm.distUrls.length).toBeGreaterThan(1);
    // The bundle's maps name what it holds: the engine is there, the lazy parts are not.
    expect(esm.resolved).toEqual(expect.arrayContaining(['src/register.ts', 'src/engine/error-engine.ts']));
    expect(esm.resolved.filter((s) => LAZY_SOURCES.includes(s))).toEqual([]);
  });

  it('completes the first record at once, fingerprinted and classified, without loading anything more', async () => {
    for (const side of ['esm', 'cjs'] as const) {
      const run = await start(side);
      expect(run.record).toEqual({
        type: 'Error',
        fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        category: 'network',
        attempt: 2,
      });
      expect(run.recorded).toEqual(run.registered);
      const stored = await readStoreLines(run.dir);
      expect(stored.map((r) => [r.exception.message, r.fingerprint, r.context?.videoHash])).toEqual([
        ['connect ECONNREFUSED 127.0.0.1:9', run.record?.fingerprint, 'a1b2c3'],
      ]);
    }
  });
});

describe('start-up: the CommonJS bundle with an endpoint', () => {
  beforeAll(ensureBuilt);

  it('loads the log SDK and the OTLP serializers only to export, and the collector gets the records', async () => {
    const receiver = await startReceiver();
    cleanup.push(receiver.close);
    const run = await start('cjs', receiver.url);
    expect(run.registered.packages.filter((p) => OTLP_PACKAGES.includes(p))).toEqual([]);
    expect(run.exported?.packages).toEqual(expect.arrayContaining(OTLP_PACKAGES));
    const logs = receiver.requests.filter((r) => r.path === '/v1/logs').map((r) => r.body.toString('latin1'));
    expect(logs.join('\n')).toContain('upload quota exceeded');
    expect(logs.join('\n')).toContain('connect ECONNREFUSED 127.0.0.1:9');
    // Recorded inside a span, the second error is also an event of that span ('both').
    const traces = receiver.requests
      .filter((r) => r.path === '/v1/traces')
      .map((r) => r.body.toString('latin1'));
    expect(traces.join('\n')).toContain('upload quota exceeded');
  });
});
