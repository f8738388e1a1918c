import type { ErrorRecord } from '../record.js';

/** The two forms of a store line whose frames may be shared within a file. */
export interface SharedLine {
  /** The whole record, its stack marked as one others may refer to (`"stackShared":true`). */
  full: string;
  /** The record with only the stack's first line (type and message) and `"stackRef":true`. */
  compact: string;
}

/** Stacks shorter than this are cheaper to repeat than to refer to. */
export const MIN_SHARED_STACK = 200;
/** Fingerprints whose frames are remembered (first seen wins; past this, lines stay whole). */
const MAX_FINGERPRINTS = 10_000;
const FRAMES_START = '\n    at ';

/**
 * Decides which store lines may share their stack frames. A fingerprint's occurrences usually
 * have the same frames under a different first line (the message), so a repeat can keep its
 * first line and refer to the frames of an earlier line of the same fingerprint in the same
 * file. Only lines whose frames are exactly those first seen for their fingerprint take part,
 * so an expanded stack is always the one that was thrown.
 */
export class StackSharing {
  private readonly frames = new Map<string, string>();

  /** Both forms of `json` (the serialized `record`), or undefined when it keeps one form. */
  forms(record: ErrorRecord, json: string): SharedLine | undefined {
    const stack = record.exception.stacktrace;
    if (stack === undefined || stack.length < MIN_SHARED_STACK) return undefined;
    const cut = stack.indexOf(FRAMES_START);
    if (cut <= 0) return undefined;
    const frames = stack.slice(cut);
    const known = this.frames.get(record.fingerprint);
    if (known === undefined) {
      if (this.frames.size >= MAX_FINGERPRINTS) return undefined;
      this.frames.set(record.fingerprint, frames);
    } else if (known !== frames) {
      return undefined;
    }
    const key = `"stacktrace":${JSON.stringify(stack)}`;
    const at = json.indexOf(key);
    if (at === -1) return undefined;
    const before = json.slice(0, at);
    const after = json.slice(at + key.length);
    return {
      full: `${before}${key},"stackShared":true${after}`,
      compact: `${before}"stacktrace":${JSON.stringify(stack.slice(0, cut))},"stackRef":true${after}`,
    };
  }
}

/**
 * For readers: puts a shared stack back. `frames` holds, per fingerprint, the frames of the
 * first `stackShared` line of the file being read. Never throws.
 */
export function expandSharedStack(
  rec: ErrorRecord,
  frames: Map<string, string>,
  maxFingerprints: number,
): void {
  const e = rec.exception as (ErrorRecord['exception'] & { stackShared?: unknown }) | undefined;
  if (e === null || typeof e !== 'object' || typeof rec.fingerprint !== 'string') return;
  if (e.stackShared === true) {
    delete e.stackShared;
    if (typeof e.stacktrace === 'string' && !frames.has(rec.fingerprint) && frames.size < maxFingerprints) {
      const cut = e.stacktrace.indexOf(FRAMES_START);
      if (cut > 0) frames.set(rec.fingerprint, e.stacktrace.slice(cut));
    }
  } else if (e.stackRef === true) {
    const shared = frames.get(rec.fingerprint);
    if (shared !== undefined && typeof e.stacktrace === 'string') {
      e.stacktrace += shared;
      delete e.stackRef;
    }
  }
}
