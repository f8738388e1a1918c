import { types } from 'node:util';

/**
 * Guarded readers for the fields of a thrown value. Any of them may run user code (getters,
 * Proxy traps, a host's Error.prepareStackTrace) and so may throw; these never do.
 */

const FAILED: unique symbol = Symbol('read failed');
/** What the last failed {@link readField} threw; read it right after the call. */
let lastReadError: unknown;

/** Reads `obj[key]`, or returns {@link FAILED} (see {@link lastReadFailure}) if that throws. */
export function readField(obj: object, key: PropertyKey): unknown {
  try {
    return (obj as Record<PropertyKey, unknown>)[key];
  } catch (error) {
    lastReadError = error;
    return FAILED;
  }
}

/** The error thrown by the latest failed {@link readField}. */
export function lastReadFailure(): unknown {
  return lastReadError;
}

export function isReadFailure(value: unknown): value is typeof FAILED {
  return value === FAILED;
}

/** True for Error objects, including ones from another realm (`vm`) where instanceof fails. */
export function isErrorObject(value: object): boolean {
  try {
    return types.isNativeError(value) || value instanceof Error;
  } catch {
    return false;
  }
}

/** The constructor's name, when it is a useful string (not `Object`). */
export function constructorName(obj: object): string | undefined {
  const ctor = readField(obj, 'constructor');
  if (typeof ctor !== 'function') return undefined;
  const name = readField(ctor, 'name');
  return typeof name === 'string' && name !== '' && name !== 'Object' ? name : undefined;
}

/**
 * The class name of an error: `err.name` when it says more than `Error` (TypeError, a custom
 * `this.name`), else the constructor's name (a subclass that did not set `name`), else `Error`.
 */
export function errorTypeName(err: object): string {
  const name = readField(err, 'name');
  if (typeof name === 'string' && name !== '' && name !== 'Error')
    return name.length > 200 ? name.slice(0, 200) : name;
  const ctor = constructorName(err);
  if (ctor !== undefined && ctor !== 'Function') return ctor.length > 200 ? ctor.slice(0, 200) : ctor;
  return 'Error';
}

/** A short `Type: message` for an error thrown while reading something, for placeholders. */
export function describeFailure(error: unknown): string {
  try {
    if (error !== null && typeof error === 'object') {
      const message = readField(error, 'message');
      const text = typeof message === 'string' ? message : '';
      return `${errorTypeName(error)}${text ? `: ${text.slice(0, 200)}` : ''}`;
    }
    return typeof error === 'string' ? error.slice(0, 200) : typeof error;
  } catch {
    return 'unknown error';
  }
}
