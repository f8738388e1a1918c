import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import * as A from '../../src/semconv.js';
import { tempDir } from '../helpers/temp-dir.js';
import { exceptionLogRecords, type Receiver, startReceiver } from '../otlp/otlp-receiver.js';

const example = fileURLToPath(new URL('../../dist/examples/collector-logs.js', import.meta.url));

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

function run(cwd: string, endpoint: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [example], {
      cwd,
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

describe('examples/collector-logs', () => {
  it('sends both errors as log records and writes the store as OTLP/JSON', async () => {
    const receiver: Receiver = await startReceiver();
    cleanup.push(receiver.close);
    const cwd = await tempDir();
    const out = await run(cwd, receiver.url);
    expect(out).toContain('log records sent: 2, waiting in the store: 0');
    expect(out).toMatch(/wrote 2 records as 1 OTLP\/JSON line\(s\) to /);
    const logs = exceptionLogRecords(receiver.requests);
    expect(logs.map((l) => l[A.ATTR_EXCEPTION_MESSAGE]).sort()).toEqual([
      'Unknown encoder hevc_nvenc',
      'upload quota exceeded',
    ]);
    const line = JSON.parse((await readFile(join(cwd, 'errors.otlp.json'), 'utf8')).trim());
    expect(line.resourceLogs[0].scopeLogs[0].logRecords).toHaveLength(2);
  });
});
