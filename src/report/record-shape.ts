/**
 * The shape check a record passes before it reaches the aggregation and the renderers. The
 * store reader only checks that a line is JSON with an `id` and a `time`; a line from another
 * tool, a newer schema or a hand edit must be counted as unusable, not crash the report.
 */
import type { ErrorRecord } from '../record.js';
import { RECORD_SCHEMA_VERSION } from '../record.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const optString = (v: unknown) => v === undefined || typeof v === 'string';

/**
 * `Date.parse(record.time)` when the value has every field the report reads, with the right
 * types; `NaN` when it has not. The time is parsed once here and handed on, rather than again by
 * the aggregation and the pattern replay.
 */
export function reportableTime(value: unknown): number {
  return hasReportableShape(value) ? Date.parse(value.time) : Number.NaN;
}

function hasReportableShape(value: unknown): value is ErrorRecord {
  if (!isObject(value)) return false;
  const r = value;
  if (typeof r.schema !== 'number' || r.schema > RECORD_SCHEMA_VERSION) return false;
  if (!isString(r.id) || !isString(r.time) || !isString(r.fingerprint)) return false;
  if (!optString(r.phase) || !optString(r.videoHash) || !optString(r.messageTemplate)) return false;
  const { exception: e, classification: c, service: s, process: p, memory: m } = r;
  if (
    !isObject(e) ||
    !isString(e.type) ||
    !isString(e.message) ||
    !optString(e.stacktrace) ||
    !optString(e.code)
  )
    return false;
  if (
    !isObject(c) ||
    !isString(c.category) ||
    !isString(c.severity) ||
    !isString(c.suggestion) ||
    !optString(c.subcategory)
  )
    return false;
  if (!isObject(s) || !isString(s.name) || !isObject(p) || !isString(p.hostname)) return false;
  if (!isObject(m) || typeof m.heapUsed !== 'number' || typeof m.heapUsedRatio !== 'number') return false;
  return (
    (e.causes === undefined || Array.isArray(e.causes)) && (r.context === undefined || isObject(r.context))
  );
}
