import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStoreLines } from '../helpers/store-lines.js';
import { consumerProject, TSC } from './packed-package.js';

// Projects that install error-insight from its `npm pack` tarball, as a user's would, and load it
// the ways OpenTelemetry setups do: an ES module preload (`--import`) and a CommonJS one (`-r`).

const SERVICE = {
  OTEL_SERVICE_NAME: 'clips-exporter',
  OTEL_RESOURCE_ATTRIBUTES: 'service.version=1.4.2,deployment.environment.name=staging',
};
/** What a crash record takes from the service's resource (SERVICE). */
const FROM_RESOURCE = { service: { name: 'clips-exporter' } };

const TS_USE = `
const insight = registerErrorInstrumentation({ serviceName: 'clips-exporter' });
const record: ErrorRecord = getExportLogger().logStructuredError(new Error('typed'), { attempt: 1 });
const fingerprint: string = record.fingerprint;
// @ts-expect-error serviceName is a string: an untyped import would not flag this
registerErrorInstrumentation({ serviceName: 42 });
void insight.shutdown();
void fingerprint;
`;

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  'tracing.mjs': `import { registerErrorInstrumentation } from 'error-insight';\nregisterErrorInstrumentation();\n`,
  'app.mjs': `setTimeout(() => {\n  throw new TypeError('encoder profile missing: the first error of the process');\n}, 1);\n`,
  'tracing.cjs': `const { registerErrorInstrumentation, getExportLogger } = require('error-insight');\nregisterErrorInstrumentation();\nglobalThis.preloadLogger = getExportLogger();\n`,
  'app.cjs': `setTimeout(() => {\n  throw new TypeError('encoder profile missing: the first error of the process');\n}, 1);\n`,
  'same-logger.mjs': `import { getExportLogger } from 'error-insight';\nconsole.log(getExportLogger() === globalThis.preloadLogger ? 'same logger' : 'two loggers');\n`,
  'ts/esm.mts': `import { type ErrorRecord, getExportLogger, registerErrorInstrumentation } from 'error-insight';\n${TS_USE}`,
  'ts/cjs.cts': `import { type ErrorRecord, getExportLogger, registerErrorInstrumentation } from 'error-insight';\n${TS_USE}`,
  'ts/bundler.ts': `import { type ErrorRecord, getExportLogger, registerErrorInstrumentation } from 'error-insight';\n${TS_USE}`,
};

function tsconfig(module: string, moduleResolution: string, files: string[]): string {
  return JSON.stringify({
    compilerOptions: {
      module,
      moduleResolution,
      target: 'ES2022',
      strict: true,
      noEmit: true,
      types: ['node'],
      skipLibCheck: true,
    },
    files,
  });
}

let dir: string;

beforeAll(async () => {
  dir = await consumerProject({
    ...FILES,
    'ts/node16.json': tsconfig('node16', 'node16', ['esm.mts', 'cjs.cts']),
    'ts/nodenext.json': tsconfig('nodenext', 'nodenext', ['esm.mts', 'cjs.cts']),
    'ts/bundler.json': tsconfig('preserve', 'bundler', ['bundler.ts']),
  });
}, 60_000);

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function run(args: string[]) {
  return spawnSync(process.execPath, args, {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      ...process.env,
      ...SERVICE,
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    },
  });
}

async function expectCrashRecorded(args: string[]) {
  await rm(join(dir, '.error-insight'), { recursive: true, force: true });
  const child = run(args);
  // Node's own crash: exit code 1 and the original stack on stderr.
  expect(child.status).toBe(1);
  expect(child.stderr).toContain('TypeError: encoder profile missing: the first error of the process');
  const lines = await readStoreLines(join(dir, '.error-insight'));
  expect(lines.map((l) => [l.source, l.exception.type, l.exception.message])).toEqual([
    ['uncaught', 'TypeError', 'encoder profile missing: the first error of the process'],
  ]);
  expect(lines[0]).toMatchObject(FROM_RESOURCE);
}

describe('a project that installs the packed package', () => {
  it('records the crash that is the first error of the process, with an ES module preload (--import)', async () => {
    await expectCrashRecorded(['--import', './tracing.mjs', 'app.mjs']);
  });

  it('records the crash that is the first error of the process, with a CommonJS preload (-r)', async () => {
    await expectCrashRecorded(['-r', './tracing.cjs', 'app.cjs']);
  });

  it('records it too from the CommonJS bundle, where Node cannot require() an ES module', async () => {
    await expectCrashRecorded(['--no-experimental-require-module', '-r', './tracing.cjs', 'app.cjs']);
  });

  it('gives a CommonJS preload and an ES module app one logger', () => {
    const child = run(['-r', './tracing.cjs', 'same-logger.mjs']);
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('same logger');
  });

  it.each(['node16', 'nodenext', 'bundler'])(
    'type-checks ES module and CommonJS consumers under moduleResolution %s',
    (name) => {
      const child = spawnSync(process.execPath, [TSC, '-p', join('ts', `${name}.json`)], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.stdout + child.stderr).toBe('');
      expect(child.status).toBe(0);
    },
  );
});
