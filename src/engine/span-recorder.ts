import { type Attributes, type AttributeValue, type Span, SpanStatusCode } from '@opentelemetry/api';
import type { ErrorRecord } from '../record.js';
import { ATTR_ERROR_COUNT, ATTR_ERROR_TYPE, ATTR_OCCURRENCE, EXCEPTION_EVENT_NAME } from '../semconv.js';
import { exceptionEventAttributes } from './exception-event.js';

/** On a folded exception event: how many errors of its fingerprint the span saw. */
export const ATTR_SPAN_REPEATS = 'error_insight.span.repeats';

/** The parts of the SDK's Span we read when it is one; the API's Span interface hides them. */
interface SdkSpanLike {
  events?: Array<{ name: string; attributes?: Attributes }>;
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

  record(span: Span, record: ErrorRecord, resourcesJson?: string): void {
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

    const folded = state.byFingerprint.get(record.fingerprint);
    if (folded !== undefined) {
      folded[ATTR_SPAN_REPEATS] = ((folded[ATTR_SPAN_REPEATS] as number | undefined) ?? 1) + 1;
      folded[ATTR_OCCURRENCE] = record.occurrence;
      return;
    }
    span.addEvent(EXCEPTION_EVENT_NAME, exceptionEventAttributes(record, resourcesJson));
    const events = (span as unknown as SdkSpanLike).events;
    const added = events?.[events.length - 1];
    if (added?.name === EXCEPTION_EVENT_NAME && added.attributes !== undefined) {
      state.byFingerprint.set(record.fingerprint, added.attributes);
    }
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
