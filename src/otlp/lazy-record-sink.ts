import { reportInternalError, reportOnce } from '../diag/diagnostics.js';
import type { ErrorEngine } from '../engine/error-engine.js';
import type { ErrorRecord } from '../record.js';

/** Records kept while the consumer loads; past it they are counted and left to the store. */
export const MAX_EARLY_RECORDS = 2048;

/** How a lazily loaded consumer of an engine's records is set up. */
export interface LazyRecordSinkOptions<T> {
  /** Loads the consumer (an `import()` and whatever it builds), on a later turn than the caller's. */
  load: () => Promise<T>;
  /** What the loaded consumer does with a record. */
  take: (consumer: T, record: ErrorRecord) => void;
  /** The stderr line and its key when loading fails. */
  failure: { key: string; what: string };
  /** Told how many records did not fit while it loaded (none when all did). */
  overflow?: (count: number) => void;
}

/**
 * Hands every record of `engine` to a consumer loaded with `import()`, so that nothing of it
 * loads on the caller's turn. Records accepted meanwhile wait in a bounded queue and are handed
 * over in order once it has loaded. Resolves to the consumer, or undefined when it could not
 * load (said once). Never throws into the engine.
 */
export function lazyRecordSink<T>(engine: ErrorEngine, o: LazyRecordSinkOptions<T>): Promise<T | undefined> {
  let early: ErrorRecord[] | undefined = [];
  let loaded: T | undefined;
  let failed = false;
  let overflow = 0;
  const take = (consumer: T, record: ErrorRecord): void => {
    try {
      o.take(consumer, record);
    } catch (err) {
      reportInternalError(o.failure.key, err);
    }
  };
  engine.subscribe((record) => {
    if (loaded !== undefined) take(loaded, record);
    else if (failed) return;
    else if (early !== undefined && early.length < MAX_EARLY_RECORDS) early.push(record);
    else overflow++;
  });
  return o.load().then(
    (consumer) => {
      for (const record of early ?? []) take(consumer, record);
      early = undefined;
      loaded = consumer;
      if (overflow > 0) o.overflow?.(overflow);
      return consumer;
    },
    (err: unknown) => {
      failed = true;
      early = undefined;
      reportOnce(o.failure.key, `${o.failure.what} could not be loaded: ${String(err)}`);
      return undefined;
    },
  );
}
