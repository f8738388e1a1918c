/**
 * What the version 1 and version 2 frame parsers read alike: the frame lines of a V8 stack
 * trace's first block, and the function and location of one line. Each parser decides on its
 * own what a location means and which other lines end the block. A change here changes
 * version 1 fingerprints, which must never move: what differs between versions goes in the
 * parsers.
 */

/** The text after `at ` of a frame line, as V8 printed it: `fn (location)` or `location`. */
export interface FrameBody {
  /** The function part, `''` when the line names none. */
  rawFunction: string;
  location: string;
}

/** Splits the text after `at ` into its function part and its location. */
export function splitFrameBody(body: string): FrameBody {
  if (body.endsWith(')')) {
    const open = body.indexOf(' (');
    if (open !== -1) return { rawFunction: body.slice(0, open), location: body.slice(open + 2, -1) };
  }
  return { rawFunction: '', location: body };
}

/** A function name without `async ` and ` [as alias]`; `<anonymous>` when none. */
export function cleanFunctionName(raw: string): string {
  let fn = raw;
  if (fn.startsWith('async ')) fn = fn.slice(6);
  const alias = fn.indexOf(' [as ');
  if (alias !== -1) fn = fn.slice(0, alias);
  return fn === '' ? '<anonymous>' : fn;
}

/**
 * Calls `visit` with each trimmed `at …` line of the first frame block of `stacktrace`, until
 * `visit` returns false or a line that is not a frame ends the block (`endsBlock` says which
 * lines do). Lines before the first frame (the message) are skipped.
 */
export function forEachFrameLine(
  stacktrace: string,
  endsBlock: (line: string) => boolean,
  visit: (line: string) => boolean,
): void {
  let inBlock = false;
  let start = 0;
  while (start <= stacktrace.length) {
    let end = stacktrace.indexOf('\n', start);
    if (end === -1) end = stacktrace.length;
    const line = stacktrace.slice(start, end).trim();
    start = end + 1;
    if (line.startsWith('at ')) {
      inBlock = true;
      if (!visit(line)) return;
    } else if (inBlock && line !== '' && endsBlock(line)) {
      return;
    }
  }
}
