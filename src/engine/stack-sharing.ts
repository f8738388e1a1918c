import type { ErrorRecord } from '../record.js';
import { expandRepeat, isRepeatLine, readerRepeatBase, type repeatBase } from '../store/repeat-line.js';

const FRAMES_START = '\n    at ';
/** Key prefix of the repeat bases in a reader's per-file map (the frames use the bare fingerprint). */
const BASE_KEY = '\u0000';

/** A whole line that repeats may refer to; parsed when the first repeat of it is read. */
interface BaseLine {
  json: string;
  parsed?: ReturnType<typeof repeatBase>;
}

/**
 * For readers: turns a compact line back into its record, in place. A repeat line (see
 * repeat-line.ts) is rebuilt from the last whole line of its fingerprint in the file; a line of
 * the older compact form gets its shared stack frames back. `state` is the reader's per-file map
 * (start each file with an empty one) and `line` the text `rec` was parsed from. Returns false
 * for a repeat whose base is not in the file (the reader counts it as unreadable). Never throws.
 */
export function expandSharedStack(
  rec: ErrorRecord,
  state: Map<string, unknown>,
  maxFingerprints: number,
  line?: string,
): boolean {
  if (typeof rec.fingerprint !== 'string') return true;
  const key = BASE_KEY + rec.fingerprint;
  if (isRepeatLine(rec)) {
    const base = state.get(key) as BaseLine | undefined;
    if (base !== undefined) base.parsed ??= readerRepeatBase(base.json);
    return expandRepeat(rec as unknown as Record<string, unknown>, base?.parsed);
  }
  // A whole line is the base of later repeats of its fingerprint: its text is kept (the record
  // itself may be changed by whoever it is handed to); the writer keeps as many per file.
  if (line !== undefined && (state.has(key) || state.size < 2 * maxFingerprints))
    state.set(key, { json: line });
  const frames = state as Map<string, string>;
  const e = rec.exception as (ErrorRecord['exception'] & { stackShared?: unknown }) | undefined;
  if (e === null || typeof e !== 'object') return true;
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
  return true;
}
