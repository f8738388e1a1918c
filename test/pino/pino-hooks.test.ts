import { Writable } from 'node:stream';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { setDiagnosticWriter } from '../../src/diag/diagnostics.js';
import { errorInsightPinoHooks } from '../../src/pino/pino-hooks.js';
import { flushedRecords as records, testLogger } from '../helpers/test-logger.js';

afterEach(() => setDiagnosticWriter());

class EncoderError extends Error {
  readonly code = 'ENCODER_UNAVAILABLE';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EncoderError';
  }
}

/** A pino logger writing its lines into an array (parsed), optionally with the hooks. */
function logTo(lines: Array<Record<string, unknown>>, hooks?: ReturnType<typeof errorInsightPinoHooks>) {
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return pino({ base: { service: 'exporter' }, timestamp: false, ...(hooks ? { hooks } : {}) }, sink);
}

describe('errorInsightPinoHooks', () => {
  it('records logger.error({ err }, msg) with the log’s bindings, fields, phase and video', async () => {
    const { logger, dir } = await testLogger();
    const lines: Array<Record<string, unknown>> = [];
    const log = logTo(lines, errorInsightPinoHooks({ logger }));
    const job = log.child({ phase: 'ENCODING', videoHash: '3a7bd3e2f', worker: 'w2' });
    const cause = new Error('nvenc device busy');
    job.error(
      { err: new EncoderError('Unknown encoder hevc_nvenc', { cause }), attempt: 3 },
      'encode failed',
    );

    const [record, ...rest] = await records(logger, dir);
    expect(rest).toHaveLength(0);
    expect(record).toMatchObject({
      source: 'log',
      phase: 'ENCODING',
      videoHash: '3a7bd3e2f',
      exception: {
        type: 'EncoderError',
        message: 'Unknown encoder hevc_nvenc',
        code: 'ENCODER_UNAVAILABLE',
        causes: [{ type: 'Error', message: 'nvenc device busy' }],
      },
      context: { level: 'error', msg: 'encode failed', service: 'exporter', worker: 'w2', attempt: 3 },
    });
    expect(record?.exception.stacktrace).toContain('pino-hooks.test.ts');
    // The line is still pino's own.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      msg: 'encode failed',
      phase: 'ENCODING',
      attempt: 3,
      err: { type: 'EncoderError' },
    });
  });

  it('writes the same lines with and without the hooks', async () => {
    const { logger } = await testLogger();
    const plain: Array<Record<string, unknown>> = [];
    const hooked: Array<Record<string, unknown>> = [];
    const err = new TypeError('codec is undefined');
    for (const [lines, hooks] of [
      [plain, undefined],
      [hooked, errorInsightPinoHooks({ logger })],
    ] as const) {
      const log = logTo(lines, hooks);
      log.info({ videoHash: 'v1' }, 'started %s', 'v1');
      log.error(err);
      log.error({ err, step: 2 }, 'failed at %d', 2);
      log.fatal('no error here');
    }
    expect(hooked).toEqual(plain);
    expect(hooked).toHaveLength(4);
  });

  it('records logger.error(err) and fatal, and leaves out lower levels and logs without an error', async () => {
    const { logger, dir } = await testLogger();
    const log = logTo([], errorInsightPinoHooks({ logger }));
    log.info({ err: new Error('info-level') }, 'not an error log');
    log.warn({ err: new Error('warn-level') });
    log.error('an error message without an error');
    log.error({ code: 'E_X' }, 'fields without an error');
    log.error(new RangeError('segment index out of range'));
    log.fatal({ error: new Error('disk gone') }, 'giving up');
    const kept = await records(logger, dir);
    expect(
      kept.map((r) => [r.exception.type, r.exception.message, r.context?.level, r.context?.msg]),
    ).toEqual([
      ['RangeError', 'segment index out of range', 'error', 'segment index out of range'],
      ['Error', 'disk gone', 'fatal', 'giving up'],
    ]);
  });

  it('takes a lower threshold and other error keys when asked', async () => {
    const { logger, dir } = await testLogger();
    const log = logTo([], errorInsightPinoHooks({ logger, level: 40, errorKeys: ['failure'] }));
    log.warn({ failure: new Error('retrying upload') });
    log.error({ err: new Error('not a configured key') });
    const kept = await records(logger, dir);
    expect(kept.map((r) => [r.exception.message, r.context?.level])).toEqual([['retrying upload', 'warn']]);
  });

  it('redacts secrets in the log fields and the message before the record is kept', async () => {
    const { logger, dir } = await testLogger();
    const log = logTo([], errorInsightPinoHooks({ logger }));
    log
      .child({ apiKey: 'sk_live_PLANTED0123456789' })
      .error(
        { err: new Error('upload refused: token=PLANTED-T0KEN-1'), password: 'hunter2-PLANTED' },
        'upload',
      );
    const text = JSON.stringify(await records(logger, dir));
    expect(text).not.toContain('PLANTED');
    expect(text).toContain('upload refused');
  });

  it('records an error once when it is logged and then thrown out of a logErrors scope', async () => {
    const { logger, dir } = await testLogger();
    const log = logTo([], errorInsightPinoHooks({ logger }));
    const failing = () =>
      logger.logErrors({ phase: 'MUXING', videoHash: 'v5' }, () => {
        const err = new Error('mux failed');
        log.error({ err }, 'mux');
        throw err;
      });
    expect(failing).toThrow('mux failed');
    const kept = await records(logger, dir);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ source: 'log', phase: 'MUXING', videoHash: 'v5' });
  });

  it('still writes the line when recording fails, and says so once', async () => {
    const diagnostics: string[] = [];
    setDiagnosticWriter((line) => diagnostics.push(line));
    const lines: Array<Record<string, unknown>> = [];
    const broken = {
      recordFromLog: () => {
        throw new Error('engine down');
      },
      logStructuredError: () => undefined,
    };
    const log = logTo(lines, errorInsightPinoHooks({ logger: broken as never }));
    log.error({ err: new Error('a') }, 'first');
    log.error({ err: new Error('b') }, 'second');
    expect(lines.map((l) => l.msg)).toEqual(['first', 'second']);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toContain('engine down');
  });

  it('recognises an error from another realm', async () => {
    const { logger, dir } = await testLogger();
    const log = logTo([], errorInsightPinoHooks({ logger }));
    const foreign = runInNewContext('new TypeError("made in a vm")') as Error;
    expect(foreign instanceof Error).toBe(false);
    log.error({ err: foreign }, 'vm');
    const [record] = await records(logger, dir);
    expect(record?.exception).toMatchObject({ type: 'TypeError', message: 'made in a vm' });
  });

  it('rejects bad options at the call', () => {
    expect(() => errorInsightPinoHooks({ level: 'error' as never })).toThrow(
      /level must be a pino level number/,
    );
    expect(() => errorInsightPinoHooks({ errorKeys: [] })).toThrow(/errorKeys/);
    expect(() => errorInsightPinoHooks({ logger: 1 as never })).toThrow(/ExportLogger/);
  });
});
