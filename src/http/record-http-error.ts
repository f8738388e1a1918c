import { reportInternalError } from '../diag/diagnostics.js';
import type { RequestInfo } from '../record.js';
import type { ResolvedHttpErrorHandlerOptions } from './http-error-handler-options.js';

/**
 * Records `error` with its request when the options say so. Never throws: the framework gets
 * control back whatever happens here, so the app's own error response is untouched.
 */
export function recordHttpError(
  options: ResolvedHttpErrorHandlerOptions,
  where: string,
  error: unknown,
  status: number,
  request: (status: number) => RequestInfo,
): void {
  let wanted = true;
  try {
    wanted = Boolean(options.shouldRecord(error, status));
  } catch (err) {
    // Keep the error rather than lose it to a broken filter.
    reportInternalError(`${where} shouldRecord`, err);
  }
  if (!wanted) return;
  try {
    options.logger().recordFromRequest(error, request(status));
  } catch (err) {
    reportInternalError(where, err);
  }
}
