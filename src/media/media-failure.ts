/** Known failure lines of ffmpeg and ffprobe, by what they mean. */
export type MediaFailureKind =
  | 'no-space'
  | 'permission-denied'
  | 'out-of-memory'
  | 'input-not-found'
  | 'moov-atom-not-found'
  | 'invalid-data'
  | 'encoder-not-found'
  | 'decoder-not-found'
  | 'codec-not-supported'
  | 'invalid-option'
  | 'unknown-format'
  | 'network'
  | 'encoder-failed'
  | 'conversion-failed';

/** A recognised failure line from a media tool's stderr. */
export interface MediaFailure {
  kind: MediaFailureKind;
  /** The stderr line that said it, trimmed (at most 300 characters). */
  line: string;
}

/**
 * Most specific first: ffmpeg often prints several of these for one failure (a junk file gives
 * "moov atom not found" then "Invalid data found…"; a missing encoder ends in "Conversion
 * failed!"), and the root cause is the earliest kind in this list, not the last line printed.
 */
const PATTERNS: ReadonlyArray<readonly [MediaFailureKind, RegExp]> = [
  ['no-space', /No space left on device/i],
  ['permission-denied', /Permission denied|Operation not permitted/i],
  ['out-of-memory', /Cannot allocate memory|Out of memory|heap out of memory|Reached heap limit/i],
  ['input-not-found', /No such file or directory/i],
  ['moov-atom-not-found', /moov atom not found/i],
  ['encoder-not-found', /Unknown encoder|Encoder \S+ not found|Encoder not found/i],
  ['decoder-not-found', /Unknown decoder|Decoder \([^)]*\) not found|Decoder not found/i],
  ['codec-not-supported', /codec not currently supported in container|Could not find tag for codec/i],
  ['invalid-data', /Invalid data found when processing input|error reading header|Invalid NAL unit size/i],
  [
    'invalid-option',
    /Unrecognized option|Option not found|Invalid argument|provided as input filename, but/i,
  ],
  [
    'unknown-format',
    /Unknown input format|Unable to find a suitable output format|Requested output format .* is not/i,
  ],
  [
    'network',
    /Connection refused|Connection timed out|Network is unreachable|Failed to resolve hostname|Server returned [45]\d\d/i,
  ],
  ['encoder-failed', /Error while opening encoder|Error initializing output stream|Could not open encoder/i],
  ['conversion-failed', /Conversion failed!/],
];

const MAX_LINE_CHARS = 300;

/**
 * Finds the most telling known failure line in a media tool's stderr (or in any message that
 * quotes it). Runs once per failed command, so it favours clarity over speed.
 */
export function parseMediaFailure(stderr: string): MediaFailure | undefined {
  for (const [kind, pattern] of PATTERNS) {
    const m = pattern.exec(stderr);
    if (m === null) continue;
    return { kind, line: lineAround(stderr, m.index) };
  }
  return undefined;
}

function lineAround(text: string, at: number): string {
  const start = Math.max(text.lastIndexOf('\n', at) + 1, text.lastIndexOf('\r', at) + 1);
  let end = text.indexOf('\n', at);
  if (end === -1) end = text.length;
  const cr = text.indexOf('\r', at);
  if (cr !== -1 && cr < end) end = cr;
  const line = text.slice(start, end).trim();
  return line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line;
}
