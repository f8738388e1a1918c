/**
 * The report filters applied to sources that do not filter themselves (OTLP files, in-memory
 * records). Same meaning as the store reader's filters: inclusive time bounds, exact matches.
 */
import type { ErrorRecord } from '../record.js';

/** Filters a report applies; the store reader's `StoreReadFilters` has the same shape. */
export interface RecordFilters {
  since?: Date;
  until?: Date;
  phase?: string;
  fingerprint?: string;
  category?: string;
}

/** A predicate for the filters, or undefined when no filter is set (the common, fast case). */
export function compileRecordFilter(
  filters: RecordFilters | undefined,
): ((r: ErrorRecord) => boolean) | undefined {
  if (filters === undefined) return undefined;
  const since = filters.since?.getTime();
  const until = filters.until?.getTime();
  const { phase, fingerprint, category } = filters;
  if (
    since === undefined &&
    until === undefined &&
    phase === undefined &&
    fingerprint === undefined &&
    category === undefined
  ) {
    return undefined;
  }
  return (r) => {
    if (phase !== undefined && r.phase !== phase) return false;
    if (fingerprint !== undefined && r.fingerprint !== fingerprint) return false;
    if (category !== undefined && r.classification.category !== category) return false;
    if (since !== undefined || until !== undefined) {
      const t = Date.parse(r.time);
      if (since !== undefined && !(t >= since)) return false;
      if (until !== undefined && !(t <= until)) return false;
    }
    return true;
  };
}
