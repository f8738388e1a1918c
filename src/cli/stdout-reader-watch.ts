/**
 * Notices when the reader of a piped stdout goes away while nothing is being written.
 * Node learns of a closed pipe only from its next write (EPIPE), so `tail | head -n 1` would
 * wait for the next record before exiting. The kernel does flag the pipe (POLLERR on its write
 * end), but Node offers no way to poll it; GNU tail does poll it, so a `tail -f /dev/null`
 * sharing our stdout is killed by SIGPIPE the moment the reader leaves, and that is the signal
 * used here. Where GNU tail is missing, the next write's EPIPE still ends the command.
 */
import { spawn } from 'node:child_process';
import { fstatSync } from 'node:fs';

/** Calls `onGone` once the reader of stdout (a pipe) has closed it; returns a stop function. */
export function watchStdoutReader(onGone: () => void): () => void {
  let piped = false;
  try {
    piped = fstatSync(1).isFIFO();
  } catch {
    // No stdout to watch.
  }
  if (!piped) return () => {};
  let stopped = false;
  const child = spawn('tail', ['-f', '/dev/null', `--pid=${process.pid}`], {
    stdio: ['ignore', 'inherit', 'ignore'],
  });
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    // At once: the watcher holds the pipe open too, and its reader waits for every writer.
    child.kill();
  };
  child.on('error', () => {
    stopped = true;
  });
  child.on('exit', (_code, signal) => {
    // A tail that cannot run (no GNU options, say) exits with a usage code: not a closed pipe.
    if (!stopped && signal === 'SIGPIPE') onGone();
    stopped = true;
  });
  child.unref();
  process.once('exit', stop);
  return stop;
}
