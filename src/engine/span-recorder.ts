import { type Attributes, type AttributeValue, type Span, SpanStatusCode } from '@opentelemetry/api';
import type { ErrorRecord } from '../record.js';
import { ATTR_ERROR_COUNT, ATTR_ERROR_TYPE, ATTR_OCCURRENCE, EXCEPTION_EVENT_NAME } from '../semconv.js';
import { liveExceptionEventAttributes, stacktraceWithCauses } from './exception-event.js';

/** On a folded exception event: how many errors of its fingerprint the span saw. */
export const ATTR_SPAN_REPEATS = 'error_insight.span.repeats';

/** The parts of the SDK's Span we read when it is one; the API's Span interface hides them. */
interface SdkSpanLike {
  events?: Array<{ name: string; attributes?: Attributes }>;
}

/**
 * How long a stack is named by reference before it is sent again in full, so any
 * window of traces a backend keeps (or a tail sampler lets through) holds each full stack
 * at most a minute away.
 */
export const STACK_RESEND_MS = 60_000;
/**
 * Distinct stacks remembered (about 1 KB each); the least recently sent go first. Keyed by the
 * frames, so a site reached through two call paths shares both of its stacks.
 */
export const MAX_REMEMBERED_STACKS = 1024;

interface SentStack {
  recordId: string;
  at: number;
}

interface SpanErrors {
  count: number;
  /** Exception event attributes by fingerprint, so repeats fold into the first event. */
  byFingerprint: Map<string, Attributes>;
}

/**
 * Puts records on spans. An error loop inside one phase would push the span past its event
 * limit (128 by default) and the SDK would drop the oldest events silently, so repeats of a
 * fingerprint within a span fold into the first event, which carries the count; the store
 * keeps every occurrence.
 */
export class SpanRecorder {
  private readonly spans = new WeakMap<Span, SpanErrors>();
  private readonly sentStacks = new Map<string, SentStack>();
  /** False when exceptions are sent as log records only. */
  events = true;

  /**
   * Adds the record's exception event to the span (or folds it into the span's earlier event of
   * the same fingerprint). May run later than the error, on a complete record, as long as the
   * span has not ended. The resource snapshot stays in the store: `_resourcesJson` is accepted
   * for callers that still pass it.
   */
  record(span: Span, record: ErrorRecord, _resourcesJson?: string): void {
    if (!span.isRecording()) return;
    let state = this.spans.get(span);
    if (state === undefined) {
      state = { count: 0, byFingerprint: new Map() };
      this.spans.set(span, state);
    }
    state.count++;
    span.setAttribute(ATTR_ERROR_COUNT, state.count);
    span.setAttribute(ATTR_ERROR_TYPE, record.exception.type);
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: `${record.exception.type}: ${record.exception.message}`,
    });

    if (!this.events) return;
    const folded = state.byFingerprint.get(record.fingerprint);
    if (folded !== undefined) {
      folded[ATTR_SPAN_REPEATS] = ((folded[ATTR_SPAN_REPEATS] as number | undefined) ?? 1) + 1;
      folded[ATTR_OCCURRENCE] = record.occurrence;
      return;
    }
    span.addEvent(EXCEPTION_EVENT_NAME, liveExceptionEventAttributes(record, this.stackRef(record)));
    const events = (span as unknown as SdkSpanLike).events;
    const added = events?.[events.length - 1];
    if (added?.name === EXCEPTION_EVENT_NAME && added.attributes !== undefined) {
      state.byFingerprint.set(record.fingerprint, added.attributes);
    }
  }

  /**
   * The id of the record whose event last carried these stack frames, when that was within
   * {@link STACK_RESEND_MS}; otherwise this record will carry them. Frames are compared without
   * the first line, which repeats the (varying) message.
   */
  private stackRef(record: ErrorRecord): string | undefined {
    const stack = stacktraceWithCauses(record.exception);
    const at = stack?.indexOf('\n') ?? -1;
    if (stack === undefined || at < 0) return undefined;
    const frames = stack.slice(at);
    const now = Date.now();
    const sent = this.sentStacks.get(frames);
    if (sent !== undefined && now - sent.at < STACK_RESEND_MS) return sent.recordId;
    this.sentStacks.delete(frames);
    if (this.sentStacks.size >= MAX_REMEMBERED_STACKS) {
      const oldest = this.sentStacks.keys().next().value;
      if (oldest !== undefined) this.sentStacks.delete(oldest);
    }
    this.sentStacks.set(frames, { recordId: record.id, at: now });
    return undefined;
  }

  /** Sets ERROR status for an error recorded on an inner span, which already carries its event. */
  markFailed(span: Span, message: string): void {
    if (span.isRecording()) span.setStatus({ code: SpanStatusCode.ERROR, message });
  }

  /** Adds an event describing a pattern warning to the span, when it is still recording. */
  recordPattern(span: Span, name: string, attributes: Record<string, AttributeValue>): void {
    if (span.isRecording()) span.addEvent(name, attributes);
  }
}
