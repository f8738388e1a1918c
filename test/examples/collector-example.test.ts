import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import * as A from '../../src/semconv.js';
import { runNode } from '../helpers/run-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { exceptionLogRecords, type Receiver, startReceiver } from '../otlp/otlp-receiver.js';

const example = fileURLToPath(new URL('../../dist/examples/collector-logs.js', import.meta.url));

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function run(cwd: string, endpoint: string): Promise<string> {
  const env = { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: '' };
  const r = await runNode(example, [], { cwd, env });
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return r.stdout;
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
