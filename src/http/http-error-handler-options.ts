import { getExportLogger } from '../logger/default-logger.js';
import type { ExportLogger } from '../logger/export-logger.js';

/** Options of the Express and Fastify error handlers. */
export interface HttpErrorHandlerOptions {
  /** The logger that records. @default the process-wide one (`getExportLogger()`), looked up at each error, so a later `registerErrorInstrumentation` is followed */
  logger?: ExportLogger;
  /**
   * Which errors to record, given the HTTP status the framework answers them with. A hook that
   * throws is reported once and the error is recorded. @default `status >= 500` (a 404 or a
   * validation error is the client's, not the service's)
   */
  shouldRecord?: (error: unknown, status: number) => boolean;
}

/** Records server errors (5xx) only. */
export const DEFAULT_SHOULD_RECORD = (_error: unknown, status: number): boolean => status >= 500;

/** {@link HttpErrorHandlerOptions} with every default filled in. */
export interface ResolvedHttpErrorHandlerOptions {
  logger: () => ExportLogger;
  shouldRecord: (error: unknown, status: number) => boolean;
}

/** Checks the options at the call that makes the handler. */
export function resolveHttpErrorHandlerOptions(
  options: HttpErrorHandlerOptions,
  name: string,
): ResolvedHttpErrorHandlerOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`error-insight: ${name} takes an options object such as { shouldRecord }`);
  }
  const { logger, shouldRecord = DEFAULT_SHOULD_RECORD } = options;
  if (logger !== undefined && (logger === null || typeof logger.logStructuredError !== 'function')) {
    throw new TypeError(`error-insight: ${name} logger must be an ExportLogger`);
  }
  if (typeof shouldRecord !== 'function') {
    throw new TypeError(`error-insight: ${name} shouldRecord must be a function (error, status) => boolean`);
  }
  return { logger: logger === undefined ? getExportLogger : () => logger, shouldRecord };
}
