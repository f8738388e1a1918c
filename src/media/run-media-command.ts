import { performance } from 'node:perf_hooks';
import { redactCommandArgs, redactCommandText } from './command-redaction.js';
import { MediaCommandError, type MediaCommandErrorCode } from './media-command-error.js';
import { parseMediaFailure } from './media-failure.js';
import { StderrTail } from './stderr-tail.js';

/** Options of {@link runMediaCommand}. */
export interface RunMediaCommandOptions {
  /** Kill the command (SIGTERM, then SIGKILL 2 s later) after this many ms. @default no timeout */
  timeoutMs?: number;
  /** Working directory. @default the current one */
  cwd?: string;
  /** How much of the end of stderr to keep and parse. @default 4096 */
  stderrTailBytes?: number;
  /** Cancels the command: it is killed like on a timeout and the promise rejects. */
  signal?: AbortSignal;
  /** Environment of the command. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** What a command that exited with code 0 produced. */
export interface MediaCommandResult {
  /** All of stdout (ffprobe's JSON, for instance). */
  stdout: string;
  /** The last `stderrTailBytes` of stderr, unredacted. */
  stderr: string;
  durationMs: number;
}

export const DEFAULT_STDERR_TAIL_BYTES = 4096;
const MAX_STDERR_TAIL_BYTES = 1024 * 1024;
/** Time between SIGTERM and SIGKILL: ffmpeg finalises its output on SIGTERM, which can take a moment. */
const KILL_GRACE_MS = 2000;

interface ResolvedRunMediaCommandOptions {
  timeoutMs: number | undefined;
  cwd: string | undefined;
  stderrTailBytes: number;
  signal: AbortSignal | undefined;
  env: NodeJS.ProcessEnv;
}

/** Applies defaults; a bad option is a TypeError/RangeError thrown before anything is spawned. */
export function resolveRunMediaCommandOptions(
  options: RunMediaCommandOptions = {},
): ResolvedRunMediaCommandOptions {
  const { timeoutMs, cwd, stderrTailBytes = DEFAULT_STDERR_TAIL_BYTES, signal, env = process.env } = options;
  if (
    timeoutMs !== undefined &&
    !(typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0)
  ) {
    throw new RangeError('timeoutMs must be a positive number of milliseconds');
  }
  if (!Number.isInteger(stderrTailBytes) || stderrTailBytes < 0 || stderrTailBytes > MAX_STDERR_TAIL_BYTES) {
    throw new RangeError(`stderrTailBytes must be an integer from 0 to ${MAX_STDERR_TAIL_BYTES}`);
  }
  if (cwd !== undefined && typeof cwd !== 'string') throw new TypeError('cwd must be a string');
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new TypeError('signal must be an AbortSignal');
  if (env === null || typeof env !== 'object') throw new TypeError('env must be an object');
  return { timeoutMs, cwd, stderrTailBytes, signal, env };
}

/**
 * Runs a command (ffmpeg, ffprobe, anything) without a shell and resolves with its output when
 * it exits with code 0. Otherwise rejects with a {@link MediaCommandError} carrying the exit code
 * or signal, the duration, the redacted arguments, a bounded stderr tail and the ffmpeg failure
 * line found in it. Bad arguments reject with a TypeError/RangeError.
 */
export async function runMediaCommand(
  command: string,
  args: string[],
  options?: RunMediaCommandOptions,
): Promise<MediaCommandResult> {
  if (typeof command !== 'string' || command === '')
    throw new TypeError('command must be a non-empty string');
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
    throw new TypeError('args must be an array of strings');
  }
  const opts = resolveRunMediaCommandOptions(options);
  // child_process (net and dgram with it) loads with the first command, not with the package.
  const { spawn } = await import('node:child_process');
  const started = performance.now();
  // A command refused before it started ran for no time at all.
  let spawned = false;
  const fail = (
    code: MediaCommandErrorCode,
    exitCode: number | null,
    signal: string | null,
    tail: string,
    cause?: unknown,
  ): MediaCommandError => {
    const stderrTail = redactCommandText(tail);
    return new MediaCommandError({
      code,
      command: redactCommandText(command),
      args: redactCommandArgs(args),
      exitCode,
      signal,
      durationMs: spawned ? elapsed(started) : 0,
      stderrTail,
      mediaFailure: code === 'ERR_MEDIA_COMMAND_NOT_STARTED' ? undefined : parseMediaFailure(stderrTail),
      timeoutMs: opts.timeoutMs,
      cause,
    });
  };
  if (opts.signal?.aborted) throw fail('ERR_MEDIA_COMMAND_ABORTED', null, null, '', opts.signal.reason);

  return new Promise<MediaCommandResult>((resolve, reject) => {
    spawned = true;
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const stdout: Buffer[] = [];
    const stderr = new StderrTail(opts.stderrTailBytes);
    let ended: 'timeout' | 'abort' | undefined;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const terminate = (why: 'timeout' | 'abort'): void => {
      if (ended !== undefined || settled) return;
      ended = why;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const timer =
      opts.timeoutMs === undefined ? undefined : setTimeout(() => terminate('timeout'), opts.timeoutMs);
    timer?.unref();
    const onAbort = (): void => terminate('abort');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (): void => {
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      if (killTimer !== undefined) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
    };

    // A pipe error surfaces as a failed exit anyway; unheard, it would crash the host instead.
    child.stdout.on('error', ignore);
    child.stderr.on('error', ignore);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (err) => {
      if (settled) return;
      // 'error' without a pid: the process never started. With a pid it is a failed kill, ignored.
      if (child.pid !== undefined) return;
      finish();
      reject(fail('ERR_MEDIA_COMMAND_NOT_STARTED', null, null, '', err));
    });
    child.on('close', (exitCode, signal) => {
      if (settled) return;
      finish();
      const tail = stderr.text();
      if (ended === 'timeout') return reject(fail('ERR_MEDIA_COMMAND_TIMEOUT', exitCode, signal, tail));
      if (ended === 'abort') {
        return reject(fail('ERR_MEDIA_COMMAND_ABORTED', exitCode, signal, tail, opts.signal?.reason));
      }
      if (exitCode !== 0) return reject(fail('ERR_MEDIA_COMMAND_FAILED', exitCode, signal, tail));
      resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: tail, durationMs: elapsed(started) });
    });
  });
}

function ignore(): void {}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 10) / 10;
}
