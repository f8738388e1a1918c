import type { ExceptionCause, ExceptionInfo, JsonObject, JsonValue } from '../record.js';
import { MORE_KEY, setEntry } from './bound-state.js';
import { truncateText } from './truncate-text.js';

type Fittable = { context?: unknown; exception: ExceptionInfo; truncated?: boolean };

interface PruneLevel {
  depth: number;
  breadth: number;
  chars: number;
}

/** Ever tighter cuts tried on context (and then properties) before anything else is touched. */
const PRUNE_LEVELS: readonly PruneLevel[] = [
  { depth: 6, breadth: 50, chars: 2048 },
  { depth: 4, breadth: 20, chars: 512 },
  { depth: 3, breadth: 10, chars: 128 },
  { depth: 1, breadth: 5, chars: 64 },
];
/** Top-level fields holding free-form JSON that may be pruned like context. */
const FREE_FORM_FIELDS = ['context', 'resources'] as const;
const DROPPED = 'dropped to fit maxRecordBytes';

/**
 * Returns `record` itself when its JSON is at most `maxBytes` UTF-8 bytes (one stringify, and
 * no byte count at all when even 3 bytes per character would fit). Otherwise returns a pruned
 * copy, `truncated: true`, cutting in this order until it fits: breadcrumbs (dropped), context (and `resources`) depth,
 * breadth and string length, then dropping it; the same for `exception.properties`; cause and
 * AggregateError stacks, then those lists; stack frames (10, 3, none); finally the message is
 * cut hard. The input is never modified. Fields a record cannot do without (ids, times, the
 * classification) are left alone, so a record made only of huge such fields may stay too big.
 */
export function fitRecord<T extends Fittable>(record: T, maxBytes: number): T {
  return fitRecordToJson(record, maxBytes).record;
}

/**
 * {@link fitRecord} that also returns the fitted record's JSON, so that a writer need not
 * stringify it a second time. `json` is `JSON.stringify(record)` of the returned record (or
 * `'{}'` if the record given is not JSON-serializable at all, which a record built from this
 * module's outputs never is).
 */
export function fitRecordToJson<T extends Fittable>(
  record: T,
  maxBytes: number,
): { record: T; json: string } {
  let json: string;
  try {
    json = JSON.stringify(record);
  } catch {
    return { record, json: '{}' };
  }
  try {
    if (fits(json, maxBytes)) return { record, json };
    const out: T = { ...record, exception: { ...record.exception, truncated: true }, truncated: true };
    for (const step of steps(out)) {
      step();
      json = JSON.stringify(out);
      if (fits(json, maxBytes)) return { record: out, json };
    }
    cutMessage(out, maxBytes);
    return { record: out, json: JSON.stringify(out) };
  } catch {
    return { record, json };
  }
}

function fits(json: string, maxBytes: number): boolean {
  if (json.length > maxBytes) return false;
  return json.length * 3 <= maxBytes || Buffer.byteLength(json, 'utf8') <= maxBytes;
}

function* steps(out: Fittable): Generator<() => void> {
  const fields = out as Record<string, unknown>;
  const exception = out.exception;
  // What happened before the error weighs less than the error's own context: it goes first.
  if (Array.isArray(fields.breadcrumbs)) yield () => delete fields.breadcrumbs;
  for (const name of FREE_FORM_FIELDS) {
    const original = fields[name];
    if (original === undefined || original === null || typeof original !== 'object') continue;
    for (const level of PRUNE_LEVELS) yield () => (fields[name] = pruneJson(original as JsonValue, level, 0));
    yield () => (fields[name] = { [MORE_KEY]: DROPPED });
  }
  const properties = exception.properties;
  if (properties !== undefined) {
    for (const level of PRUNE_LEVELS)
      yield () => (exception.properties = pruneJson(properties, level, 0) as JsonObject);
    yield () => delete exception.properties;
  }
  if (exception.causes !== undefined || exception.errors !== undefined) {
    yield () => {
      if (exception.causes) exception.causes = exception.causes.map(withoutStack);
      if (exception.errors) exception.errors = exception.errors.map(withoutStack);
    };
    yield () => {
      if (exception.causes) exception.causes = exception.causes.slice(0, 1);
      if (exception.errors) exception.errors = exception.errors.slice(0, 1);
    };
    yield () => {
      delete exception.causes;
      delete exception.errors;
    };
  }
  const stack = exception.stacktrace;
  if (stack !== undefined) {
    yield () => (exception.stacktrace = keepFrames(stack, 10));
    yield () => (exception.stacktrace = keepFrames(stack, 3));
    yield () => delete exception.stacktrace;
  }
}

function withoutStack(cause: ExceptionCause): ExceptionCause {
  const { stacktrace: _dropped, ...rest } = cause;
  return rest;
}

function keepFrames(stack: string, frames: number): string {
  let end = stack.indexOf('\n    at ');
  if (end < 0) return truncateText(stack, 1024);
  for (let i = 0; i < frames && end >= 0; i++) end = stack.indexOf('\n', end + 1);
  return end < 0 ? stack : `${stack.slice(0, end)}\n    … more frames cut to fit`;
}

/** Cuts the message by the bytes still over, then, as a last resort, every long top-level string. */
function cutMessage(out: Fittable, maxBytes: number): void {
  const exception = out.exception;
  for (let attempt = 0; attempt < 4; attempt++) {
    const over = Buffer.byteLength(JSON.stringify(out), 'utf8') - maxBytes;
    if (over <= 0) return;
    const message = exception.message;
    if (message.length <= 64) break;
    exception.message = truncateText(message, Math.max(64, message.length - over - 48));
  }
  const fields = out as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string' && value.length > 256) fields[key] = truncateText(value, 256);
  }
  for (const key of ['type', 'code', 'syscall', 'path'] as const) {
    const value = exception[key];
    if (value !== undefined && value.length > 64) exception[key] = truncateText(value, 64);
  }
}

/** A copy of `value` within `level`, with the same markers as the bounded serializer. */
function pruneJson(value: JsonValue, level: PruneLevel, depth: number): JsonValue {
  if (typeof value === 'string') return truncateText(value, level.chars);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (depth >= level.depth) return `[Array(${value.length})]`;
    const out = value.slice(0, level.breadth).map((item) => pruneJson(item, level, depth + 1));
    if (value.length > level.breadth) out.push({ [MORE_KEY]: `${value.length - level.breadth} more` });
    return out;
  }
  if (depth >= level.depth) return '[Object]';
  const keys = Object.keys(value);
  const out: JsonObject = {};
  for (let i = 0; i < keys.length && i < level.breadth; i++) {
    setEntry(out, keys[i]!, pruneJson(value[keys[i]!]!, level, depth + 1));
  }
  if (keys.length > level.breadth) setEntry(out, MORE_KEY, `${keys.length - level.breadth} more`);
  return out;
}
