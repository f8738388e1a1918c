import { reportOnce } from '../diag/diagnostics.js';
import type { ErrorRecord, ExceptionInfo } from '../record.js';
import { compileIgnorePatterns, type IgnoreErrorPattern, isIgnored } from './ignore-patterns.js';

/**
 * The `beforeRecord` hook: called with each complete record before any sink sees it. Return
 * the record (changed or not, or another one) to keep it, `null` to drop it.
 */
export type BeforeRecordHook = (record: ErrorRecord) => ErrorRecord | null;

/** What the filter turned away, for the engine's stats. */
export interface FilterStats {
  /** Records that matched `ignoreErrors`. */
  ignored: number;
  /** Records the `beforeRecord` hook returned `null` for. */
  dropped: number;
  /** Calls of the hook that threw or returned something other than an object or `null` (those records were kept). */
  hookFailures: number;
}

/**
 * `ignoreErrors` and `beforeRecord`, applied as a record completes and before the store, the
 * span event, the stats, the metrics and the pattern detector. Nothing here throws: a hook that
 * throws keeps its record, is counted, and is reported once.
 */
export class RecordFilter {
  private readonly patterns: ReturnType<typeof compileIgnorePatterns>;
  private readonly stats: FilterStats = { ignored: 0, dropped: 0, hookFailures: 0 };

  constructor(
    ignoreErrors: readonly IgnoreErrorPattern[] | undefined,
    private readonly hook: BeforeRecordHook | undefined,
  ) {
    this.patterns = compileIgnorePatterns(ignoreErrors);
    if (hook !== undefined && typeof hook !== 'function') {
      throw new TypeError(`error-insight: option "beforeRecord" must be a function, got ${typeof hook}`);
    }
  }

  /** True when the exception matches `ignoreErrors` (counted). */
  ignores(exception: ExceptionInfo): boolean {
    if (this.patterns.length === 0) return false;
    try {
      if (!isIgnored(this.patterns, exception)) return false;
    } catch {
      return false;
    }
    this.stats.ignored++;
    return true;
  }

  /** The record to keep (the hook's answer), or undefined when the hook dropped it. */
  apply(record: ErrorRecord): ErrorRecord | undefined {
    const hook = this.hook;
    if (hook === undefined) return record;
    let out: unknown;
    try {
      out = hook(record);
    } catch (err) {
      return this.failed(record, `threw (${describe(err)})`);
    }
    if (out === null) {
      this.stats.dropped++;
      return undefined;
    }
    if (typeof out !== 'object' || Array.isArray(out)) {
      return this.failed(
        record,
        `returned ${out === undefined ? 'undefined' : typeof out} instead of a record or null`,
      );
    }
    return out as ErrorRecord;
  }

  counts(): FilterStats {
    return { ...this.stats };
  }

  private failed(record: ErrorRecord, what: string): ErrorRecord {
    this.stats.hookFailures++;
    reportOnce('before-record', `the beforeRecord hook ${what}; the record was kept`);
    return record;
  }
}

function describe(err: unknown): string {
  try {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } catch {
    return 'unprintable value';
  }
}
