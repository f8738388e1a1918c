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
  let text = header;
  if (firstFrame >= 0) {
    let pos = firstFrame + 1;
    let kept = 0;
    while (pos < stack.length && kept < maxFrames) {
      const newline = stack.indexOf('\n', pos);
      const end = newline < 0 ? stack.length : newline;
      let line = stack.slice(pos, end);
      if (line.length > MAX_FRAME_CHARS) {
        line = truncateText(line, MAX_FRAME_CHARS);
        truncated = true;
      }
      text += `\n${line}`;
      kept++;
      pos = end + 1;
    }
    if (pos < stack.length) {
      let more = 1;
      for (let i = stack.indexOf('\n', pos); i >= 0 && i < stack.length - 1; i = stack.indexOf('\n', i + 1))
        more++;
      text += `\n    … ${more} more frames`;
      truncated = true;
    }
  }
  return { text: redactor.redactString(text), truncated };
}
