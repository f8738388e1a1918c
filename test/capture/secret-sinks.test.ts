import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setDiagnosticWriter } from '../../src/diag/diagnostics.js';
import { registerErrorInstrumentation } from '../../src/register.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startReceiver } from '../otlp/otlp-receiver.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlX3NlY3JldA';
const AWS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const BEARER = 'sk9Xr2LmQ8vT4wZp';
/** The parts of each secret that must appear in no sink. */
const SECRET_PARTS = ['eyJhbGciOiJIUzI1NiJ9', 'c2lnbmF0dXJlX3NlY3JldA', AWS_KEY_ID, BEARER];

function leaks(text: string): string[] {
  return SECRET_PARTS.filter((s) => text.includes(s));
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  setDiagnosticWriter();
  for (const c of cleanup.splice(0)) await c();
});

describe('secrets in keys, names, codes and foreign exception events', () => {
  it('reach no sink: not the store, the reports, OTLP or stderr', async () => {
    const dir = await tempDir();
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    let stderr = '';
    setDiagnosticWriter((line) => {
      stderr += line;
    });
    const realWrite = process.stderr.write.bind(process.stderr);
    vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      stderr += String(chunk);
      return (realWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write);

    const insight = registerErrorInstrumentation({
      logFile: join(dir, 'store', 'errors.jsonl'),
      registerGlobal: false,
      otlp: { endpoint: receiver.url, protocol: 'http/json' },
    });
    cleanup.push(() => insight.shutdown());

    // A thrown value whose class name, code and own properties carry secrets, keys included.
    const err = new Error('upload to the render farm failed') as Error & Record<string, unknown>;
    err.name = `AuthError ${AWS_KEY_ID}`;
    err.code = JWT;
    err.request = { headers: { [`Bearer ${BEARER}`]: 'cached' }, byToken: new Map([[JWT, 'job 7']]) };
    err[AWS_KEY_ID] = 'an own property named by a key id';
    const cause = new Error('signing failed') as Error & Record<string, unknown>;
    cause.name = `SigningError Bearer ${BEARER}`;
    err.cause = cause;
    insight.tracer.startActiveSpan('ENCODING', (span) => {
      insight.logger.logStructuredError(err, {
        [JWT]: 'a context key that is a token',
        sessions: new Map<unknown, unknown>([
          [AWS_KEY_ID, 'user 1'],
          [`Bearer ${BEARER}`, 'user 2'],
        ]),
      });
      // The same error reaching the span too (recorded once, the span marked failed by it).
      span.recordException(err);
      // Another library's own exception event, added without recordException.
      span.addEvent('exception', {
        'exception.type': `HttpError ${AWS_KEY_ID}`,
        'exception.message': `403 for Authorization: Bearer ${BEARER}`,
        'exception.stacktrace': `HttpError: 403 token=${JWT}\n    at upload (/srv/app/upload.js:10:5)`,
        'http.request.header.authorization': `Bearer ${BEARER}`,
      });
      span.end();
    });
    await insight.forceFlush();

    // The store, byte for byte.
    const storeDir = join(dir, 'store');
    let stored = '';
    for (const name of await readdir(storeDir)) {
      if (name.endsWith('.jsonl')) stored += await readFile(join(storeDir, name), 'utf8');
    }
    expect(stored).toContain('upload to the render farm failed');
    expect(stored).toContain('[Filtered]');
    expect(leaks(stored)).toEqual([]);

    // Every report format.
    for (const format of ['json', 'jsonl', 'csv', 'html'] as const) {
      const outputFile = join(dir, `report.${format}`);
      await insight.logger.exportLogs({ format, outputFile });
      const text = await readFile(outputFile, 'utf8');
      expect(text, format).toContain('render farm');
      expect(leaks(text), format).toEqual([]);
    }

    // OTLP: the captured event and the foreign one.
    await insight.shutdown();
    const sent = receiver.requests.map((r) => r.body.toString('utf8')).join('\n');
    expect(sent).toContain('render farm');
    expect(sent).toContain('403 for Authorization');
    expect(leaks(sent)).toEqual([]);

    expect(leaks(stderr)).toEqual([]);
  });
});
