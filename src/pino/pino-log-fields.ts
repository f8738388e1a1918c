/** Pino's own keys of a log line, which the record has in other places (time, pid, hostname). */
const LINE_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'v']);
/** Trace keys `@opentelemetry/instrumentation-pino` adds; the record keeps them as `trace`. */
const TRACE_KEYS = new Set(['trace_id', 'span_id', 'trace_flags']);

/** What a log call or line says besides the error: the record's context, phase and video. */
export interface LogFields {
  context: Record<string, unknown>;
  phase?: string;
  videoHash?: string;
}

/**
 * Splits a log's fields (its bindings and the logged object, later keys winning as in pino's
 * output) into the record's context, phase and video hash. `errorKeys` are left out: the error
 * is the record's exception.
 */
export function logFields(
  parts: ReadonlyArray<Record<string, unknown> | undefined>,
  errorKeys: ReadonlySet<string>,
  head: { level: string; msg: string | undefined },
): LogFields {
  const context: Record<string, unknown> = { level: head.level };
  if (head.msg !== undefined) context.msg = head.msg;
  const out: LogFields = { context };
  for (const part of parts) {
    if (part === undefined) continue;
    for (const key of Object.keys(part)) {
      if (errorKeys.has(key) || LINE_KEYS.has(key) || TRACE_KEYS.has(key) || key === 'msg') continue;
      const value = part[key];
      if (key === 'phase' && typeof value === 'string') out.phase = value;
      else if ((key === 'videoHash' || key === 'video_hash') && typeof value === 'string')
        out.videoHash = value;
      else context[key] = value;
    }
  }
  return out;
}

/** Pino's default level numbers, for a logger whose labels are not at hand. */
export const PINO_LEVEL_LABELS: Readonly<Record<number, string>> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** Pino's `error` level: the default threshold of both entrances. */
export const PINO_ERROR_LEVEL = 50;
