/** Node clamps delays above 2^31-1 ms to 1 ms (TimeoutOverflowWarning), so longer waits are chunked. */
export const MAX_TIMER_CHUNK_MS = 24 * 60 * 60 * 1000;

/** A cancellable, unref'd timer. */
export interface LongTimer {
  cancel(): void;
}

/**
 * Calls `fn` once after `delayMs` (any length), waiting in chunks of at most 24 h and checking
 * the clock after each chunk, so neither the overflow clamp nor a sleeping laptop fires it early.
 */
export function setLongTimeout(fn: () => void, delayMs: number, now: () => number = Date.now): LongTimer {
  const due = now() + delayMs;
  let handle: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = (): void => {
    const left = due - now();
    if (left <= 0) {
      if (!cancelled) fn();
      return;
    }
    handle = setTimeout(arm, Math.min(left, MAX_TIMER_CHUNK_MS));
    handle.unref();
  };
  arm();
  return {
    cancel: () => {
      cancelled = true;
      if (handle) clearTimeout(handle);
    },
  };
}
