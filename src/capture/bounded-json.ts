import { types } from 'node:util';
import type { JsonObject, JsonValue } from '../record.js';
import type { CaptureLimits } from './capture-limits.js';
import {
  constructorName,
  describeFailure,
  errorTypeName,
  isErrorObject,
  isReadFailure,
  readField,
} from './error-fields.js';
import type { Redactor } from './redactor.js';
import { boundStack } from './stack-text.js';
import { truncateText } from './truncate-text.js';

/** Key of the marker entry that says how many keys or items were left out. */
export const MORE_KEY = '…';
/** Longest key kept; longer keys are cut like strings. */
const MAX_KEY_CHARS = 256;
/** Frames kept of an Error found inside context: the primary error carries the full stack. */
const NESTED_ERROR_FRAMES = 10;
/** Characters past a string limit still redacted, so a PEM key or JWT cut by the limit is recognised. */
const REDACT_SLACK = 4096;
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;
const setSize = Object.getOwnPropertyDescriptor(Set.prototype, 'size')!.get!;

/** Shared by one capture: limits, the remaining output budget, and whether anything was cut. */
export interface BoundState {
  readonly limits: CaptureLimits;
  readonly redactor: Redactor;
  /** Approximate output characters still allowed; containers stop expanding at 0. */
  budget: number;
  truncated: boolean;
  /** Objects on the path from the root to the current node, for cycle detection. */
  readonly ancestors: object[];
}

export function createBoundState(limits: CaptureLimits, redactor: Redactor): BoundState {
  return { limits, redactor, budget: limits.maxRecordBytes, truncated: false, ancestors: [] };
}

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

/**
 * Redacts, then cuts to `maxStringLength`. A huge string is sliced before redaction so the cost
 * stays bounded; the slack past the limit lets a secret that straddles the cut still be seen.
 */
export function boundString(value: string, state: BoundState, max = state.limits.maxStringLength): string {
  const slice = value.length > max + REDACT_SLACK ? value.slice(0, max + REDACT_SLACK) : value;
  let text = state.redactor.redactString(slice);
  if (text.length > max || slice !== value) {
    text = truncateText(text, max, value.length);
    state.truncated = true;
  }
  state.budget -= text.length + 2;
  return text;
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
    if (depth >= state.limits.maxDepth || state.budget <= 0) {
      state.truncated = true;
      return shortLabel(obj);
    }
    if (Array.isArray(obj)) return withAncestor(obj, state, () => boundArray(obj, state, depth));
    const proto = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      const special = boundSpecial(obj, state, depth);
      if (special !== undefined) return special;
    }
    const toJSON = readField(obj, 'toJSON');
    if (typeof toJSON === 'function') {
      let result: unknown = obj;
      try {
        result = toJSON.call(obj, '');
      } catch {
        // A throwing toJSON falls back to the object's own fields.
      }
      if (result !== obj) return withAncestor(obj, state, () => boundValue(result, state, depth + 1));
    }
    return withAncestor(obj, state, () => boundPlain(obj, proto, state, depth));
  } catch (error) {
    return error instanceof RangeError ? '[Unserializable: stack exhausted]' : '[Unserializable]';
  }
}

function withAncestor(obj: object, state: BoundState, body: () => JsonValue): JsonValue {
  state.ancestors.push(obj);
  try {
    return body();
  } finally {
    state.ancestors.pop();
  }
}

function shortLabel(obj: object): string {
  if (Array.isArray(obj)) return `[Array(${obj.length})]`;
  return `[${constructorName(obj) ?? 'Object'}]`;
}

function boundArray(arr: unknown[], state: BoundState, depth: number): JsonValue[] {
  const length = arr.length;
  const shown = Math.min(length, state.limits.maxBreadth);
  const out: JsonValue[] = [];
  let i = 0;
  for (; i < shown && state.budget > 0; i++) {
    const failure: { error?: unknown } = {};
    const item = readField(arr, i, failure);
    out.push(isReadFailure(item) ? threwLabel(failure.error, state) : boundValue(item, state, depth + 1));
    state.budget -= 1;
  }
  if (i < length) {
    state.truncated = true;
    out.push({ [MORE_KEY]: `${length - i} more` });
  }
  return out;
}

