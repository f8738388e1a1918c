import { types } from 'node:util';
import { constructorName } from './error-fields.js';

/**
 * A short text for objects that are values rather than containers: Dates (ISO time or
 * `Invalid Date`), RegExps, Buffers and other binary views (their size, never their bytes:
 * a 1 MB Buffer is about 2 MB of JSON), weak collections and Promises. Undefined for anything
 * else. Reads internal slots through the prototypes, so overridden methods are never called.
 */
export function leafLabel(obj: object): string | undefined {
  if (types.isDate(obj)) {
    const time = Date.prototype.getTime.call(obj);
    return Number.isNaN(time) ? 'Invalid Date' : new Date(time).toISOString();
  }
  if (types.isRegExp(obj)) return RegExp.prototype.toString.call(obj);
  if (ArrayBuffer.isView(obj)) {
    if (Buffer.isBuffer(obj)) return `[Buffer len=${obj.length}]`;
    if (types.isDataView(obj)) return `[DataView byteLength=${obj.byteLength}]`;
    return `[${constructorName(obj) ?? 'TypedArray'} len=${(obj as Uint8Array).length}]`;
  }
  if (types.isArrayBuffer(obj)) return `[ArrayBuffer byteLength=${(obj as ArrayBuffer).byteLength}]`;
  if (types.isSharedArrayBuffer(obj)) {
    return `[SharedArrayBuffer byteLength=${(obj as SharedArrayBuffer).byteLength}]`;
  }
  if (types.isWeakMap(obj)) return '[WeakMap]';
  if (types.isWeakSet(obj)) return '[WeakSet]';
  if (types.isPromise(obj)) return '[Promise]';
  return undefined;
}
