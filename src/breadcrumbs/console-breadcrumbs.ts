import { pushBreadcrumb } from './breadcrumb-trails.js';

type ConsoleMethod = (...args: unknown[]) => void;
type Level = 'warn' | 'error';

const LEVELS: readonly Level[] = ['warn', 'error'];
let users = 0;
const installed = new Map<Level, { original: ConsoleMethod; wrapper: ConsoleMethod }>();

function wrap(level: Level): void {
  const original = console[level] as ConsoleMethod;
  const wrapper = function (this: unknown, ...args: unknown[]): void {
    // The arguments are kept as they are; they are formatted only if an error of this context completes.
    pushBreadcrumb({
      time: Date.now(),
      kind: 'console',
      name: level,
      data: args,
      durationMs: -1,
      status: 0,
      extra: undefined,
    });
    original.apply(this, args);
  };
  installed.set(level, { original, wrapper });
  console[level] = wrapper;
}

/**
 * Takes `console.warn` and `console.error` lines as breadcrumbs: the methods are wrapped (the
 * line is still printed by the method that was there before). The returned function removes
 * the wrappers once no logger needs them, unless someone replaced the method since.
 */
export function installConsoleBreadcrumbs(): () => void {
  if (users++ === 0) for (const level of LEVELS) wrap(level);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--users > 0) return;
    for (const [level, { original, wrapper }] of installed) {
      if (console[level] === wrapper) console[level] = original;
    }
    installed.clear();
  };
}
