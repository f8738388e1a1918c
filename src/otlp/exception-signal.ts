/**
 * Where exceptions go over OTLP. The semantic conventions move exceptions from span events to
 * log records correlated with their span; `OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN` is the switch
 * they define: `logs` sends log records only, `logs/dup` both.
 */
export type ExceptionSignal = 'span-events' | 'logs' | 'both';

/** Span events, as stock `span.recordException` does; an error outside any span is a log record in every mode. */
export const DEFAULT_EXCEPTION_SIGNAL: ExceptionSignal = 'span-events';

const SIGNALS: readonly ExceptionSignal[] = ['span-events', 'logs', 'both'];

/**
 * The signal from the option (wins) or the environment variable. The variable is a
 * comma-separated list like the other semconv opt-ins; unknown entries are ignored there, as
 * the SDKs do, but a bad option value is an error at the call.
 */
export function resolveExceptionSignal(option: unknown, envValue: string | undefined): ExceptionSignal {
  if (option !== undefined) {
    if (typeof option === 'string' && (SIGNALS as readonly string[]).includes(option))
      return option as ExceptionSignal;
    throw new TypeError(
      `error-insight: otlp.exceptionSignal must be one of ${SIGNALS.join(', ')}, got ${JSON.stringify(String(option))}`,
    );
  }
  const entries = (envValue ?? '').split(',').map((s) => s.trim().toLowerCase());
  if (entries.includes('logs/dup')) return 'both';
  if (entries.includes('logs')) return 'logs';
  return DEFAULT_EXCEPTION_SIGNAL;
}

/** Whether a record goes out as a log record: always when it has no span to carry its event. */
export function sendsAsLog(signal: ExceptionSignal, record: { trace?: unknown }): boolean {
  return signal !== 'span-events' || record.trace === undefined;
}
