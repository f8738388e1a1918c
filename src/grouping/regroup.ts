/**
 * Fingerprints of stored records under another fingerprint version: what lets history written
 * by version 1 feed the pattern detector of a process that groups by version 2 (a known error
 * is not `new` after an upgrade, and its return is still a `regression`).
 */
import type { ErrorRecord } from '../record.js';
import { type FingerprintOptions, type FingerprintVersion, fingerprintException } from './fingerprint.js';

/** The versions a record can be regrouped from: the ones this library computes. */
function isComputed(version: unknown): version is FingerprintVersion {
  return version === '1' || version === '2';
}

/**
 * `record` with its fingerprint, version and template as `options.version` computes them from its
 * exception and phase; the record itself when it already has that version, or when its
 * fingerprint was not computed by this library (`capture-failed`, OTLP imports). Never throws.
 */
export function regroupRecord(record: ErrorRecord, options: FingerprintOptions): ErrorRecord {
  const version = options.version ?? '2';
  try {
    if (!isComputed(record.fingerprintVersion) || record.fingerprintVersion === version) return record;
    if (record.exception === undefined || typeof record.exception.type !== 'string') return record;
    const fp = fingerprintException(record.exception, { ...options, version }, undefined, {
      ...(record.phase === undefined ? {} : { phase: record.phase }),
      ...(record.videoHash === undefined ? {} : { videoHash: record.videoHash }),
    });
    return {
      ...record,
      fingerprint: fp.fingerprint,
      fingerprintVersion: fp.version,
      messageTemplate: fp.template,
    };
  } catch {
    return record;
  }
}

/** {@link regroupRecord} over an async source (the store reader). */
export async function* regroupRecords(
  records: AsyncIterable<ErrorRecord>,
  options: FingerprintOptions,
): AsyncGenerator<ErrorRecord> {
  for await (const r of records) yield regroupRecord(r, options);
}
