/**
 * Turns one OTLP/JSON request (a line of the Collector's file exporter) back into error
 * records: exception events on spans (ExportTraceServiceRequest) and log records carrying
 * `exception.*` attributes (ExportLogsServiceRequest). Attributes error-insight wrote are read
 * back by their semconv names; exceptions other code recorded still appear, with a fingerprint
 * derived from type and message and the category `unknown`.
 */
import { createHash } from 'node:crypto';
import type { Attributes } from '@opentelemetry/api';
import { toBoundedJson } from '../capture/bounded-json.js';
import { DEFAULT_CAPTURE_LIMITS } from '../capture/capture-limits.js';
import { Redactor } from '../capture/redactor.js';
import { requestFromAttributes } from '../engine/request-context.js';
import type {
  ErrorRecord,
  ExceptionCause,
  JsonObject,
  JsonValue,
  MemorySnapshot,
  Severity,
} from '../record.js';
import { RECORD_SCHEMA_VERSION } from '../record.js';
import * as A from '../semconv.js';
import { attributesToObject, nanosToIso, nanosToMs, type OtlpKeyValue, otlpId } from './otlp-value.js';

/** Scrubs what a collector wrote: the built-in secret keys and value patterns. */
const redactor = new Redactor();

type Attrs = { [key: string]: JsonValue };

interface OtlpEvent {
  name?: string;
  timeUnixNano?: string | number;
  attributes?: OtlpKeyValue[];
}
interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  name?: string;
  startTimeUnixNano?: string | number;
  /** OTLP's `SpanKind`: 1 internal, 2 server, 3 client… */
  kind?: number;
  attributes?: OtlpKeyValue[];
  events?: OtlpEvent[];
}
interface OtlpLogRecord {
  timeUnixNano?: string | number;
  observedTimeUnixNano?: string | number;
  body?: { stringValue?: string };
  attributes?: OtlpKeyValue[];
  traceId?: string;
  spanId?: string;
}
interface OtlpResource {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeSpans?: { spans?: OtlpSpan[] }[];
  scopeLogs?: { logRecords?: OtlpLogRecord[] }[];
}

const SEVERITIES: readonly string[] = ['low', 'medium', 'high', 'critical'];

function str(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined;
}
function num(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
function parsed(value: JsonValue | undefined): JsonValue | undefined {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return undefined;
  }
}
function object(value: JsonValue | undefined): JsonObject | undefined {
  const v = parsed(value);
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
}

function causes(value: JsonValue | undefined): ExceptionCause[] | undefined {
  const v = parsed(value);
  if (!Array.isArray(v)) return undefined;
  const out: ExceptionCause[] = [];
  for (const c of v) {
    if (typeof c !== 'object' || c === null || Array.isArray(c)) continue;
    const cause: ExceptionCause = { type: str(c.type) ?? 'Error', message: str(c.message) ?? '' };
    if (typeof c.stacktrace === 'string') cause.stacktrace = c.stacktrace;
    if (typeof c.code === 'string') cause.code = c.code;
    out.push(cause);
  }
  return out;
}

/** The span's stack trace carries the causes appended ("Caused by: …"); the record keeps them apart. */
function ownStack(stack: string | undefined, hasCauses: boolean): string | undefined {
  if (stack === undefined || !hasCauses) return stack;
  const cut = stack.indexOf('\nCaused by: ');
  return cut === -1 ? stack : stack.slice(0, cut);
}

function memory(a: Attrs): MemorySnapshot {
  const m: MemorySnapshot = {
    heapUsed: num(a[A.ATTR_MEMORY_HEAP_USED]) ?? 0,
    heapTotal: num(a[A.ATTR_MEMORY_HEAP_TOTAL]) ?? 0,
    heapLimit: num(a[A.ATTR_MEMORY_HEAP_LIMIT]) ?? 0,
    heapUsedRatio: num(a[A.ATTR_MEMORY_HEAP_USED_RATIO]) ?? 0,
  };
  const rss = num(a[A.ATTR_MEMORY_RSS]);
  if (rss !== undefined) m.rss = rss;
  const external = num(a[A.ATTR_MEMORY_EXTERNAL]);
  if (external !== undefined) m.external = external;
  const arrayBuffers = num(a[A.ATTR_MEMORY_ARRAY_BUFFERS]);
  if (arrayBuffers !== undefined) m.arrayBuffers = arrayBuffers;
  const age = num(a[A.ATTR_MEMORY_SAMPLE_AGE_MS]);
  if (age !== undefined) m.sampleAgeMs = age;
  return m;
}

interface Where {
  time: string;
  timeMs: number;
  resource: Attrs;
  traceId?: string;
  spanId?: string;
  /** The enclosing span, when the exception was a span event. */
  span?: { name?: string; startMs: number; phase?: string; attributes?: Attrs; kind?: number };
  fallbackMessage?: string;
  /** Identifies the exception within its request when it carries no record id (raw time and position). */
  origin: string;
}

