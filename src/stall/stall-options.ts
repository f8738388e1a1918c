/** Event-loop stall detection: a block longer than the threshold becomes a record of its own. */
export interface StallOptions {
  /** Milliseconds the event loop must be blocked before the block is recorded (at least 50). @default 2000 */
  thresholdMs?: number;
  /**
   * Take the main thread's stack during the block through the inspector, from the watchdog
   * thread. Off by itself when a debugger port is open (`--inspect`), so a developer's
   * debugger is never paused by us. @default true
   */
  captureStack?: boolean;
  /**
   * A block still going after this many ms is recorded while it lasts (from the paused main
   * thread, written at once), so a process that never comes back and is killed by its
   * supervisor still leaves its record; the end of that block adds none. `0` records blocks
   * only when they end. Needs `captureStack`. @default 10000
   */
  hungAfterMs?: number;
}

/** Defaults of {@link StallOptions}. */
export const DEFAULT_STALL_OPTIONS = { thresholdMs: 2000, captureStack: true, hungAfterMs: 10_000 } as const;

/** {@link StallOptions} with every default applied. */
export interface ResolvedStallOptions {
  readonly thresholdMs: number;
  readonly captureStack: boolean;
  readonly hungAfterMs: number;
}

const KEYS = Object.keys(DEFAULT_STALL_OPTIONS);

/** Validates the `stall` option: `true` means the defaults, `false` or absent means off (unless on by default). */
export function resolveStallOptions(
  value: StallOptions | boolean | undefined,
  onByDefault: boolean,
): ResolvedStallOptions | false {
  if (value === undefined) value = onByDefault;
  if (value === false) return false;
  if (value === true) value = {};
  if (value === null || typeof value !== 'object') {
    throw new TypeError(
      'error-insight: stall must be a boolean or an options object such as { thresholdMs: 2000 }',
    );
  }
  const unknown = Object.keys(value).find((k) => !KEYS.includes(k));
  if (unknown !== undefined) {
    throw new TypeError(
      `error-insight: unknown stall option ${JSON.stringify(unknown)}; known: ${KEYS.join(', ')}`,
    );
  }
  const thresholdMs = value.thresholdMs ?? DEFAULT_STALL_OPTIONS.thresholdMs;
  if (typeof thresholdMs !== 'number' || !Number.isFinite(thresholdMs) || thresholdMs < 50) {
    throw new RangeError(
      `error-insight: stall.thresholdMs must be a number of ms of at least 50, got ${String(thresholdMs)}`,
    );
  }
  const captureStack = value.captureStack ?? DEFAULT_STALL_OPTIONS.captureStack;
  if (typeof captureStack !== 'boolean')
    throw new TypeError('error-insight: stall.captureStack must be a boolean');
  const hungAfterMs = value.hungAfterMs ?? Math.max(DEFAULT_STALL_OPTIONS.hungAfterMs, thresholdMs);
  if (
    typeof hungAfterMs !== 'number' ||
    !Number.isFinite(hungAfterMs) ||
    (hungAfterMs !== 0 && hungAfterMs < thresholdMs)
  ) {
    throw new RangeError(
      `error-insight: stall.hungAfterMs must be 0 or a number of ms of at least thresholdMs (${thresholdMs}), got ${String(hungAfterMs)}`,
    );
  }
  return { thresholdMs, captureStack, hungAfterMs };
}
