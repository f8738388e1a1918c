import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ErrorRecord } from '../../src/record.js';
import { runProcess } from '../helpers/run-process.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';

const app = fileURLToPath(new URL('./fixtures/transport-app.mjs', import.meta.url));

function summary(r: ErrorRecord) {
  return {
    type: r.exception.type,
    message: r.exception.message,
    code: r.exception.code,
    causes: r.exception.causes?.map((c) => `${c.type}: ${c.message}`),
    fingerprint: r.fingerprint,
    source: r.source,
    phase: r.phase,
    videoHash: r.videoHash,
    context: r.context,
  };
}

describe('the error-insight/pino transport', () => {
  it('records only the error logs, with their context, as the in-process hooks do, once the app ends', async () => {
    const dir = await tempDir();
    const hookDir = await tempDir();
    const run = await runProcess(process.execPath, [app, 'normal', dir, hookDir]);
    expect(run.code, run.stderr).toBe(0);
    const records = await readStoreLines(dir);
    expect(records.map((r) => r.exception.message)).toEqual([
      'Unknown encoder hevc_nvenc for 3a7bd3e2f',
      'codec is undefined',
      'in a span',
    ]);
    expect(records[0]).toMatchObject({
      source: 'log',
      service: { name: 'clips' },
      phase: 'ENCODING',
      videoHash: '3a7bd3e2f',
      exception: {
        type: 'EncoderError',
        code: 'ENCODER_UNAVAILABLE',
        causes: [{ type: 'Error', message: 'nvenc device busy' }],
      },
      context: { level: 'error', msg: 'encode failed', worker: 'w2', attempt: 3 },
    });
    expect(records[0]?.exception.stacktrace).toMatch(
      /^EncoderError: Unknown encoder[^\n]*\n\s+at encode \(.*transport-app\.mjs:\d+:\d+\)/,
    );
    expect(records[0]?.exception.stacktrace).not.toContain('caused by');
    expect(records[1]?.exception.type).toBe('TypeError');
    expect(records[2]?.trace).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
    });
    expect(JSON.stringify(records)).not.toContain('PLANTED-S3CRET-9');

    // The same errors, recorded in the app's thread by the hooks: the same groups and fields.
    const hooked = await readStoreLines(hookDir);
    expect(records.map(summary)).toEqual(hooked.map(summary));
  });

  it('keeps the records of a process that crashes right after logging', async () => {
    const dir = await tempDir();
    const run = await runProcess(process.execPath, [app, 'crash', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the app crashed');
    expect((await readStoreLines(dir)).map((r) => r.exception.message)).toEqual([
      'Unknown encoder hevc_nvenc for 3a7bd3e2f',
      'codec is undefined',
      'in a span',
    ]);
  });

  it('keeps the records of a process that calls process.exit() right after logging', async () => {
    const dir = await tempDir();
    const run = await runProcess(process.execPath, [app, 'exit', dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(await readStoreLines(dir)).toHaveLength(3);
  });

  it('loses none of 500 errors logged just before the end', async () => {
    const dir = await tempDir();
    const run = await runProcess(process.execPath, [app, 'storm', dir]);
    expect(run.code, run.stderr).toBe(0);
    const uploads = (await readStoreLines(dir)).filter((r) =>
      r.exception.message.startsWith('upload failed'),
    );
    expect(uploads.map((r) => r.context?.part)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(new Set(uploads.map((r) => r.fingerprint)).size).toBe(1);
    expect(uploads.at(-1)?.occurrence).toBe(500);
  });
});
