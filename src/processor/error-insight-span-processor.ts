import { type Attributes, type Context, type Exception, type HrTime, SpanKind } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { noteSpanEnd, noteSpanStart } from '../breadcrumbs/span-breadcrumbs.js';
import { reportInternalError } from '../diag/diagnostics.js';
import { exceptionEventAttributes } from '../engine/exception-event.js';
import { forgetServerSpan, noteServerSpan } from '../engine/server-spans.js';
import { settleSpan, WATCHED } from '../engine/span-settling.js';
import { getExportLogger } from '../logger/default-logger.js';
import type { ExportLogger } from '../logger/export-logger.js';
import {
  ATTR_CAPTURED,
  ATTR_EVENTS_DROPPED,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
  ATTR_PHASE,
  ATTR_VIDEO_HASH,
  EXCEPTION_EVENT_NAME,
} from '../semconv.js';

/** Options of {@link ErrorInsightSpanProcessor}. */
export interface ErrorInsightSpanProcessorOptions {
  /** The logger whose engine records the exceptions. @default `getExportLogger()` */
  logger?: ExportLogger;
}

function stringAttr(attrs: Attributes | undefined, key: string): string | undefined {
  const v = attrs?.[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Feeds error-insight with exceptions that anyone records on a span. `span.recordException(e)`
 * is intercepted on each span, so the engine sees the thrown value itself (class name, code,
 * cause chain) instead of the stock event, which puts `e.code` in `exception.type` and drops
 * the cause. Exception events added some other way are enriched in `onEnding`, while the span
 * is still mutable. Every exception is recorded once: events already captured carry a marker.
 */
export class ErrorInsightSpanProcessor implements SpanProcessor {
  private readonly explicitLogger: ExportLogger | undefined;
  /** One function for every span (no closure per span): `this` is the span it was called on. */
  private readonly intercept: (this: Span, exception: Exception, time?: HrTime) => void;

  constructor(options: ErrorInsightSpanProcessorOptions = {}) {
    this.explicitLogger = options.logger;
    const processor = this;
    const intercept = function (this: Span, exception: Exception): void {
      processor.recordException(this, exception);
    };
    // Tells the engine this span's captures will be completed here, in onEnding.
    (intercept as unknown as { [WATCHED]: boolean })[WATCHED] = true;
    this.intercept = intercept;
    // The default logger watches for crashes from its creation: made now, a crash that is the
    // process's first error is stored too (made lazily, on the first exception, it was not).
    if (this.explicitLogger === undefined) getExportLogger();
  }

  private get logger(): ExportLogger {
    return this.explicitLogger ?? getExportLogger();
  }

  onStart(span: Span, _parentContext: Context): void {
    // An own property shadows the prototype's method for this span only.
    span.recordException = this.intercept;
    try {
      // Records made outside any span (a crash, the seed API) take the service of the SDK in use.
      this.logger.engine.identities.adopt(span.resource);
      noteSpanStart(span);
      if (span.kind === SpanKind.SERVER) noteServerSpan(span.spanContext().traceId, span);
    } catch (err) {
      reportInternalError('onStart', err);
    }
  }

  private recordException(span: Span, exception: Exception): void {
    try {
      this.logger.recordFromSpan(
        exception,
        span,
        stringAttr(span.attributes, ATTR_PHASE),
        stringAttr(span.attributes, ATTR_VIDEO_HASH),
      );
    } catch (err) {
      reportInternalError('recordException', err);
    }
  }

  onEnding(span: Span): void {
    try {
      // Captures complete after the caller's turn; this span's must be on it before it ends.
      settleSpan(span);
      for (const event of span.events) {
        if (event.name !== EXCEPTION_EVENT_NAME) continue;
        const attrs = event.attributes;
        if (attrs === undefined || attrs[ATTR_CAPTURED] === true) continue;
        this.enrich(span, attrs);
      }
      if (span.droppedEventsCount > 0) span.setAttribute(ATTR_EVENTS_DROPPED, span.droppedEventsCount);
      if (span.kind === SpanKind.SERVER) forgetServerSpan(span.spanContext().traceId, span);
    } catch (err) {
      reportInternalError('onEnding', err);
    }
  }

  /** An exception event added without `recordException`: rebuild what we can and record it. */
  private enrich(span: Span, attrs: Attributes): void {
    const rebuilt = {
      name: stringAttr(attrs, ATTR_EXCEPTION_TYPE) ?? 'Error',
      message: stringAttr(attrs, ATTR_EXCEPTION_MESSAGE) ?? '',
      stack: stringAttr(attrs, ATTR_EXCEPTION_STACKTRACE),
    };
    const record = this.logger.engine.capture(rebuilt, {
      source: 'span',
      span,
      // The event exists already: enrich it in place rather than add a second one.
      addEvent: false,
      // Its attributes are read right below.
      sync: true,
      phase: stringAttr(span.attributes, ATTR_PHASE),
      videoHash: stringAttr(span.attributes, ATTR_VIDEO_HASH),
    });
    const enriched = exceptionEventAttributes(record);
    for (const [key, value] of Object.entries(enriched)) {
      // Keep what the recorder wrote under the semantic-convention names.
      if (attrs[key] === undefined) attrs[key] = value;
    }
    attrs[ATTR_CAPTURED] = true;
  }

  onEnd(span: ReadableSpan): void {
    try {
      noteSpanEnd(span);
    } catch (err) {
      reportInternalError('onEnd', err);
    }
  }

  forceFlush(): Promise<void> {
    return this.logger.flush();
  }

  /** The logger's lifecycle belongs to its owner (`registerErrorInstrumentation` or the app). */
  shutdown(): Promise<void> {
    return this.logger.flush();
  }
}
