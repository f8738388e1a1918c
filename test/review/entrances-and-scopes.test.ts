import { join } from 'node:path';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportLogger } from '../../src/logger/export-logger.js';
import { withErrorLogging } from '../../src/logger/with-error-logging.js';
import { tempDir } from '../helpers/temp-dir.js';
import { testLogger } from '../helpers/test-logger.js';
import { tracing } from '../helpers/tracing.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function newLogger(): Promise<ExportLogger> {
  return (await testLogger()).logger;
}

describe('one error, one record', () => {
  it('counts a thrown string rethrown through nested scopes once, in the innermost phase', async () => {
    const logger = await newLogger();
    expect(() =>
      logger.logErrors({ phase: 'OUTER' }, () =>
        logger.logErrors({ phase: 'INNER' }, () => {
          throw 'boom';
        }),
      ),
    ).toThrow('boom');
    const stats = logger.getErrorStats();
    expect(stats.totalErrors).toBe(1);
    expect(stats.mostFrequent[0]?.phases).toEqual(['INNER']);
  });

  it('still counts the same string thrown again by a later, separate scope', async () => {
    const logger = await newLogger();
    for (let i = 0; i < 3; i++) {
      logger.logErrors({ phase: 'UPLOADING', rethrow: false }, () => {
        throw 'timeout';
      });
    }
    expect(logger.getErrorStats().totalErrors).toBe(3);
  });

  it('returns the first record when the same error object is logged again', async () => {
    const logger = await newLogger();
    const err = new Error('logged in two catch blocks');
    const first = logger.logStructuredError(err, { where: 'inner' });
    const second = logger.logStructuredError(err, { where: 'outer' });
    expect(second).toBe(first);
    expect(logger.getErrorStats().totalErrors).toBe(1);
  });

  it('does not record again when the app logs an error its span already recorded', async () => {
    const logger = await newLogger();
    const t = tracing(logger);
    cleanup.push(t.close);
    const err = new Error('seen by the span first');
    trace.getTracer('app').startActiveSpan('work', (span) => {
      span.recordException(err);
      span.end();
    });
    const again = logger.logStructuredError(err);
    expect(again.source).toBe('span');
    expect(logger.getErrorStats().totalErrors).toBe(1);
  });
});

describe('phase precedence', () => {
  it('lets a wrapped function without a phase inherit the scope, then setContext', async () => {
    const logger = await newLogger();
    const helper = withErrorLogging({ logger, rethrow: false })(function encodeSegment() {
      throw new Error('x');
    });
    logger.setContext({ phase: 'RENDERING' });
    logger.logErrors({ phase: 'ENCODING', rethrow: false }, () => helper());
    helper();
    const phases = logger.getErrorStats().mostFrequent.flatMap((g) => g.phases);
    expect(phases.sort()).toEqual(['ENCODING', 'RENDERING']);
  });

  it('gives errors recorded on spans the logger context, as the API does', async () => {
    const logger = await newLogger();
    const t = tracing(logger);
    cleanup.push(t.close);
    let seen: { phase?: string; videoHash?: string; context?: unknown } = {};
    logger.engine.subscribe((r) => {
      seen = { phase: r.phase, videoHash: r.videoHash, context: r.context };
    });
    logger.setContext({ phase: 'RENDERING', videoHash: 'vid-1', jobId: 7 });
    trace.getTracer('other').startActiveSpan('frame', (span) => {
      span.recordException(new Error('decoder'));
      span.end();
    });
    expect(seen).toEqual({ phase: 'RENDERING', videoHash: 'vid-1', context: { jobId: 7 } });
  });
});

describe('what the caller gets back', () => {
  it('passes a thenable that is not a promise through without running it', async () => {
    const logger = await newLogger();
    let ran = 0;
    const query = {
      where: () => query,
      // biome-ignore lint/suspicious/noThenProperty: a query builder is exactly this kind of object
      then: (resolve: (v: number) => void) => {
        ran++;
        resolve(1);
      },
    };
    const out = logger.logErrors({ phase: 'DB' }, () => query);
    expect(out).toBe(query);
    expect(ran).toBe(0);
  });
});

describe('secrets in span status', () => {
  it('sets the status of a rethrowing scope from the redacted record, not the raw message', async () => {
    const logger = await newLogger();
    const t = tracing(logger);
    cleanup.push(t.close);
    const err = new Error('connect failed for postgres://admin:hunter2secret@db.internal/clips');
    logger.logErrors({ phase: 'UPLOADING', rethrow: false }, () => {
      logger.logStructuredError(err);
      throw err;
    });
    await t.provider.forceFlush();
    const [span] = t.exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.status.message).toContain('[Filtered]');
    const exported = JSON.stringify({
      status: span?.status,
      attributes: span?.attributes,
      events: span?.events,
    });
    expect(exported).not.toContain('hunter2secret');
  });
});

describe('bad arguments to logStructuredError', () => {
  it('throws a TypeError for options that are not an object or a phase that is not a string', async () => {
    const logger = await newLogger();
    expect(() => logger.logStructuredError(new Error('x'), undefined, null as never)).toThrow(TypeError);
    expect(() => logger.logStructuredError(new Error('x'), undefined, { phase: 42 as never })).toThrow(
      TypeError,
    );
    expect(logger.getErrorStats().totalErrors).toBe(0);
  });

  it('leaves no store directory behind when a resource option is bad', async () => {
    const dir = await tempDir();
    const { existsSync } = await import('node:fs');
    expect(
      () => new ExportLogger({ logFile: join(dir, 'store', 'e.jsonl'), resources: { intervalMs: -5 } }),
    ).toThrow(RangeError);
    expect(existsSync(join(dir, 'store'))).toBe(false);
  });
});
