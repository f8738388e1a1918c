import type { Attributes } from '@opentelemetry/api';
import type { ErrorRecord, ExceptionInfo } from '../record.js';
import * as A from '../semconv.js';

/**
 * The stack trace as it goes on a span: the error's own stack, then each cause as
 * "Caused by: Type: message" with its stack, the way Java and Python print chains, since the
 * stock `recordException` drops the cause entirely.
 */
export function stacktraceWithCauses(exception: ExceptionInfo): string | undefined {
  if (!exception.causes || exception.causes.length === 0) return exception.stacktrace;
  let text = exception.stacktrace ?? `${exception.type}: ${exception.message}`;
  for (const cause of exception.causes) {
    text += `\nCaused by: ${cause.stacktrace ?? `${cause.type}: ${cause.message}`}`;
  }
  return text;
}

/**
 * The complete exception event for a record, every field the store line has (semantic-convention
 * names first): what an OTLP file of a store carries, so a reader rebuilds the same record.
 * Live spans get {@link liveExceptionEventAttributes} instead. `resourcesJson` is the resource
 * snapshot already serialized, if the caller has it.
 */
export function exceptionEventAttributes(record: ErrorRecord, resourcesJson?: string): Attributes {
  const { exception: e, classification: c, memory: m } = record;
  const attrs: Attributes = {
    [A.ATTR_EXCEPTION_TYPE]: e.type,
    [A.ATTR_EXCEPTION_MESSAGE]: e.message,
    [A.ATTR_RECORD_ID]: record.id,
    [A.ATTR_FINGERPRINT]: record.fingerprint,
    [A.ATTR_FINGERPRINT_VERSION]: record.fingerprintVersion,
    [A.ATTR_OCCURRENCE]: record.occurrence,
    [A.ATTR_CLASSIFICATION_CATEGORY]: c.category,
    [A.ATTR_CLASSIFICATION_SEVERITY]: c.severity,
    [A.ATTR_CLASSIFICATION_RETRYABLE]: c.retryable,
    [A.ATTR_CLASSIFICATION_SUGGESTION]: c.suggestion,
    [A.ATTR_CLASSIFICATION_RULE]: c.rule,
    [A.ATTR_MEMORY_HEAP_USED]: m.heapUsed,
    [A.ATTR_MEMORY_HEAP_TOTAL]: m.heapTotal,
    [A.ATTR_MEMORY_HEAP_LIMIT]: m.heapLimit,
    [A.ATTR_MEMORY_HEAP_USED_RATIO]: m.heapUsedRatio,
    [A.ATTR_CAPTURED]: true,
  };
  const stack = stacktraceWithCauses(e);
  if (stack !== undefined) attrs[A.ATTR_EXCEPTION_STACKTRACE] = stack;
  if (record.messageTemplate !== undefined) attrs[A.ATTR_MESSAGE_TEMPLATE] = record.messageTemplate;
  if (e.code !== undefined) attrs[A.ATTR_EXCEPTION_CODE] = e.code;
  if (e.errno !== undefined) attrs[A.ATTR_EXCEPTION_ERRNO] = e.errno;
  if (e.syscall !== undefined) attrs[A.ATTR_EXCEPTION_SYSCALL] = e.syscall;
  if (e.causes !== undefined) attrs[A.ATTR_EXCEPTION_CAUSES] = JSON.stringify(e.causes);
  if (c.subcategory !== undefined) attrs[A.ATTR_CLASSIFICATION_SUBCATEGORY] = c.subcategory;
  if (record.phase !== undefined) attrs[A.ATTR_PHASE] = record.phase;
  if (record.videoHash !== undefined) attrs[A.ATTR_VIDEO_HASH] = record.videoHash;
  if (m.rss !== undefined) attrs[A.ATTR_MEMORY_RSS] = m.rss;
  if (m.external !== undefined) attrs[A.ATTR_MEMORY_EXTERNAL] = m.external;
  if (m.arrayBuffers !== undefined) attrs[A.ATTR_MEMORY_ARRAY_BUFFERS] = m.arrayBuffers;
  if (m.sampleAgeMs !== undefined) attrs[A.ATTR_MEMORY_SAMPLE_AGE_MS] = m.sampleAgeMs;
  if (record.context !== undefined) attrs[A.ATTR_CONTEXT] = JSON.stringify(record.context);
  if (resourcesJson !== undefined) attrs[A.ATTR_RESOURCES] = resourcesJson;
  else if (record.resources !== undefined) attrs[A.ATTR_RESOURCES] = JSON.stringify(record.resources);
  return attrs;
}

/**
 * The exception event put on a live span: what Jaeger and Tempo search on (exception type,
 * message and stack, record id, fingerprint, occurrence, classification, phase, video, code)
 * plus the V8 heap in use. The rest of the record — suggestion, context, the other memory
 * figures, the resource snapshot — is in the store under the same record id. With those on the
 * event a collector received 2.8× the bytes of the stock `recordException` per error (see
 * docs/attributes.md). `stackRef` is the id of an earlier record whose event carried the same
 * stack frames: the stack is then left out and the event names it.
 */
export function liveExceptionEventAttributes(record: ErrorRecord, stackRef?: string): Attributes {
  const { exception: e, classification: c } = record;
  const attrs: Attributes = {
    [A.ATTR_EXCEPTION_TYPE]: e.type,
    [A.ATTR_EXCEPTION_MESSAGE]: e.message,
    [A.ATTR_RECORD_ID]: record.id,
    [A.ATTR_FINGERPRINT]: record.fingerprint,
    [A.ATTR_OCCURRENCE]: record.occurrence,
    [A.ATTR_CLASSIFICATION_CATEGORY]: c.category,
    [A.ATTR_CLASSIFICATION_SEVERITY]: c.severity,
    [A.ATTR_CLASSIFICATION_RETRYABLE]: c.retryable,
    [A.ATTR_CLASSIFICATION_RULE]: c.rule,
    [A.ATTR_MEMORY_HEAP_USED]: record.memory.heapUsed,
    [A.ATTR_CAPTURED]: true,
  };
  if (stackRef !== undefined) attrs[A.ATTR_STACKTRACE_REF] = stackRef;
  else {
    const stack = stacktraceWithCauses(e);
    if (stack !== undefined) attrs[A.ATTR_EXCEPTION_STACKTRACE] = stack;
    attrs[A.ATTR_FINGERPRINT_VERSION] = record.fingerprintVersion;
  }
  if (record.messageTemplate !== undefined) attrs[A.ATTR_MESSAGE_TEMPLATE] = record.messageTemplate;
  if (e.code !== undefined) attrs[A.ATTR_EXCEPTION_CODE] = e.code;
  if (e.errno !== undefined) attrs[A.ATTR_EXCEPTION_ERRNO] = e.errno;
  if (e.syscall !== undefined) attrs[A.ATTR_EXCEPTION_SYSCALL] = e.syscall;
  if (e.causes !== undefined && stackRef === undefined)
    attrs[A.ATTR_EXCEPTION_CAUSES] = JSON.stringify(e.causes);
  if (c.subcategory !== undefined) attrs[A.ATTR_CLASSIFICATION_SUBCATEGORY] = c.subcategory;
  if (record.phase !== undefined) attrs[A.ATTR_PHASE] = record.phase;
  if (record.videoHash !== undefined) attrs[A.ATTR_VIDEO_HASH] = record.videoHash;
  return attrs;
}
