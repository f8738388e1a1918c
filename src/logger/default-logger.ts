import type { ErrorRecord } from '../record.js';
import { ExportLogger, type ExportLoggerOptions } from './export-logger.js';

let defaultLogger: ExportLogger | undefined;

/**
 * The process-wide logger (the original specification's `get_export_logger`), created on first use with the
 * default store, crash capture and breadcrumbs on. `registerErrorInstrumentation` replaces it with its own.
 */
export function getExportLogger(): ExportLogger {
  defaultLogger ??= new ExportLogger({ captureUncaught: true, breadcrumbs: true });
  return defaultLogger;
}

/** @internal Makes `logger` the one `getExportLogger()` returns. */
export function setDefaultExportLogger(logger: ExportLogger | undefined): void {
  defaultLogger = logger;
}

/** @internal The default logger if one exists, without creating it. */
export function peekDefaultExportLogger(): ExportLogger | undefined {
  return defaultLogger;
}

/** Per-call options of {@link logExportError}. */
export interface LogExportErrorOptions {
  phase?: string;
  videoHash?: string;
  context?: Record<string, unknown>;
  fingerprint?: string[];
}

/**
 * Records one error on the default logger (the original specification's `log_export_error`), e.g. in a catch
 * block before handling or rethrowing it. Never throws.
 */
export function logExportError(error: unknown, options: LogExportErrorOptions = {}): ErrorRecord {
  const { context, ...rest } = options ?? {};
  return getExportLogger().logStructuredError(error, context, rest);
}

export type { ExportLoggerOptions };
