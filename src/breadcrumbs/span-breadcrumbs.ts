import type { Attributes, AttributeValue, HrTime, Span, TimeInput } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { EXCEPTION_EVENT_NAME } from '../semconv.js';
import { recordingBreadcrumbs, trailOfTrace } from './breadcrumb-trails.js';

/**
 * Span starts, ends and events as breadcrumbs, fed by `ErrorInsightSpanProcessor`. Each goes to
 * the trail of the span's own trace. Exception events and error-insight's own pattern events
 * are left out: the error is the record itself.
 */

const OWN_EVENT_PREFIX = 'error_insight.';

type AddEvent = (name: string, attributesOrStartTime?: Attributes | TimeInput, startTime?: TimeInput) => Span;

/** One function for every span (no closure per span): `this` is the span it was called on. */
const interceptAddEvent = function (
  this: Span,
  name: string,
  attributesOrStartTime?: Attributes | TimeInput,
  startTime?: TimeInput,
): Span {
  try {
    if (recordingBreadcrumbs() && name !== EXCEPTION_EVENT_NAME && !name.startsWith(OWN_EVENT_PREFIX)) {
      const attrs = isAttributes(attributesOrStartTime) ? attributesOrStartTime : undefined;
      trailOfTrace(this.spanContext().traceId).push({
        time: Date.now(),
        kind: 'span.event',
        name,
        data: attrs,
        durationMs: -1,
        status: 0,
        extra: (this as unknown as { name?: string }).name,
      });
    }
  } catch {
    // The event itself still goes on the span below.
  }
  const original = (Object.getPrototypeOf(this) as { addEvent: AddEvent }).addEvent;
  return original.call(this, name, attributesOrStartTime, startTime);
};

function isAttributes(value: unknown): value is Record<string, AttributeValue | undefined> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** From the processor's `onStart`. */
export function noteSpanStart(span: Span & { name?: string }): void {
  if (!recordingBreadcrumbs()) return;
  trailOfTrace(span.spanContext().traceId).push({
    time: Date.now(),
    kind: 'span.start',
    name: span.name ?? '',
    data: undefined,
    durationMs: -1,
    status: 0,
    extra: undefined,
  });
  // An own property shadows the prototype's method for this span only.
  if (typeof Object.getPrototypeOf(span)?.addEvent === 'function') span.addEvent = interceptAddEvent;
}

function hrMs(t: HrTime): number {
  return t[0] * 1e3 + t[1] / 1e6;
}

/** From the processor's `onEnd`. */
export function noteSpanEnd(span: ReadableSpan): void {
  if (!recordingBreadcrumbs()) return;
  trailOfTrace(span.spanContext().traceId).push({
    time: Date.now(),
    kind: 'span.end',
    name: span.name,
    data: undefined,
    durationMs: Math.round(hrMs(span.duration) * 1000) / 1000,
    status: span.status.code,
    extra: undefined,
  });
}