function toRecord(a: Attrs, where: Where): ErrorRecord | undefined {
  const type = str(a[A.ATTR_EXCEPTION_TYPE]);
  const message = str(a[A.ATTR_EXCEPTION_MESSAGE]) ?? where.fallbackMessage;
  if (type === undefined && message === undefined) return undefined;
  const r = where.resource;
  const exceptionType = type ?? 'Error';
  const exceptionMessage = message ?? '';
  const causeList = causes(a[A.ATTR_EXCEPTION_CAUSES]);
  const fingerprint =
    str(a[A.ATTR_FINGERPRINT]) ??
    createHash('sha256').update(`${exceptionType}\n${exceptionMessage}`).digest('hex').slice(0, 16);
  const severity = str(a[A.ATTR_CLASSIFICATION_SEVERITY]);
  const record: ErrorRecord = {
    schema: RECORD_SCHEMA_VERSION,
    id: str(a[A.ATTR_RECORD_ID]) ?? `otlp-${where.traceId ?? ''}-${where.spanId ?? ''}-${where.origin}`,
    time: where.time,
    service: { name: str(r[A.ATTR_SERVICE_NAME]) ?? 'unknown_service' },
    process: { pid: num(r[A.ATTR_PROCESS_PID]) ?? 0, hostname: str(r[A.ATTR_HOST_NAME]) ?? '' },
    source: 'span',
    // Other code's exceptions (auto-instrumentation) were never scrubbed: everything that came
    // from the collector's file goes through the same redaction as a captured error.
    exception: { type: exceptionType, message: redactor.redactString(exceptionMessage) },
    fingerprint,
    fingerprintVersion: str(a[A.ATTR_FINGERPRINT_VERSION]) ?? 'otlp',
    occurrence: num(a[A.ATTR_OCCURRENCE]) ?? 1,
    classification: {
      category: str(a[A.ATTR_CLASSIFICATION_CATEGORY]) ?? 'unknown',
      severity: (severity !== undefined && SEVERITIES.includes(severity) ? severity : 'medium') as Severity,
      retryable: a[A.ATTR_CLASSIFICATION_RETRYABLE] === true,
      suggestion: str(a[A.ATTR_CLASSIFICATION_SUGGESTION]) ?? '',
      rule: str(a[A.ATTR_CLASSIFICATION_RULE]) ?? 'unknown',
    },
    memory: memory(a),
  };
  const version = str(r['service.version']);
  if (version !== undefined) record.service.version = version;
  const instance = str(r['service.instance.id']);
  if (instance !== undefined) record.service.instanceId = instance;
  const environment =
    str(r[A.ATTR_DEPLOYMENT_ENVIRONMENT_NAME]) ?? str(r[A.ATTR_DEPLOYMENT_ENVIRONMENT_LEGACY]);
  if (environment !== undefined) record.environment = environment;
  const spanAttrs = where.span?.attributes;
  const request =
    spanAttrs === undefined
      ? undefined
      : requestFromAttributes(spanAttrs as Attributes, where.span?.kind, redactor);
  if (request !== undefined) record.request = request;
  const e = record.exception;
  const stack = ownStack(
    str(a[A.ATTR_EXCEPTION_STACKTRACE]),
    causeList !== undefined && causeList.length > 0,
  );
  if (stack !== undefined) e.stacktrace = redactor.redactString(stack);
  const code = str(a[A.ATTR_EXCEPTION_CODE]);
  if (code !== undefined) e.code = code;
  const errno = num(a[A.ATTR_EXCEPTION_ERRNO]);
  if (errno !== undefined) e.errno = errno;
  const syscall = str(a[A.ATTR_EXCEPTION_SYSCALL]);
  if (syscall !== undefined) e.syscall = syscall;
  if (causeList !== undefined) {
    e.causes = causeList.map((c) => {
      const out = { ...c, message: redactor.redactString(c.message) };
      if (c.stacktrace !== undefined) out.stacktrace = redactor.redactString(c.stacktrace);
      return out;
    });
  }
  const template = str(a[A.ATTR_MESSAGE_TEMPLATE]);
  if (template !== undefined) record.messageTemplate = template;
  const subcategory = str(a[A.ATTR_CLASSIFICATION_SUBCATEGORY]);
  if (subcategory !== undefined) record.classification.subcategory = subcategory;
  const phase = str(a[A.ATTR_PHASE]) ?? where.span?.phase;
  if (phase !== undefined) record.phase = phase;
  const video = str(a[A.ATTR_VIDEO_HASH]);
  if (video !== undefined) record.videoHash = video;
  const context = object(a[A.ATTR_CONTEXT]);
  // The phase span's start is the phase start: the one place the collector's data gives it.
  const span = where.span;
  if (span !== undefined && phase !== undefined && (span.name === phase || span.phase === phase)) {
    const elapsed = where.timeMs - span.startMs;
    if (Number.isFinite(elapsed) && elapsed >= 0) record.phaseElapsedMs = Math.round(elapsed);
  }
  if (context !== undefined)
    record.context = toBoundedJson(context, DEFAULT_CAPTURE_LIMITS, redactor) as JsonObject;
  const resources = object(a[A.ATTR_RESOURCES]);
  if (resources !== undefined) record.resources = resources;
  if (where.traceId !== undefined && where.spanId !== undefined)
    record.trace = { traceId: where.traceId, spanId: where.spanId };
  return record;
}

