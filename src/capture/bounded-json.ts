import { types } from 'node:util';
import type { JsonObject, JsonValue } from '../record.js';
import {
  type BoundState,
  boundKey,
  boundString,
  boundTypeName,
  createBoundState,
  MAX_KEY_CHARS,
  MORE_KEY,
  setEntry,
  threwLabel,
} from './bound-state.js';
import type { CaptureLimits } from './capture-limits.js';
import {
  constructorName,
  errorTypeName,
  isErrorObject,
  isReadFailure,
  lastReadFailure,
  readField,
} from './error-fields.js';
import { leafLabel } from './leaf-labels.js';
import type { Redactor } from './redactor.js';
import { boundStack } from './stack-text.js';

/** Frames kept of an Error found inside context: the primary error carries the full stack. */
const NESTED_ERROR_FRAMES = 10;
const NESTED_ERROR_HEADER_CHARS = 512;
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;
const setSize = Object.getOwnPropertyDescriptor(Set.prototype, 'size')!.get!;

/**
 * Turns any value into a JSON-safe value within `limits`: depth, breadth and string length cut
 * with markers (`"…": "N more"` entries, `…[truncated N chars]`), cycles as `"[Circular]"`,
 * sensitive keys and secret-looking strings redacted, and output growth stopped at about
 * `maxRecordBytes`. Special values become labels: `[undefined]`, `[NaN]`, `[BigInt: 10]`,
 * `[Symbol(x)]`, `[Function name]`, `[Buffer len=N]`; Maps become objects, Sets arrays, Errors
 * `{type, message, code?, stack}`. `toJSON` is used when it works, and its output is redacted
 * too. Symbol keys are left out, as JSON does. Never throws and never writes to `value`.
 * Recursion is bounded by `maxDepth`, and a stack overflow (when called near the stack limit)
 * degrades the affected node to a placeholder.
 */
export function toBoundedJson(value: unknown, limits: CaptureLimits, redactor: Redactor): JsonValue {
  try {
    return boundValue(value, createBoundState(limits, redactor), 0);
  } catch {
    return '[Unserializable]';
  }
}

/** {@link toBoundedJson} with a caller-owned state, so several values share one budget. */
export function boundValue(value: unknown, state: BoundState, depth: number): JsonValue {
  switch (typeof value) {
    case 'string':
      return boundString(value, state);
    case 'number':
      if (Number.isFinite(value)) {
        state.budget -= 8;
        return value === 0 ? 0 : value;
      }
      return `[${value}]`;
    case 'boolean':
      state.budget -= 5;
      return value;
    case 'undefined':
      return '[undefined]';
    case 'bigint':
      return boundString(`[BigInt: ${value.toString()}]`, state);
    case 'symbol':
      return boundString(`[${value.toString()}]`, state);
    case 'function':
      return functionLabel(value);
    default:
      return value === null ? null : boundObject(value as object, state, depth);
  }
}

/** The bounded value under `key`; a sensitive key's getter is never even called. */
export function entryValue(obj: object, key: string, state: BoundState, depth: number): JsonValue {
  if (state.redactor.isSensitiveKey(key)) return state.redactor.censor;
  const value = readField(obj, key);
  return isReadFailure(value) ? threwLabel(lastReadFailure(), state) : boundValue(value, state, depth + 1);
}

function functionLabel(fn: Function): string {
  const name = readField(fn, 'name');
  return typeof name === 'string' && name !== ''
    ? `[Function ${name.slice(0, MAX_KEY_CHARS)}]`
    : '[Function <anonymous>]';
}

function boundObject(obj: object, state: BoundState, depth: number): JsonValue {
  if (state.ancestors.includes(obj)) return '[Circular]';
  try {
    const array = Array.isArray(obj);
    const proto = array ? Array.prototype : Object.getPrototypeOf(obj);
    const plain = proto === Object.prototype || proto === null;
    if (!array && !plain) {
      const leaf = leafLabel(obj);
      if (leaf !== undefined) return boundString(leaf, state);
    }
    if (depth >= state.limits.maxDepth || state.budget <= 0) {
      state.truncated = true;
      return array ? `[Array(${(obj as unknown[]).length})]` : `[${constructorName(obj) ?? 'Object'}]`;
    }
    state.ancestors.push(obj);
    try {
      if (array) return boundArray(obj as unknown[], state, depth);
      if (!plain) {
        if (isErrorObject(obj)) return boundError(obj, state, depth);
        if (types.isMap(obj)) return boundMap(obj as Map<unknown, unknown>, state, depth);
        if (types.isSet(obj)) return boundSet(obj as Set<unknown>, state, depth);
      }
      const toJSON = readField(obj, 'toJSON');
      if (typeof toJSON === 'function') {
        let result: unknown = obj;
        try {
          result = toJSON.call(obj, '');
        } catch {
          // A throwing toJSON falls back to the object's own fields.
        }
        if (result !== obj) return boundValue(result, state, depth + 1);
      }
      return boundPlain(obj, plain, state, depth);
    } finally {
      state.ancestors.pop();
    }
  } catch (error) {
    return error instanceof RangeError ? '[Unserializable: stack exhausted]' : '[Unserializable]';
  }
}

