/**
 * Repeats of one fingerprint within a span travel as one exception event that carries their
 * count (`error_insight.span.repeats`, so an error loop does not push the span past its event
 * limit). A report from OTLP files counts each of them, as the store does.
 */
import { ATTR_SPAN_REPEATS } from '../engine/span-recorder.js';
import type { ErrorRecord } from '../record.js';

/**
 * The most records one event stands for; a larger count in a file is taken as this many (an
 * OTLP file is input from elsewhere, and each record costs memory in a report).
 */
export const MAX_SPAN_REPEATS = 100_000;

/**
 * Pushes the records an exception event stands for: `record` itself, or, for an event folded
 * from N repeats, N records with the event's time (the first one's; the later ones happened
 * before the span ended) and consecutive occurrence numbers ending at the event's (the last
 * one's). The first keeps the event's record id; the others get `<id>#<n>`.
 */
export function pushSpanRepeats(
  record: ErrorRecord,
  attributes: Record<string, unknown>,
  out: ErrorRecord[],
): void {
  const value = attributes[ATTR_SPAN_REPEATS];
  const repeats =
    typeof value === 'number' && Number.isInteger(value) && value > 1 ? Math.min(value, MAX_SPAN_REPEATS) : 1;
  if (repeats === 1) {
    out.push(record);
    return;
  }
  const last = record.occurrence;
  for (let n = 1; n <= repeats; n++) {
    out.push({
      ...record,
      id: n === 1 ? record.id : `${record.id}#${n}`,
      occurrence: Math.max(1, last - (repeats - n)),
    });
  }
}
