import type { Redactor } from './redactor.js';
import { truncateText } from './truncate-text.js';

/** Longest single frame line kept; V8 frames are rarely over 200 characters. */
const MAX_FRAME_CHARS = 1024;
const FRAME_START = '\n    at ';

/** A stack trace cut to a number of frames, and whether anything was cut. */
export interface BoundedStack {
  text: string;
  truncated: boolean;
}

/**
 * Keeps the stack's header (the `Type: message` lines, cut to `maxHeaderChars`) and its first
 * `maxFrames` frames, then one `    … N more frames` line; the result is redacted. Scans with
 * indexOf only, so a 100k-frame stack costs one pass and no array of all its lines.
 */
export function boundStack(
  stack: string,
  maxFrames: number,
  maxHeaderChars: number,
  redactor: Redactor,
): BoundedStack {
  let truncated = false;
  const firstFrame = stack.indexOf(FRAME_START);
  let header = firstFrame < 0 ? stack : stack.slice(0, firstFrame);
  if (header.length > maxHeaderChars) {
    header = truncateText(header, maxHeaderChars);
    truncated = true;
  }
  header = redactor.redactString(header);
  if (firstFrame < 0) return { text: header, truncated };
  // Frames are cut out as one slice (no per-line copies) unless a line is too long.
  let pos = firstFrame;
  let kept = 0;
  let longLine = false;
  while (kept < maxFrames) {
    const next = stack.indexOf('\n', pos + 1);
    const end = next < 0 ? stack.length : next;
    if (end - pos - 1 > MAX_FRAME_CHARS) longLine = true;
    kept++;
    pos = end;
    if (next < 0) break;
  }
  let frames = longLine ? cutLongLines(stack.slice(firstFrame, pos)) : stack.slice(firstFrame, pos);
  if (longLine) truncated = true;
  if (pos < stack.length) {
    let more = 0;
    for (let i = pos; i >= 0 && i < stack.length - 1; i = stack.indexOf('\n', i + 1)) more++;
    frames += `\n    … ${more} more frames`;
    truncated = true;
  }
  return { text: header + redactor.redactRecurring(frames), truncated };
}

function cutLongLines(frames: string): string {
  return frames
    .split('\n')
    .map((line) => (line.length > MAX_FRAME_CHARS ? truncateText(line, MAX_FRAME_CHARS) : line))
    .join('\n');
}
