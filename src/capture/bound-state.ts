import type { JsonObject } from '../record.js';
import type { CaptureLimits } from './capture-limits.js';
import { describeFailure } from './error-fields.js';
import type { Redactor } from './redactor.js';
import { truncateText } from './truncate-text.js';

/** Key of the marker entry that says how many keys or items were left out. */
export const MORE_KEY = '…';
/** Longest key kept; longer keys are cut like strings. */
export const MAX_KEY_CHARS = 256;
/** Characters past a string limit still redacted, so a PEM key or JWT cut by the limit is recognised. */
const REDACT_SLACK = 4096;

/** Shared by one capture: limits, the remaining output budget, and whether anything was cut. */
export interface BoundState {
  readonly limits: CaptureLimits;
  readonly redactor: Redactor;
  /** Approximate output characters still allowed; containers stop expanding at 0. */
  budget: number;
  truncated: boolean;
  /** Objects on the path from the root to the current node, for cycle detection. */
  readonly ancestors: object[];
  /** The top-level error's stack, read already by the caller. */
  knownStack?: string | undefined;
}

export function createBoundState(limits: CaptureLimits, redactor: Redactor): BoundState {
  return { limits, redactor, budget: limits.maxRecordBytes, truncated: false, ancestors: [] };
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

/**
 * A key as it is kept: a key can itself be a secret (a token used as a cache key, a JWT as a
 * Map key), so it is redacted like a value, then cut to {@link MAX_KEY_CHARS}.
 */
export function boundKey(key: string, state: BoundState): string {
  const slice = key.length > MAX_KEY_CHARS + REDACT_SLACK ? key.slice(0, MAX_KEY_CHARS + REDACT_SLACK) : key;
  const text = state.redactor.redactRecurring(slice);
  return text.length > MAX_KEY_CHARS || slice !== key ? truncateText(text, MAX_KEY_CHARS, key.length) : text;
}

/** An error's class name (`err.name` may be any string the thrower chose): redacted, like a key. */
export function boundTypeName(name: string, state: BoundState): string {
  return state.redactor.redactRecurring(name);
}

/** Sets a key without letting `__proto__` change the output's prototype. */
export function setEntry(out: JsonObject, key: string, value: unknown, state?: BoundState): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[key] = value as JsonObject[string];
  }
  if (state) state.budget -= key.length + 4;
}

/** Placeholder for a value whose getter or trap threw. */
export function threwLabel(error: unknown, state: BoundState): string {
  return state.redactor.redactString(`[Threw: ${describeFailure(error)}]`);
}
