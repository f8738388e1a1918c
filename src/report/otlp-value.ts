/**
 * Decoding of OTLP/JSON values as the Collector's file exporter writes them: AnyValue unions,
 * 64-bit integers as strings, ids as hex (or base64 from protobuf's generic JSON mapping).
 */
import type { JsonValue } from '../record.js';

/** An OTLP/JSON AnyValue. */
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: string;
}

/** An OTLP/JSON KeyValue. */
export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

const MAX_DEPTH = 32;

/** The plain JSON value of an AnyValue; nesting beyond a sane depth becomes null. */
export function anyValueToJson(value: OtlpAnyValue | undefined, depth = 0): JsonValue {
  if (value === undefined || value === null || typeof value !== 'object' || depth > MAX_DEPTH) return null;
  if (value.stringValue !== undefined) return String(value.stringValue);
  if (value.boolValue !== undefined) return value.boolValue === true;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.arrayValue !== undefined)
    return (value.arrayValue.values ?? []).map((v) => anyValueToJson(v, depth + 1));
  if (value.kvlistValue !== undefined) return attributesToObject(value.kvlistValue.values, depth + 1);
  if (value.bytesValue !== undefined) return String(value.bytesValue);
  return null;
}

/** An attribute list as a plain object (last key wins). */
export function attributesToObject(
  list: OtlpKeyValue[] | undefined,
  depth = 0,
): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = Object.create(null);
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (kv !== null && typeof kv === 'object' && typeof kv.key === 'string')
      out[kv.key] = anyValueToJson(kv.value, depth);
  }
  return out;
}

/** A trace or span id as lowercase hex; base64 input is converted. Undefined when empty or invalid. */
export function otlpId(id: unknown, hexLength: 32 | 16): string | undefined {
  if (typeof id !== 'string' || id.length === 0) return undefined;
  if (id.length === hexLength && /^[0-9a-fA-F]+$/.test(id))
    return /^0+$/.test(id) ? undefined : id.toLowerCase();
  const bytes = Buffer.from(id, 'base64');
  if (bytes.length * 2 !== hexLength) return undefined;
  const hex = bytes.toString('hex');
  return /^0+$/.test(hex) ? undefined : hex;
}

/** Unix nanoseconds (string or number) to an ISO time; undefined when missing or zero. */
export function nanosToIso(nanos: unknown): string | undefined {
  if (nanos === undefined || nanos === null || nanos === '' || nanos === '0' || nanos === 0) return undefined;
  try {
    const ms = Number(BigInt(typeof nanos === 'number' ? Math.trunc(nanos) : String(nanos)) / 1_000_000n);
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  } catch {
    return undefined;
  }
}

/** Unix nanoseconds to milliseconds as a number (sub-ms kept); NaN when unreadable. */
export function nanosToMs(nanos: unknown): number {
  try {
    const n = BigInt(typeof nanos === 'number' ? Math.trunc(nanos) : String(nanos));
    return Number(n / 1_000n) / 1_000;
  } catch {
    return Number.NaN;
  }
}
