import { basename } from 'node:path';
import type { MediaFailure } from './media-failure.js';

/** Stable codes of a {@link MediaCommandError}. */
export type MediaCommandErrorCode =
  /** The command ran and exited non-zero or was killed by a signal. */
  | 'ERR_MEDIA_COMMAND_FAILED'
  /** The command ran past `timeoutMs` and was killed. */
  | 'ERR_MEDIA_COMMAND_TIMEOUT'
  /** The command was cancelled through its AbortSignal. */
  | 'ERR_MEDIA_COMMAND_ABORTED'
  /** The command could not be started (not installed, not executable); `cause` holds the spawn error. */
  | 'ERR_MEDIA_COMMAND_NOT_STARTED';

/** What a {@link MediaCommandError} is built from; `command`, `args` and `stderrTail` already redacted. */
export interface MediaCommandErrorFields {
  code: MediaCommandErrorCode;
  command: string;
  args: readonly string[];
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  stderrTail: string;
  mediaFailure?: MediaFailure | undefined;
  timeoutMs?: number | undefined;
  cause?: unknown;
}

/**
 * A failed child process, with the evidence to tell failures apart: exit code or signal, duration,
 * redacted arguments, a bounded stderr tail, and the known ffmpeg/ffprobe failure line found in
 * it. The failure kind is part of the message, so two encoder failures from the same call site
 * get different fingerprints (and classifications) even after a round trip through OpenTelemetry.
 */
export class MediaCommandError extends Error {
  readonly code: MediaCommandErrorCode;
  /** The command, with user home paths and secrets redacted. */
  readonly command: string;
  /** The arguments, with user home paths and secrets redacted. */
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly durationMs: number;
  /** The last bytes of stderr (redacted), starting at a line boundary when it was cut. */
  readonly stderrTail: string;
  /** The known failure line found in stderr, if any. */
  declare readonly mediaFailure?: MediaFailure;

  constructor(fields: MediaCommandErrorFields) {
    super(messageOf(fields), fields.cause === undefined ? undefined : { cause: fields.cause });
    this.code = fields.code;
    this.command = fields.command;
    this.args = Object.freeze([...fields.args]);
    this.exitCode = fields.exitCode;
    this.signal = fields.signal;
    this.durationMs = fields.durationMs;
    this.stderrTail = fields.stderrTail;
    if (fields.mediaFailure !== undefined) this.mediaFailure = fields.mediaFailure;
  }
}

// On the prototype, like the built-in errors: an own `name` would be one more enumerable field
// for serializers to copy into every record.
Object.defineProperty(MediaCommandError.prototype, 'name', {
  value: 'MediaCommandError',
  writable: true,
  configurable: true,
});

/** ffmpeg prefixes lines with a component and a pointer (`[mov,mp4 @ 0x55b0…]`) that changes every run. */
const COMPONENT_POINTER = /\[([^\]@]*?) @ 0x[0-9a-fA-F]+\]/g;
/** `<path or url>: <strerror>`: the path differs per video, the reason is what groups. */
const PATH_PREFIX =
  /^.+?: ((?:No such file|Invalid data|Permission denied|Operation not permitted|No space left|Cannot allocate|Invalid argument|Connection refused|Connection timed out|Network is unreachable|Server returned).*)$/;

/** The failure line as it goes into a message: without the run-specific pointer and the file path. */
export function summarizeFailureLine(line: string): string {
  const cleaned = line.replace(COMPONENT_POINTER, '[$1]');
  return PATH_PREFIX.exec(cleaned)?.[1] ?? cleaned;
}

function messageOf(f: MediaCommandErrorFields): string {
  const name = basename(f.command) || f.command;
  let head: string;
  switch (f.code) {
    case 'ERR_MEDIA_COMMAND_TIMEOUT':
      head = `${name} timed out after ${f.timeoutMs ?? '?'} ms`;
      break;
    case 'ERR_MEDIA_COMMAND_ABORTED':
      head = `${name} was aborted`;
      break;
    case 'ERR_MEDIA_COMMAND_NOT_STARTED':
      head = `${name} could not be started`;
      break;
    default:
      head =
        f.signal !== null ? `${name} was killed by ${f.signal}` : `${name} exited with code ${f.exitCode}`;
  }
  if (f.code === 'ERR_MEDIA_COMMAND_NOT_STARTED') {
    const code = (f.cause as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? `${head} (${code})` : head;
  }
  if (f.mediaFailure === undefined) return head;
  return `${head} (media failure: ${f.mediaFailure.kind}): ${summarizeFailureLine(f.mediaFailure.line)}`;
}
