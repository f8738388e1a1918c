import type { ExceptionCause, ExceptionInfo, JsonObject, JsonValue } from '../record.js';
import {
  type BoundState,
  boundKey,
  boundString,
  boundTypeName,
  createBoundState,
  MORE_KEY,
  setEntry,
} from './bound-state.js';
import { boundValue, entryValue } from './bounded-json.js';
import type { CaptureLimits } from './capture-limits.js';
import {
  constructorName,
  describeFailure,
  errorTypeName,
  isErrorObject,
  isReadFailure,
  lastReadFailure,
  readField,
} from './error-fields.js';
import type { Redactor } from './redactor.js';
import { boundStack } from './stack-text.js';

/** Fields with a place of their own in ExceptionInfo, so not repeated in `properties`. */
const OWN_FIELDS = new Set([
  'name',
  'message',
  'stack',
  'code',
  'errno',
  'syscall',
  'path',
  'cause',
  'errors',
]);
/** Keys named in the message of a thrown plain object. */
const MESSAGE_KEYS = 10;
const MAX_SHORT_FIELD = 256;

/**
 * Turns any thrown value into a bounded, redacted {@link ExceptionInfo}. Errors (also from
 * another realm, and error-like objects with a string `message`) give their class name, message,
 * stack (cut to `maxStackFrames`), code/errno/syscall/path, other own fields as `properties`,
 * the `cause` chain (`maxCauseDepth`, a cycle ends with a `[Circular]` entry) and AggregateError
 * members (`maxAggregateErrors`, then a `…` entry with the count). A plain object wrapping an
 * Error (`{ error: err }`) reports that Error. Other values get `typeof` as type (`null` for
 * null) and their text as message. A field whose getter throws reads `[unavailable: …]`.
 * `truncated` is set when anything was cut. Never throws.
 */
export function normalizeThrown(
  value: unknown,
  limits: CaptureLimits,
  redactor: Redactor,
  /** The value's `stack`, when the caller has read it already (a getter runs once). */
  stack?: string,
): ExceptionInfo {
  try {
    const state = createBoundState(limits, redactor);
    state.knownStack = stack;
    const info = normalizeValue(value, state);
    if (state.truncated) info.truncated = true;
    return info;
  } catch {
    // Only reachable near the stack limit: keep what costs least to know.
    return { type: fallbackType(value), message: '[unavailable: capture failed]', truncated: true };
  }
}

function fallbackType(value: unknown): string {
  if (value === null) return 'null';
  // instanceof needs no new stack frame, unlike reading `name` (which may be a getter).
  if (value instanceof RangeError) return 'RangeError';
  if (value instanceof TypeError) return 'TypeError';
  if (value instanceof Error) return 'Error';
  return typeof value;
}

function normalizeValue(value: unknown, state: BoundState): ExceptionInfo {
  if (value === null) return { type: 'null', message: 'null' };
  if (typeof value === 'function')
    return { type: 'function', message: boundValue(value, state, 0) as string };
  if (typeof value !== 'object') return { type: typeof value, message: primitiveText(value, state) };
  if (isErrorLike(value)) return normalizeError(value, state);
  return normalizeObject(value, state);
}

function primitiveText(value: unknown, state: BoundState): string {
  const text =
    typeof value === 'string' ? value : typeof value === 'symbol' ? value.toString() : String(value);
  return boundString(text, state, state.limits.maxMessageLength);
}

function isErrorLike(value: object): boolean {
  if (isErrorObject(value)) return true;
  if (typeof readField(value, 'message') !== 'string') return false;
  return typeof readField(value, 'stack') === 'string' || typeof readField(value, 'name') === 'string';
}

function normalizeError(err: object, state: BoundState): ExceptionInfo {
  const info: ExceptionInfo = {
    type: boundTypeName(errorTypeName(err), state),
    message: readMessage(err, state),
  };
  const known = state.knownStack;
  state.knownStack = undefined;
  const stack = readStack(err, state, state.limits.maxStackFrames, known);
  if (stack !== undefined) info.stacktrace = stack;
  const code = readField(err, 'code');
  if (typeof code === 'string' || typeof code === 'number')
    info.code = boundString(String(code), state, MAX_SHORT_FIELD);
  const errno = readField(err, 'errno');
  if (typeof errno === 'number' && Number.isFinite(errno)) info.errno = errno;
  const syscall = readField(err, 'syscall');
  if (typeof syscall === 'string') info.syscall = boundString(syscall, state, MAX_SHORT_FIELD);
  const path = readField(err, 'path');
  if (typeof path === 'string') info.path = boundString(path, state);
  const properties = readProperties(err, state, OWN_FIELDS);
  if (properties !== undefined) info.properties = properties;
  const causes = readCauses(err, state);
  if (causes.length > 0) info.causes = causes;
  const errors = readAggregate(err, state);
  if (errors !== undefined) info.errors = errors;
  return info;
}

