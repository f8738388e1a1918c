import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Redactor } from '../capture/redactor.js';
import { EXCEPTION_EVENT_NAME } from '../semconv.js';

/**
 * Masks secrets in what a span says about its exceptions, just before it is serialized for
 * OTLP: the attributes of every `exception` event (whoever added it, e.g. with
 * `span.addEvent('exception', …)` or the stock `recordException`) and an error status message.
 * A value under a sensitive key becomes the censor; every other string is redacted as record
 * text is. Runs on the exporter's turn, never in `span.end()`. Never throws.
 */
export function redactSpanExceptions(spans: readonly ReadableSpan[], redactor: Redactor): void {
  for (const span of spans) {
    try {
      let failed = false;
      for (const event of span.events) {
        if (event.name !== EXCEPTION_EVENT_NAME || event.attributes === undefined) continue;
        failed = true;
        const attrs = event.attributes as Record<string, unknown>;
        for (const key of Object.keys(attrs)) {
          const value = attrs[key];
          if (redactor.isSensitiveKey(key)) attrs[key] = redactor.censor;
          else if (typeof value === 'string') attrs[key] = redactor.redactRecurring(value);
          else if (Array.isArray(value))
            attrs[key] = value.map((v) => (typeof v === 'string' ? redactor.redactString(v) : v));
        }
      }
      const status = span.status as { code: SpanStatusCode; message?: string };
      if ((failed || status.code === SpanStatusCode.ERROR) && typeof status.message === 'string') {
        status.message = redactor.redactRecurring(status.message);
      }
    } catch {
      // A span we cannot read is sent as it is rather than break the export of the others.
    }
  }
}