function boundPlain(obj: object, proto: unknown, state: BoundState, depth: number): JsonValue {
  const keys = Object.keys(obj);
  if (keys.length === 0 && proto !== Object.prototype && proto !== null) {
    return `[object ${constructorName(obj) ?? 'Object'}]`;
  }
  const out: JsonObject = {};
  const shown = Math.min(keys.length, state.limits.maxBreadth);
  let i = 0;
  for (; i < shown && state.budget > 0; i++) {
    const key = keys[i]!;
    setEntry(out, boundKey(key), entryValue(obj, key, state, depth), state);
  }
  if (i < keys.length) {
    state.truncated = true;
    setEntry(out, MORE_KEY, `${keys.length - i} more`, state);
  }
  return out;
}

/** The bounded value under `key`; a sensitive key's getter is never even called. */
export function entryValue(obj: object, key: string, state: BoundState, depth: number): JsonValue {
  if (state.redactor.isSensitiveKey(key)) return state.redactor.censor;
  const failure: { error?: unknown } = {};
  const value = readField(obj, key, failure);
  return isReadFailure(value) ? threwLabel(failure.error, state) : boundValue(value, state, depth + 1);
}

export function boundKey(key: string): string {
  return key.length > MAX_KEY_CHARS ? truncateText(key, MAX_KEY_CHARS) : key;
}

/** Sets a key without letting `__proto__` change the output's prototype. */
export function setEntry(out: JsonObject, key: string, value: JsonValue, state?: BoundState): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[key] = value;
  }
  if (state) state.budget -= key.length + 4;
}

function threwLabel(error: unknown, state: BoundState): string {
  return state.redactor.redactString(`[Threw: ${describeFailure(error)}]`);
}

/** Non-plain objects with a dedicated rendering, or undefined to treat `obj` as a plain object. */
function boundSpecial(obj: object, state: BoundState, depth: number): JsonValue | undefined {
  if (isErrorObject(obj)) return withAncestor(obj, state, () => boundError(obj, state, depth));
  if (types.isDate(obj)) {
    const time = Date.prototype.getTime.call(obj);
    return Number.isNaN(time) ? 'Invalid Date' : new Date(time).toISOString();
  }
  if (types.isRegExp(obj)) return boundString(RegExp.prototype.toString.call(obj), state);
  if (ArrayBuffer.isView(obj)) {
    if (Buffer.isBuffer(obj)) return `[Buffer len=${obj.length}]`;
    const name = constructorName(obj) ?? 'TypedArray';
    return types.isDataView(obj)
      ? `[DataView byteLength=${obj.byteLength}]`
      : `[${name} len=${(obj as Uint8Array).length}]`;
  }
  if (types.isArrayBuffer(obj)) return `[ArrayBuffer byteLength=${(obj as ArrayBuffer).byteLength}]`;
  if (types.isSharedArrayBuffer(obj))
    return `[SharedArrayBuffer byteLength=${(obj as SharedArrayBuffer).byteLength}]`;
  if (types.isMap(obj))
    return withAncestor(obj, state, () => boundMap(obj as Map<unknown, unknown>, state, depth));
  if (types.isSet(obj)) return withAncestor(obj, state, () => boundSet(obj as Set<unknown>, state, depth));
  if (types.isWeakMap(obj)) return '[WeakMap]';
  if (types.isWeakSet(obj)) return '[WeakSet]';
  if (types.isPromise(obj)) return '[Promise]';
  return undefined;
}

function boundMap(map: Map<unknown, unknown>, state: BoundState, depth: number): JsonValue {
  const out: JsonObject = {};
  const size = mapSize.call(map) as number;
  let i = 0;
  // The prototype's iterator reads the Map's internal slots: a subclass cannot lie about entries.
  for (const [key, value] of Map.prototype.entries.call(map) as IterableIterator<[unknown, unknown]>) {
    if (i >= state.limits.maxBreadth || state.budget <= 0) break;
    const label = typeof key === 'string' ? boundKey(key) : mapKeyLabel(key, state, depth);
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
  return boundKey(typeof bounded === 'string' ? bounded : JSON.stringify(bounded));
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
  const out: JsonObject = { type: errorTypeName(err) };
  const message = readField(err, 'message');
  out.message = typeof message === 'string' ? boundString(message, state) : '';
  const code = readField(err, 'code');
  if (typeof code === 'string' || typeof code === 'number') out.code = boundString(String(code), state);
  const stack = readField(err, 'stack');
  if (typeof stack === 'string') {
    const bounded = boundStack(
      stack,
      Math.min(NESTED_ERROR_FRAMES, state.limits.maxStackFrames),
      512,
      state.redactor,
    );
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
    setEntry(out, boundKey(key), entryValue(err, key, state, depth), state);
    kept++;
  }
  return out;
}