/** A plain object thrown: the Error it wraps if any, else a description of its keys. */
function normalizeObject(obj: object, state: BoundState): ExceptionInfo {
  let keys: string[];
  try {
    keys = Object.keys(obj);
  } catch (error) {
    return { type: 'object', message: `[Unserializable: ${describeFailure(error)}]` };
  }
  for (let i = 0; i < keys.length && i < state.limits.maxBreadth; i++) {
    const inner = readField(obj, keys[i]!);
    if (inner !== null && typeof inner === 'object' && isErrorObject(inner)) {
      const info = normalizeError(inner, state);
      const outer = readProperties(obj, state, new Set([keys[i]!]));
      if (outer !== undefined) info.properties = { ...outer, ...info.properties };
      return info;
    }
  }
  const kind = constructorName(obj);
  const listed = keys
    .slice(0, MESSAGE_KEYS)
    .map((k) => boundKey(k, state))
    .join(', ');
  const more = keys.length > MESSAGE_KEYS ? `, … ${keys.length - MESSAGE_KEYS} more` : '';
  const message = keys.length === 0 ? 'no keys' : `keys: ${listed}${more}`;
  const info: ExceptionInfo = {
    type: 'object',
    message: boundString(
      `Non-error ${kind ? `${kind} ` : ''}object thrown with ${message}`,
      state,
      state.limits.maxMessageLength,
    ),
  };
  const properties = readProperties(obj, state, new Set());
  if (properties !== undefined) info.properties = properties;
  return info;
}

function readMessage(err: object, state: BoundState): string {
  const message = readField(err, 'message');
  let text: string;
  if (isReadFailure(message)) text = `[unavailable: ${describeFailure(lastReadFailure())}]`;
  else if (message === undefined || message === null) text = '';
  else if (typeof message === 'string') text = message;
  else {
    const bounded: JsonValue = boundValue(message, state, 1);
    text = typeof bounded === 'string' ? bounded : JSON.stringify(bounded);
  }
  return boundString(text, state, state.limits.maxMessageLength);
}

function readStack(err: object, state: BoundState, maxFrames: number, known?: string): string | undefined {
  // Reading `stack` may run a host's Error.prepareStackTrace, which may throw: then no stack.
  const stack = known ?? readField(err, 'stack');
  if (typeof stack !== 'string') return undefined;
  const bounded = boundStack(stack, maxFrames, state.limits.maxMessageLength, state.redactor);
  if (bounded.truncated) state.truncated = true;
  state.budget -= bounded.text.length;
  return bounded.text;
}

function readProperties(obj: object, state: BoundState, skip: ReadonlySet<string>): JsonObject | undefined {
  let keys: string[];
  try {
    keys = Object.keys(obj);
  } catch {
    return undefined;
  }
  let out: JsonObject | undefined;
  let kept = 0;
  state.ancestors.push(obj);
  try {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (skip.has(key)) continue;
      out ??= {};
      if (kept >= state.limits.maxBreadth || state.budget <= 0) {
        state.truncated = true;
        setEntry(out, MORE_KEY, `${keys.length - i} more`, state);
        break;
      }
      setEntry(out, boundKey(key, state), entryValue(obj, key, state, 1), state);
      kept++;
    }
  } finally {
    state.ancestors.pop();
  }
  return out;
}

function readCauses(err: object, state: BoundState): ExceptionCause[] {
  const causes: ExceptionCause[] = [];
  const seen = new Set<unknown>([err]);
  let current = readField(err, 'cause');
  while (current !== undefined && !isReadFailure(current)) {
    if (seen.has(current)) {
      causes.push({
        type: '[Circular]',
        message: state.redactor.redactRecurring(`cause refers back to ${causeType(current)}`),
      });
      return causes;
    }
    if (causes.length >= state.limits.maxCauseDepth) {
      state.truncated = true;
      return causes;
    }
    seen.add(current);
    causes.push(toCause(current, state));
    current = current !== null && typeof current === 'object' ? readField(current, 'cause') : undefined;
  }
  return causes;
}

function readAggregate(err: object, state: BoundState): ExceptionCause[] | undefined {
  const members = readField(err, 'errors');
  let length: number;
  try {
    if (!Array.isArray(members)) return undefined;
    length = members.length;
  } catch {
    return undefined;
  }
  const shown = Math.min(length, state.limits.maxAggregateErrors);
  const out: ExceptionCause[] = [];
  for (let i = 0; i < shown; i++) out.push(toCause(readField(members, i), state));
  if (length > shown) {
    state.truncated = true;
    out.push({ type: MORE_KEY, message: `${length - shown} more errors` });
  }
  return out;
}

function toCause(value: unknown, state: BoundState): ExceptionCause {
  if (isReadFailure(value)) return { type: 'unknown', message: '[unavailable]' };
  if (value === null || typeof value !== 'object' || !isErrorLike(value)) {
    const info =
      value !== null && typeof value === 'object'
        ? normalizeObject(value, state)
        : normalizeValue(value, state);
    return { type: info.type, message: info.message };
  }
  const cause: ExceptionCause = {
    type: boundTypeName(errorTypeName(value), state),
    message: readMessage(value, state),
  };
  const stack = readStack(value, state, state.limits.maxStackFrames);
  if (stack !== undefined) cause.stacktrace = stack;
  const code = readField(value, 'code');
  if (typeof code === 'string' || typeof code === 'number')
    cause.code = boundString(String(code), state, MAX_SHORT_FIELD);
  return cause;
}

function causeType(value: unknown): string {
  return value !== null && typeof value === 'object' ? errorTypeName(value) : typeof value;
}
