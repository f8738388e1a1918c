/**
 * Exceptions as log records through the OpenTelemetry Logs API, for apps that run their own SDK
 * (the NodeSDK route): the records go to whatever LoggerProvider the app registered globally
 * (NodeSDK's `logRecordProcessors`, or `OTEL_LOGS_EXPORTER`), as an instrumentation's logs do,
 * and leave through the app's exporter. Loaded with `import()` only when the signal asks for logs.
 */
import { logs } from '@opentelemetry/api-logs';
import { exceptionLogRecord } from '../otlp/exception-log-record.js';
import { LOG_SCOPE_NAME } from '../otlp/log-record-batch.js';
import type { ErrorRecord } from '../record.js';

/** Emits each record as an `exception` log record on the global LoggerProvider's logger. */
export function emitExceptionLog(record: ErrorRecord): void {
  // Asked for each record, not kept: the API hands out a proxy until the app's SDK registers.
  logs.getLogger(LOG_SCOPE_NAME).emit(exceptionLogRecord(record));
}