function fromSpans(resource: OtlpResource, out: ErrorRecord[]): void {
  const resourceAttrs = attributesToObject(resource.resource?.attributes);
  for (const scope of resource.scopeSpans ?? []) {
    for (const span of scope?.spans ?? []) {
      const events = span?.events;
      if (!Array.isArray(events)) continue;
      const spanAttrs = attributesToObject(span.attributes);
      const traceId = otlpId(span.traceId, 32);
      const spanId = otlpId(span.spanId, 16);
      for (let index = 0; index < events.length; index++) {
        const event = events[index];
        if (event?.name !== A.EXCEPTION_EVENT_NAME) continue;
        const time = nanosToIso(event.timeUnixNano);
        if (time === undefined) continue;
        const where: Where = {
          time,
          timeMs: nanosToMs(event.timeUnixNano),
          resource: resourceAttrs,
          // OTLP numbers span kinds from 1 (internal); the API from 0.
          span: {
            startMs: nanosToMs(span.startTimeUnixNano),
            attributes: spanAttrs,
            ...(typeof span.kind === 'number' ? { kind: span.kind - 1 } : {}),
          },
          origin: `${String(event.timeUnixNano)}-e${index}`,
        };
        if (typeof span.name === 'string' && where.span) where.span.name = span.name;
        const spanPhase = str(spanAttrs[A.ATTR_PHASE]);
        if (spanPhase !== undefined && where.span) where.span.phase = spanPhase;
        if (traceId !== undefined) where.traceId = traceId;
        if (spanId !== undefined) where.spanId = spanId;
        const record = toRecord(attributesToObject(event.attributes), where);
        if (record !== undefined) out.push(record);
      }
    }
  }
}

function fromLogs(resource: OtlpResource, out: ErrorRecord[]): void {
  const resourceAttrs = attributesToObject(resource.resource?.attributes);
  for (const scope of resource.scopeLogs ?? []) {
    const logs = scope?.logRecords ?? [];
    for (let index = 0; index < logs.length; index++) {
      const log = logs[index];
      if (log === null || typeof log !== 'object') continue;
      const nanos =
        log.timeUnixNano && log.timeUnixNano !== '0' ? log.timeUnixNano : log.observedTimeUnixNano;
      const time = nanosToIso(nanos);
      if (time === undefined) continue;
      const attrs = attributesToObject(log.attributes);
      if (attrs[A.ATTR_EXCEPTION_TYPE] === undefined && attrs[A.ATTR_EXCEPTION_MESSAGE] === undefined)
        continue;
      const where: Where = {
        time,
        timeMs: nanosToMs(nanos),
        resource: resourceAttrs,
        origin: `${String(nanos)}-l${index}`,
      };
      const traceId = otlpId(log.traceId, 32);
      const spanId = otlpId(log.spanId, 16);
      if (traceId !== undefined) where.traceId = traceId;
      if (spanId !== undefined) where.spanId = spanId;
      if (typeof log.body?.stringValue === 'string') where.fallbackMessage = log.body.stringValue;
      const record = toRecord(attrs, where);
      if (record !== undefined) out.push(record);
    }
  }
}

/**
 * The error records in one parsed OTLP/JSON line, or null when the line is not an OTLP
 * export request at all (counted as a corrupt line). Metrics requests hold no errors: [].
 */
export function decodeOtlpRequest(request: unknown): ErrorRecord[] | null {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) return null;
  const r = request as { resourceSpans?: unknown; resourceLogs?: unknown; resourceMetrics?: unknown };
  const out: ErrorRecord[] = [];
  if (Array.isArray(r.resourceSpans))
    for (const rs of r.resourceSpans) if (rs) fromSpans(rs as OtlpResource, out);
  if (Array.isArray(r.resourceLogs))
    for (const rl of r.resourceLogs) if (rl) fromLogs(rl as OtlpResource, out);
  if (!Array.isArray(r.resourceSpans) && !Array.isArray(r.resourceLogs) && !Array.isArray(r.resourceMetrics))
    return null;
  return out;
}
