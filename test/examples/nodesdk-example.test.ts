import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';

// Built by `npm test`'s build step: the app and its NodeSDK preload, run as a user would.
const built = (name: string) => fileURLToPath(new URL(`../../dist/examples/${name}.js`, import.meta.url));

async function runWithPreload(mode?: string) {
  const cwd = await tempDir('ei-nodesdk-');
  const child = spawnSync(
    process.execPath,
    ['--import', built('nodesdk-tracing'), built('nodesdk'), ...(mode ? [mode] : [])],
    {
      cwd,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: '',
        OTEL_SERVICE_NAME: '',
        OTEL_RESOURCE_ATTRIBUTES: 'service.version=2.4.1,deployment.environment.name=staging',
      },
    },
  );
  const records = await readStoreLines(join(cwd, '.error-insight'));
  return { status: child.status, stdout: child.stdout, stderr: child.stderr, records };
}

describe('the NodeSDK example (ESM preload with the loader hook)', () => {
  it('records a handler error with the resource service, release, environment and the request', async () => {
    const { status, stdout, stderr, records } = await runWithPreload();
    expect(status, stderr).toBe(0);
    expect(stdout).toContain('GET /videos/3a7bd3e2f/thumbnail -> 500');
    expect(records).toHaveLength(1);
    const [r] = records;
    expect(r?.source).toBe('span');
    expect(r?.service).toMatchObject({ name: 'clips-api', version: '2.4.1' });
    expect(r?.environment).toBe('staging');
    expect(r?.exception.type).toBe('RangeError');
    // A server span of the http instrumentation: the path without its query (the token).
    expect(r?.request).toMatchObject({
      method: 'GET',
      path: '/videos/3a7bd3e2f/thumbnail',
      peer: '127.0.0.1',
    });
    expect(JSON.stringify(r)).not.toContain('s3cr3t-link-token');
    expect(r?.trace?.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('stores a crash in a request handler that is the process first error', async () => {
    const { status, stderr, records } = await runWithPreload('crash');
    expect(status).not.toBe(0);
    expect(stderr).toContain('frame 0 is out of range');
    expect(records).toHaveLength(1);
    expect(records[0]?.service).toMatchObject({ name: 'clips-api', version: '2.4.1' });
    expect(records[0]?.environment).toBe('staging');
    expect(records[0]?.request?.method).toBe('GET');
  });

  it('stores a crash at start-up, before any span, with the service of the registered SDK', async () => {
    const { status, stderr, records } = await runWithPreload('crash-at-start');
    expect(status).not.toBe(0);
    expect(stderr).toContain('config file /etc/clips/api.json is missing');
    expect(records.map((r) => [r.source, r.service.name, r.service.version, r.environment])).toEqual([
      ['unhandled-rejection', 'clips-api', '2.4.1', 'staging'],
    ]);
    expect(records[0]?.request).toBeUndefined();
  });
});
