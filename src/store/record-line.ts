/**
 * One store line. `JSON.stringify` already escapes `\n`, `\r`, C0 controls and lone surrogates;
 * it leaves DEL, the C1 controls (U+0085 NEL among them) and U+2028/U+2029 raw, and several line
 * readers (Python `splitlines()`, some JS tooling) split on those, which would let a value cut or
 * forge a record. They are escaped here, so every reader sees exactly one record per line.
 */
const UNSAFE_IN_LINE = /[\u007f-\u009f\u2028\u2029]/g;
const HAS_UNSAFE = /[\u007f-\u009f\u2028\u2029]/;

function escapeUnsafe(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Serializes a record as one `'\n'`-terminated JSON line. Throws a `TypeError` for a value that
 * is not JSON-serializable (the store catches it and counts the record as dropped).
 */
export function serializeRecordLine(record: unknown): string {
  const json = JSON.stringify(record);
  if (typeof json !== 'string') throw new TypeError(`cannot serialize a ${typeof record} as a store line`);
  return jsonToLine(json);
}

/** Turns the `JSON.stringify` text of a record into a store line (escaped, `'\n'`-terminated). */
export function jsonToLine(json: string): string {
  return (HAS_UNSAFE.test(json) ? json.replace(UNSAFE_IN_LINE, escapeUnsafe) : json) + '\n';
}
