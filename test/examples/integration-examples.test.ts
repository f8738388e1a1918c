import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStoreLines } from '../helpers/store-lines.js';
import { runExample } from './run-example.js';

// An inherited OTEL_TRACES_EXPORTER would change what these examples print and send.
const runIntegration = (name: string) => runExample(name, { OTEL_TRACES_EXPORTER: '' });

describe('the integration examples', () => {
  it('web-error-handlers keeps each app’s answer and records both route errors with their request', async () => {
    const { cwd, out } = await runIntegration('web-error-handlers');
    expect(out).toContain('express answered 503 {"problem":"render failed for 3a7bd3e2f"}');
    expect(out).toContain('fastify answered 500');
    const records = await readStoreLines(join(cwd, '.error-insight'));
    expect(records.map((r) => r.request)).toEqual([
      {
        method: 'GET',
        route: '/videos/:id/render',
        path: '/videos/3a7bd3e2f/render',
        status: 500,
        peer: '127.0.0.1',
      },
      {
        method: 'GET',
        route: '/videos/:id/encode',
        path: '/videos/3a7bd3e2f/encode',
        status: 500,
        peer: '127.0.0.1',
      },
    ]);
  });

  it('pino-logging records through the hooks and through the transport', async () => {
    const { cwd, out } = await runIntegration('pino-logging');
    expect(out).toContain('hook recorded Error: Unknown encoder hevc_nvenc');
    const [hooked] = await readStoreLines(join(cwd, '.error-insight'));
    expect(hooked).toMatchObject({
      source: 'log',
      phase: 'ENCODING',
      context: { attempt: 2, msg: 'encode failed' },
    });
    const viaWorker = await readStoreLines(join(cwd, '.error-insight-pino'));
    expect(viaWorker.map((r) => [r.source, r.phase, r.exception.message])).toEqual([
      ['log', 'UPLOADING', 'upload refused: 403'],
    ]);
  });
});
