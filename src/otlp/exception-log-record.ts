import { type Attributes, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import type { LogRecord } from '@opentelemetry/api-logs';
import { exceptionEventAttributes } from '../engine/exception-event.js';
import type { ErrorRecord } from '../record.js';
import { ATTR_HOST_NAME, ATTR_PROCESS_PID, ATTR_SERVICE_NAME, EXCEPTION_EVENT_NAME } from '../semconv.js';

/** OpenTelemetry log severity numbers (api-logs `SeverityNumber`), kept here so this module loads without the logs API. */
const SEVERITY_NUMBERS = { FATAL: 21, ERROR: 17, WARN: 13 } as const;

/** The record's log severity: its classification's text, else one derived from its severity. */
export function logSeverity(record: ErrorRecord): { text: 'FATAL' | 'ERROR' | 'WARN'; number: number } {
  const c = record.classification;
  const given = c.severityText;
  const text =
    given === 'FATAL' || given === 'ERROR' || given === 'WARN'
      ? given
      : c.severity === 'critical'
        ? 'FATAL'
        : c.severity === 'low'
          ? 'WARN'
          : 'ERROR';
  return { text, number: SEVERITY_NUMBERS[text] };
}

/**
 * A record as an OpenTelemetry log record, following the semantic conventions for exceptions
 * in logs: event name `exception`, `exception.type`/`message`/`stacktrace`, the span's trace
 * and span ids, a severity; and every field of the store line under the attribute names of
 * docs/attributes.md, so a reader of the collector's output rebuilds the same record.
 */
export function exceptionLogRecord(record: ErrorRecord): LogRecord {
  const severity = logSeverity(record);
  const out: LogRecord = {
    eventName: EXCEPTION_EVENT_NAME,
    timestamp: Date.parse(record.time),
    severityNumber: severity.number,
    severityText: severity.text,
    body: `${record.exception.type}: ${record.exception.message}`,
    attributes: exceptionEventAttributes(record) as LogRecord['attributes'],
  };
  if (record.trace !== undefined) {
    out.context = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: record.trace.traceId,
      spanId: record.trace.spanId,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
  }
  return out;
}

/**
 * What identifies the process a record came from, on the OTLP resource: a store holds records
 * of earlier runs and other workers, and each goes out under its own `service.name`, pid and
 * host, on top of the registration's resource.
 */
export function recordResourceAttributes(record: ErrorRecord): Attributes {
  const attrs: Attributes = {
    [ATTR_SERVICE_NAME]: record.service?.name ?? 'unknown_service',
    [ATTR_PROCESS_PID]: record.process?.pid ?? 0,
    [ATTR_HOST_NAME]: record.process?.hostname ?? '',
  };
  if (record.service?.version !== undefined) attrs['service.version'] = record.service.version;
  if (record.service?.instanceId !== undefined) attrs['service.instance.id'] = record.service.instanceId;
  return attrs;
}

/** A key for {@link recordResourceAttributes}: records with the same key share one resource. */
export function recordResourceKey(record: ErrorRecord): string {
  const s = record.service;
  const p = record.process;
  return `${s?.name}\u0000${s?.version ?? ''}\u0000${s?.instanceId ?? ''}\u0000${p?.pid}\u0000${p?.hostname}`;
}
