/** One frame of the main thread's stack as the inspector gave it (1-based line and column). */
export interface StallFrame {
  functionName: string;
  url: string;
  line: number;
  column: number;
}

/** The stable `code` of a stall record's exception. */
export const EVENT_LOOP_STALL_CODE = 'ERR_EVENT_LOOP_STALL';

function frameLine(f: StallFrame): string {
  const location = `${f.url || '<anonymous>'}:${f.line}:${f.column}`;
  return f.functionName === '' ? `    at ${location}` : `    at ${f.functionName} (${location})`;
}

/**
 * What a stall record holds as its exception: the block's duration, and as its stack the main
 * thread's frames during the block, written as V8 writes a stack so that grouping and reports
 * read them like any other (the blocking function first).
 */
export class EventLoopStallError extends Error {
  readonly code = EVENT_LOOP_STALL_CODE;
  /** How long the loop was blocked, ms (to within the heartbeat period). */
  readonly blockedMs: number;
  readonly thresholdMs: number;

  constructor(blockedMs: number, thresholdMs: number, frames: readonly StallFrame[] | undefined) {
    super(`The event loop was blocked for ${blockedMs} ms (threshold ${thresholdMs} ms)`);
    this.name = 'EventLoopStallError';
    this.blockedMs = blockedMs;
    this.thresholdMs = thresholdMs;
    const head = `${this.name}: ${this.message}`;
    this.stack =
      frames === undefined || frames.length === 0 ? head : `${head}\n${frames.map(frameLine).join('\n')}`;
  }
}
