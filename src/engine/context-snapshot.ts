/**
 * The context as the caller passed it, taken on the caller's path: a plain object of at most
 * `maxBreadth` keys is copied one level deep, so a key the caller reassigns right after logging
 * does not change the record; nested values, wider objects and other kinds of objects are kept
 * by reference and serialized when the record completes, within the same turn. Never throws: a
 * hostile value (a getter or a proxy trap that throws) is kept as it is for the serializer,
 * which labels the failing node and keeps its siblings.
 */
export function snapshotContext(value: unknown, maxBreadth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  try {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const keys = Object.keys(value);
    if (keys.length > maxBreadth) return value;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      // As data, `__proto__` would set the copy's prototype: leave such a value to the serializer.
      if (key === '__proto__') return value;
      out[key] = (value as Record<string, unknown>)[key];
    }
    return out;
  } catch {
    return value;
  }
}
