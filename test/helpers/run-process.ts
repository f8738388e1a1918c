import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

type Argv = readonly string[];

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** `Date.now()` when the child exited (its output may close a moment later). */
  exitedAt: number;
}

export interface RunProcessOptions {
  /** @default this process's working directory */
  cwd?: string;
  /** The child's whole environment. @default this process's */
  env?: NodeJS.ProcessEnv;
  /** Node flags before the script, for {@link runNode} and {@link startNode}. @default none */
  execArgv?: readonly string[];
  /**
   * Kills the child (SIGKILL) after this many milliseconds: a clean-up for a child that never
   * ends, not an assertion (the test's own timeout fails it). @default never
   */
  killAfterMs?: number;
  /** Sees all stdout so far on each chunk, to act on the child while it runs. */
  onStdout?: (stdout: string, child: ChildProcessWithoutNullStreams) => void;
}

/** A started child with its output as it arrives. */
export interface RunningProcess {
  child: ChildProcessWithoutNullStreams;
  /** All output so far. */
  output: { stdout: string; stderr: string };
  /** Settles once the child ended and its output closed; rejects when it could not start. */
  done: Promise<ProcessResult>;
}

/** Starts a command (no stdin) and collects its output as text. */
export function startProcess(command: string, args: Argv, options: RunProcessOptions = {}): RunningProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as unknown as ChildProcessWithoutNullStreams;
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    output.stdout += d;
    options.onStdout?.(output.stdout, child);
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    output.stderr += d;
  });
  const guard =
    options.killAfterMs === undefined
      ? undefined
      : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
  let exitedAt = 0;
  child.on('exit', () => {
    exitedAt = Date.now();
    clearTimeout(guard);
  });
  const done = new Promise<ProcessResult>((resolve, reject) => {
    child.on('error', (e) => {
      clearTimeout(guard);
      reject(e);
    });
    child.on('close', (code, signal) => resolve({ code, signal, ...output, exitedAt }));
  });
  return { child, output, done };
}

/** Runs a command to completion (no stdin) and collects its output as text. */
export function runProcess(command: string, args: Argv, options?: RunProcessOptions): Promise<ProcessResult> {
  return startProcess(command, args, options).done;
}

/** Starts this Node binary on `script` with `options.execArgv` before it. */
export function startNode(script: string, args: Argv, options: RunProcessOptions = {}): RunningProcess {
  return startProcess(process.execPath, [...(options.execArgv ?? []), script, ...args], options);
}

/** Runs this Node binary on `script` to completion, with `options.execArgv` before it. */
export function runNode(script: string, args: Argv, options?: RunProcessOptions): Promise<ProcessResult> {
  return startNode(script, args, options).done;
}
