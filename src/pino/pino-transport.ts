import { type TraceFlags, trace } from '@opentelemetry/api';
import build from 'pino-abstract-transport';
import { reportInternalError } from '../diag/diagnostics.js';
import { ExportLogger, type ExportLoggerOptions } from '../logger/export-logger.js';
import { logFields, PINO_LEVEL_LABELS } from './pino-log-fields.js';
import { resolveErrorKeys, resolvePinoLevel } from './pino-options.js';
import { isSerializedError, revivePinoError } from './revive-pino-error.js';

/**
 * Options of the `error-insight/pino` transport, as given in `pino.transport({ target,
 * options })`. They cross into the worker thread by structured cloning, so they hold data only
 * (no functions, no logger): the worker has its own engine and its own store files, in the
 * store directory named here.
 */
export interface PinoTransportOptions
  extends Omit<ExportLoggerOptions, 'tracer' | 'onRecord' | 'fingerprint' | 'captureUncaught'> {
  /** Lowest pino level number recorded. @default 50 (`error`) */
  level?: number;
  /** Keys of a log line that may hold the error, besides pino's `errorKey`. @default ['err', 'error'] */
  errorKeys?: string[];
}

/** The pino configuration the transport receives with `expectPinoConfig`. */
interface PinoConfigStream {
  levels?: { labels?: Record<number, string> };
  messageKey?: string;
  errorKey?: string;
}

const SPAN_ID = /^[0-9a-f]{16}$/;
const TRACE_ID = /^[0-9a-f]{32}$/;

/** The span a line names (`@opentelemetry/instrumentation-pino` writes these keys), as a non-recording span. */
function spanOf(line: Record<string, unknown>) {
  const { trace_id: traceId, span_id: spanId, trace_flags: flags } = line;
  if (
    typeof traceId !== 'string' ||
    !TRACE_ID.test(traceId) ||
    typeof spanId !== 'string' ||
    !SPAN_ID.test(spanId)
  )
    return undefined;
  const traceFlags = (typeof flags === 'string' ? Number.parseInt(flags, 16) : 0) as TraceFlags;
  return trace.wrapSpanContext({ traceId, spanId, traceFlags: Number.isNaN(traceFlags) ? 0 : traceFlags });
}

/**
 * The pino transport (`pino.transport({ target: 'error-insight/pino', options })`): runs in
 * pino's worker thread, reads each log line, and records those at `error` level or above that
 * carry a serialized error. Every other line is read and dropped. The records go to the store
 * named in the options; when the app exits (normally or by a crash), pino waits for the
 * transport to close, and the transport flushes its store before it says it has.
 */
export default async function errorInsightPinoTransport(options: PinoTransportOptions = {}) {
  const { level, errorKeys, ...loggerOptions } = options ?? {};
  const min = resolvePinoLevel(level, 'error-insight/pino');
  const keys = new Set(resolveErrorKeys(errorKeys, 'error-insight/pino'));
  // The worker's crashes are not the app's; the app's own logger watches for those.
  const logger = new ExportLogger({ ...loggerOptions, captureUncaught: false });
  return build(
    async (source) => {
      const config = source as unknown as PinoConfigStream;
      const messageKey = config.messageKey ?? 'msg';
      if (config.errorKey !== undefined) keys.add(config.errorKey);
      for await (const line of source as AsyncIterable<unknown>) {
        try {
          record(logger, line, min, keys, messageKey, config.levels?.labels);
        } catch (err) {
          reportInternalError('pino transport', err);
        }
      }
    },
    {
      expectPinoConfig: true,
      async close() {
        await logger.shutdown();
      },
    },
  );
}

function record(
  logger: ExportLogger,
  line: unknown,
  min: number,
  keys: ReadonlySet<string>,
  messageKey: string,
  labels: Record<number, string> | undefined,
): void {
  if (line === null || typeof line !== 'object') return;
  const fields = line as Record<string, unknown>;
  const level = fields.level;
  if (typeof level !== 'number' || level < min) return;
  let serialized: Record<string, unknown> | undefined;
  for (const key of keys) {
    const value = fields[key];
    if (isSerializedError(value)) {
      serialized = value;
      break;
    }
  }
  if (serialized === undefined) return;
  const msg = fields[messageKey];
  const { context, ...scope } = logFields([fields], new Set([...keys, messageKey]), {
    level: labels?.[level] ?? PINO_LEVEL_LABELS[level] ?? String(level),
    msg: typeof msg === 'string' ? msg : undefined,
  });
  logger.recordFromLog(revivePinoError(serialized), context, scope, spanOf(fields));
}
