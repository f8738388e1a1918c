/**
 * The shape of one error record: what the engine produces, what the local store keeps (one
 * JSON line per record), what reports read. Field names here are the store's line format;
 * `schema/error-record.schema.json` is its JSON Schema and `docs/record-format.md` documents it.
 * Bump {@link RECORD_SCHEMA_VERSION} on any change a reader must know about.
 */

/** Version of the store line format. */
export const RECORD_SCHEMA_VERSION = 1;

/** A JSON value, as produced by the bounded serializer. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One error of a cause chain or an AggregateError member, without its own nesting. */
export interface ExceptionCause {
  type: string;
  message: string;
  stacktrace?: string;
  code?: string;
}

/** A thrown value, normalized: bounded, redacted and JSON-safe. */
export interface ExceptionInfo {
  /** Class name (`TypeError`, `SystemError`…), or `typeof` for a non-Error (`string`, `null`…). */
  type: string;
  message: string;
  /** Stack trace as V8 printed it, bounded to a number of frames. Absent for non-Errors. */
  stacktrace?: string;
  /** `err.code` (e.g. `ENOENT`, `ERR_INVALID_ARG_TYPE`), as a string. */
  code?: string;
  errno?: number;
  syscall?: string;
  path?: string;
  /** Other own enumerable properties of the error (bounded, redacted). */
  properties?: JsonObject;
  /** The `cause` chain, nearest first, bounded in depth. */
  causes?: ExceptionCause[];
  /** Members of an AggregateError, bounded in count. */
  errors?: ExceptionCause[];
  /** True when anything in it was cut to fit the limits. */
  truncated?: boolean;
  /**
   * On disk only: `stacktrace` holds just its first line; the frames are those of the file's
   * first line of this fingerprint marked `stackShared`. `readStore` puts them back.
   */
  stackRef?: boolean;
  /** On disk only: this line's stack frames are the ones later `stackRef` lines refer to. */
  stackShared?: boolean;
}

/** Process memory at the error. Figures that come from a sample say how old it is. */
export interface MemorySnapshot {
  /** V8 heap in use, bytes, read at the error. */
  heapUsed: number;
  heapTotal: number;
  /** V8 heap size limit, bytes. */
  heapLimit: number;
  /** heapUsed / heapLimit, 0..1. */
  heapUsedRatio: number;
  rss?: number;
  external?: number;
  arrayBuffers?: number;
  /** Age in ms of the sample that rss/external/arrayBuffers come from; 0 when read at the error. */
  sampleAgeMs?: number;
}

export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** What `classifyException(err).toJSON()` returns, as kept in a record. */
export interface ClassificationInfo {
  category: string;
  subcategory?: string;
  severity: Severity;
  retryable: boolean;
  suggestion: string;
  /** Id of the rule that matched. */
  rule: string;
  /** OpenTelemetry log severity text: FATAL, ERROR or WARN. */
  severityText?: string;
}

/**
 * The HTTP request an error happened in, from the semantic-convention attributes of its span
 * (or of the server span of its trace): bounded and redacted, the path without its query.
 */
export interface RequestInfo {
  /** `http.request.method` (`GET`, `POST`…). */
  method?: string;
  /** `http.route`, the route template (`/videos/:id`). */
  route?: string;
  /** `url.path`, without query or fragment, redacted. */
  path?: string;
  /** `http.response.status_code`, when the span had it when the record completed. */
  status?: number;
  /** The other side: `client.address` of a server span, `server.address[:port]` of a client span. */
  peer?: string;
}

/** Where the record came from; `stall` is an event-loop block seen by the stall watchdog. */
export type RecordSource = 'api' | 'span' | 'uncaught' | 'unhandled-rejection' | 'stall';

/** What a breadcrumb tells of. */
export type BreadcrumbCategory = 'span.start' | 'span.end' | 'span.event' | 'console' | 'http';

/**
 * One event of the same async context shortly before the error: a span that started or ended,
 * a span event, a `console.warn`/`console.error` line, an outgoing HTTP request. Bounded and
 * redacted like the rest of the record.
 */
export interface Breadcrumb {
  /** ISO-8601 time of the event (of the request's start for `http`). */
  time: string;
  category: BreadcrumbCategory;
  /** Span or event name, the console line, or `METHOD url` of a request. */
  message: string;
  /** `warning` or `error` for console lines and failed requests. */
  level?: 'warning' | 'error';
  /** Duration, status, method, URL, event attributes… depending on the category. */
  data?: JsonObject;
}

/** One error record: one line of the local store. */
export interface ErrorRecord {
  /** {@link RECORD_SCHEMA_VERSION}. */
  schema: number;
  /** Stable, unique id: time-ordered within a process; lets replays and readers drop duplicates. */
  id: string;
  /** ISO-8601 time of the error. */
  time: string;
  /** From the options, the span's resource or `OTEL_SERVICE_NAME`/`OTEL_RESOURCE_ATTRIBUTES`; `version` is the release. */
  service: { name: string; version?: string; instanceId?: string };
  /** `deployment.environment.name` (`production`, `staging`…), from the same places as `service`. */
  environment?: string;
  process: { pid: number; hostname: string };
  source: RecordSource;
  exception: ExceptionInfo;
  fingerprint: string;
  /** Version of the fingerprint algorithm that produced `fingerprint`. */
  fingerprintVersion: string;
  /** The normalized message template the fingerprint used. */
  messageTemplate?: string;
  /** How many times this fingerprint was seen by this process, this one included. */
  occurrence: number;
  classification: ClassificationInfo;
  phase?: string;
  videoHash?: string;
  /** The HTTP request the error happened in, when its span tells. */
  request?: RequestInfo;
  /**
   * With the opt-in flood guard: occurrences of this fingerprint counted but not stored since
   * its previous stored record, so reports can show what was folded.
   */
  foldedBefore?: number;
  /** Milliseconds from the start of the enclosing phase scope (`logErrors`/`withErrorLogging`) to the error. */
  phaseElapsedMs?: number;
  /** Caller context, bounded and redacted. */
  context?: JsonObject;
  memory: MemorySnapshot;
  /** Latest background resource snapshot (CPU, system memory, disks); see the resources docs. */
  resources?: JsonObject;
  trace?: { traceId: string; spanId: string };
  /** The last events of the error's async context before it, oldest first (when breadcrumbs are on). */
  breadcrumbs?: Breadcrumb[];
  /** True when the record was cut to fit `maxRecordBytes`. */
  truncated?: boolean;
}
