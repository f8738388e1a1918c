/** Size limits applied to every captured error and its context. */
export interface CaptureLimits {
  /**
   * Nesting depth kept in context and error properties; deeper values become a short label.
   * @default 8
   */
  maxDepth: number;
  /**
   * Keys kept per object and items per array; the rest become a `"…": "N more"` marker.
   * @default 100
   */
  maxBreadth: number;
  /**
   * Characters kept per string value; longer ones end with `…[truncated N chars]`.
   * @default 8192
   */
  maxStringLength: number;
  /**
   * Characters kept of an exception message.
   * @default 8192
   */
  maxMessageLength: number;
  /**
   * Stack frames kept per stack trace; the rest become one `    … N more frames` line.
   * @default 50
   */
  maxStackFrames: number;
  /**
   * Errors kept of a `cause` chain.
   * @default 5
   */
  maxCauseDepth: number;
  /**
   * Members kept of an AggregateError.
   * @default 10
   */
  maxAggregateErrors: number;
  /**
   * UTF-8 bytes of one serialized record; a larger record is pruned until it fits.
   * @default 65536
   */
  maxRecordBytes: number;
}

/** The limits used when none are given. */
export const DEFAULT_CAPTURE_LIMITS: Readonly<CaptureLimits> = Object.freeze({
  maxDepth: 8,
  maxBreadth: 100,
  maxStringLength: 8192,
  maxMessageLength: 8192,
  maxStackFrames: 50,
  maxCauseDepth: 5,
  maxAggregateErrors: 10,
  maxRecordBytes: 65536,
});

/**
 * Smallest accepted value per limit. A record needs about 1 KiB for its fixed fields, and a
 * string limit below 32 would leave no room for the truncation marker.
 */
const MINIMUMS: Readonly<CaptureLimits> = {
  maxDepth: 1,
  maxBreadth: 1,
  maxStringLength: 32,
  maxMessageLength: 32,
  maxStackFrames: 1,
  maxCauseDepth: 0,
  maxAggregateErrors: 0,
  maxRecordBytes: 2048,
};

/** The serializer recurses once per level: a cap keeps it far from the stack limit. */
const MAX_DEPTH = 64;

const LIMIT_NAMES = Object.keys(DEFAULT_CAPTURE_LIMITS) as Array<keyof CaptureLimits>;

/**
 * Merges `options` over {@link DEFAULT_CAPTURE_LIMITS} and validates the result.
 * @throws TypeError when options is not an object, names an unknown limit, or a value is not an integer.
 * @throws RangeError when a value is below its minimum.
 */
export function resolveCaptureLimits(options?: Partial<CaptureLimits>): Readonly<CaptureLimits> {
  if (options === undefined) return DEFAULT_CAPTURE_LIMITS;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError('capture limits must be an object');
  }
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(DEFAULT_CAPTURE_LIMITS, key)) {
      throw new TypeError(`unknown capture limit "${key}"; known limits: ${LIMIT_NAMES.join(', ')}`);
    }
  }
  const resolved = { ...DEFAULT_CAPTURE_LIMITS };
  for (const name of LIMIT_NAMES) {
    const value = options[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new TypeError(`capture limit ${name} must be an integer, got ${describe(value)}`);
    }
    if (value < MINIMUMS[name]) {
      throw new RangeError(`capture limit ${name} must be at least ${MINIMUMS[name]}, got ${value}`);
    }
    if (name === 'maxDepth' && value > MAX_DEPTH) {
      throw new RangeError(`capture limit maxDepth must be at most ${MAX_DEPTH}, got ${value}`);
    }
    resolved[name] = value;
  }
  return Object.freeze(resolved);
}

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value;
}
