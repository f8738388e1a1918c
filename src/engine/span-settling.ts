import type { Span } from '@opentelemetry/api';

/**
 * Captures complete after the caller's turn, but an exception event must be on its span before
 * the span ends. `ErrorInsightSpanProcessor` marks the `recordException` it installs on each
 * span it watches and calls {@link settleSpan} from `onEnding`; a capture on a span nobody
 * watches completes at once instead.
 */

/** Marks the interceptor a watching processor installs as `span.recordException`. */
export const WATCHED = Symbol('error-insight.watched');

/** Something holding captures that may belong to a span. */
export interface SpanSettler {
  settleSpan(span: Span): void;
}

const settlers = new Set<SpanSettler>();
/** Spans with a capture still pending, over all engines: most spans end with none to wait for. */
let pendingSpans = 0;

/** Engines count the spans they hold captures for, so ending a span is free when there are none. */
export function notePendingSpans(delta: number): void {
  pendingSpans += delta;
}

/** True when a processor of ours will settle the span's captures before it ends. */
export function isWatched(span: Span): boolean {
  const f = (span as { recordException?: unknown }).recordException as { [WATCHED]?: boolean } | undefined;
  return typeof f === 'function' && f[WATCHED] === true;
}

export function addSpanSettler(settler: SpanSettler): void {
  settlers.add(settler);
}

export function removeSpanSettler(settler: SpanSettler): void {
  settlers.delete(settler);
}

/** Completes every capture that belongs to `span`, whichever engine holds it. Never throws. */
export function settleSpan(span: Span): void {
  if (pendingSpans <= 0) return;
  for (const s of settlers) {
    try {
      s.settleSpan(span);
    } catch {
      // An engine's settle never throws; this keeps one from stopping the others.
    }
  }
}