function boundArray(arr: unknown[], state: BoundState, depth: number): JsonValue[] {
  const length = arr.length;
  const shown = Math.min(length, state.limits.maxBreadth);
  const out: JsonValue[] = [];
  let i = 0;
  for (; i < shown && state.budget > 0; i++) {
    const item = readField(arr, i);
    out.push(isReadFailure(item) ? threwLabel(lastReadFailure(), state) : boundValue(item, state, depth + 1));
    state.budget -= 1;
  }
  if (i < length) {
    state.truncated = true;
    out.push({ [MORE_KEY]: `${length - i} more` });
  }
  return out;
}

function boundPlain(obj: object, plain: boolean, state: BoundState, depth: number): JsonValue {
  const keys = Object.keys(obj);
  if (keys.length === 0 && !plain) return `[object ${constructorName(obj) ?? 'Object'}]`;
  const out: JsonObject = {};
  const shown = Math.min(keys.length, state.limits.maxBreadth);
  let i = 0;
  for (; i < shown && state.budget > 0; i++) {
    const key = keys[i]!;
    setEntry(out, boundKey(key, state), entryValue(obj, key, state, depth), state);
  }
  if (i < keys.length) {
    state.truncated = true;
    setEntry(out, MORE_KEY, `${keys.length - i} more`, state);
  }
  return out;
}

function boundMap(map: Map<unknown, unknown>, state: BoundState, depth: number): JsonValue {
  const out: JsonObject = {};
  const size = mapSize.call(map) as number;
  let i = 0;
  // The prototype's iterator reads the Map's internal slots: a subclass cannot lie about entries.
  for (const [key, value] of Map.prototype.entries.call(map) as IterableIterator<[unknown, unknown]>) {
    if (i >= state.limits.maxBreadth || state.budget <= 0) break;
    const label = typeof key === 'string' ? boundKey(key, state) : mapKeyLabel(key, state, depth);
    const sensitive = typeof key === 'string' && state.redactor.isSensitiveKey(key);
    setEntry(out, label, sensitive ? state.redactor.censor : boundValue(value, state, depth + 1), state);
    i++;
  }
  if (i < size) {
    state.truncated = true;
    setEntry(out, MORE_KEY, `${size - i} more`, state);
  }
  return out;
}

function mapKeyLabel(key: unknown, state: BoundState, depth: number): string {
  const bounded = boundValue(key, state, depth + 1);
  return boundKey(typeof bounded === 'string' ? bounded : JSON.stringify(bounded), state);
}

function boundSet(set: Set<unknown>, state: BoundState, depth: number): JsonValue {
  const out: JsonValue[] = [];
  const size = setSize.call(set) as number;
  for (const value of Set.prototype.values.call(set) as IterableIterator<unknown>) {
    if (out.length >= state.limits.maxBreadth || state.budget <= 0) break;
    out.push(boundValue(value, state, depth + 1));
  }
  if (out.length < size) {
    state.truncated = true;
    out.push({ [MORE_KEY]: `${size - out.length} more` });
  }
  return out;
}

/** An Error inside context: its type, message, code and a short stack, plus its own fields. */
function boundError(err: object, state: BoundState, depth: number): JsonValue {
  const out: JsonObject = { type: boundTypeName(errorTypeName(err), state) };
  const message = readField(err, 'message');
  out.message = typeof message === 'string' ? boundString(message, state) : '';
  const code = readField(err, 'code');
  if (typeof code === 'string' || typeof code === 'number') out.code = boundString(String(code), state);
  const stack = readField(err, 'stack');
  if (typeof stack === 'string') {
    const frames = Math.min(NESTED_ERROR_FRAMES, state.limits.maxStackFrames);
    const bounded = boundStack(stack, frames, NESTED_ERROR_HEADER_CHARS, state.redactor);
    out.stack = bounded.text;
    state.budget -= bounded.text.length;
  }
  const keys = Object.keys(err);
  let kept = 0;
  for (const key of keys) {
    if (key === 'message' || key === 'code' || key === 'stack') continue;
    if (kept >= state.limits.maxBreadth || state.budget <= 0) {
      state.truncated = true;
      break;
    }
    setEntry(out, boundKey(key, state), entryValue(err, key, state, depth), state);
    kept++;
  }
  return out;
}
