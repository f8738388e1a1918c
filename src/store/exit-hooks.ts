import { isMainThread } from 'node:worker_threads';

/** Something with a synchronous flush that never throws. */
export interface ExitFlushable {
  flushSync(): void;
  /** Called once the process is exiting, so later appends are written at once. */
  markExiting(): void;
}

const stores = new Set<ExitFlushable>();
/** Flushed before the stores: engines whose pending captures become store lines. */
const early = new Set<ExitFlushable>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let installed = false;

function flushAll(exiting: boolean): void {
  for (const s of [...early, ...stores]) {
    try {
      if (exiting) s.markExiting();
      s.flushSync();
    } catch {
      // flushSync never throws; this guard keeps one broken store from stopping the others.
    }
  }
}

function onExit(): void {
  flushAll(true);
}

/**
 * Flushes, then restores Node's default for the signal when nobody else listens: our listener is
 * removed and the same signal re-raised, so the process dies by that signal exactly as it would
 * have without us. When the app listens too, the exit is the app's call.
 */
function onSignal(signal: NodeJS.Signals): void {
  // Not marked as exiting: an app that handles the signal may well keep running.
  flushAll(false);
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  // First in line: a host 'exit' listener that throws stops the listeners after it.
  process.prependListener('exit', onExit);
  // Worker threads receive no signals; their 'exit' still fires when the worker ends.
  if (isMainThread) for (const sig of SIGNALS) process.prependListener(sig, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.removeListener('exit', onExit);
  for (const sig of SIGNALS) process.removeListener(sig, onSignal);
}

/**
 * Adds a store to the one shared set of exit hooks (listeners are added once per process).
 * `first` ones are flushed before the others (an engine before the stores it feeds).
 */
export function registerExitFlush(store: ExitFlushable, first = false): void {
  (first ? early : stores).add(store);
  install();
}

/** Removes a store; the process listeners go when none is left. */
export function unregisterExitFlush(store: ExitFlushable): void {
  stores.delete(store);
  early.delete(store);
  if (stores.size === 0 && early.size === 0) uninstall();
}
