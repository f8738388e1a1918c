import { isNativeError } from 'node:util/types';
import { reportInternalError } from '../diag/diagnostics.js';
import { getExportLogger } from '../logger/default-logger.js';
import { logFields, PINO_LEVEL_LABELS } from './pino-log-fields.js';
import { type PinoHookOptions, resolveErrorKeys, resolvePinoLevel } from './pino-options.js';

/** The part of a pino logger the hook reads (structural: no dependency on pino). */
export interface PinoLoggerLike {
  bindings?(): Record<string, unknown>;
  levels?: { labels?: Record<number, string> };
}

/** What `pino({ hooks })` takes. */
export interface PinoLogMethodHooks {
  logMethod(
    this: PinoLoggerLike,
    args: unknown[],
    method: (this: PinoLoggerLike, ...args: unknown[]) => void,
    level: number,
  ): void;
}

function isError(value: unknown): value is Error {
  return value instanceof Error || isNativeError(value);
}

/** The error of a log call, `logger.error(err, msg?)` or `logger.error({ err }, msg?)`, with its fields. */
function errorOf(
  args: unknown[],
  keys: ReadonlySet<string>,
): { error: Error; fields: Record<string, unknown> | undefined } | undefined {
  const first = args[0];
  if (isError(first)) return { error: first, fields: undefined };
  if (first === null || typeof first !== 'object') return undefined;
  const fields = first as Record<string, unknown>;
  for (const key of keys) {
    const value = fields[key];
    if (isError(value)) return { error: value, fields };
  }
  return undefined;
}

/**
 * Pino hooks that record every error logged at `error` level or above — `logger.error(err)` or
 * `logger.error({ err }, 'msg')` — in error-insight, in the calling thread: the record has the
 * real error (its class, stack, cause chain, own fields), the log's level, message, bindings
 * and fields as context (`phase` and `videoHash` as the record's own), the active span and the
 * enclosing `logErrors` scope. Logs without an error are passed on untouched; the log line
 * itself is always written as pino would. `pino({ hooks: errorInsightPinoHooks() })`
 */
export function errorInsightPinoHooks(options: PinoHookOptions = {}): PinoLogMethodHooks {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('error-insight: errorInsightPinoHooks takes an options object such as { level }');
  }
  const min = resolvePinoLevel(options.level, 'errorInsightPinoHooks');
  const keys = resolveErrorKeys(options.errorKeys, 'errorInsightPinoHooks');
  const given = options.logger;
  if (given !== undefined && (given === null || typeof given.logStructuredError !== 'function')) {
    throw new TypeError('error-insight: errorInsightPinoHooks logger must be an ExportLogger');
  }
  return {
    logMethod(args, method, level) {
      if (level >= min) {
        try {
          const found = errorOf(args, keys);
          if (found !== undefined) {
            const label = this.levels?.labels?.[level] ?? PINO_LEVEL_LABELS[level] ?? String(level);
            const second = args[1];
            const ownMsg = found.fields?.msg;
            const msg =
              typeof second === 'string' ? second : typeof ownMsg === 'string' ? ownMsg : found.error.message;
            const { context, ...scope } = logFields([this.bindings?.(), found.fields], keys, {
              level: label,
              msg,
            });
            (given ?? getExportLogger()).recordFromLog(found.error, context, scope);
          }
        } catch (err) {
          reportInternalError('pino hook', err);
        }
      }
      return method.apply(this, args);
    },
  };
}
