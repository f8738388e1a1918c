import { reportOnce } from '../diag/diagnostics.js';
import type { ErrorRecord } from '../record.js';
import type { ExportCounters } from './export-counters.js';
import type { ExportGate } from './export-gate.js';
import type { LogSender } from './otlp-log-sender.js';

/** First wait after a failed batch; doubled per failure up to the maximum. */
export const DELIVERY_INITIAL_BACKOFF_MS = 1000;
/** Longest wait between two attempts of one batch while the collector is away (a `Retry-After` may ask for longer). */
export const DELIVERY_MAX_BACKOFF_MS = 30_000;

/**
 * Delivers one batch of log records, trying again, for as long as it takes, while the collector
 * is away or answers 429/5xx: after the `Retry-After` it sends, else after a back-off that
 * doubles up to {@link DELIVERY_MAX_BACKOFF_MS}. `hurry()` (a flush) cuts the wait short for
 * one last attempt; a shutdown's drain makes a failed attempt final. A batch the collector
 * refuses for good (400, 401, 413…) is counted as dropped and reported once.
 */
export class BatchDelivery {
  private wake: (() => void) | undefined;
  /** Flushes under way: each one's `hurry` is undone by its own `calm`, so overlapping flushes all stay hurried. */
  private hurried = 0;

  constructor(
    private readonly sender: () => Promise<LogSender | undefined>,
    private readonly gate: ExportGate,
    private readonly counters: ExportCounters,
    private readonly maxBackoffMs = DELIVERY_MAX_BACKOFF_MS,
  ) {}

  /** Ends a back-off wait now; until the matching {@link calm}, a failed attempt is final. */
  hurry(): void {
    this.hurried++;
    this.wake?.();
  }

  calm(): void {
    if (this.hurried > 0) this.hurried--;
  }

  /** True when the batch is done with (sent, or refused for good); false when it must be sent again later. */
  async deliver(batch: readonly ErrorRecord[]): Promise<boolean> {
    let backoff = DELIVERY_INITIAL_BACKOFF_MS;
    for (;;) {
      if (this.gate.signal.aborted) return false;
      const sender = await this.sender();
      if (sender === undefined) return false;
      const result = await sender.send(batch).catch((error: unknown) => ({
        status: 'failure' as const,
        error: error instanceof Error ? error : new Error(String(error)),
      }));
      if (result.status === 'success') {
        this.counters.sentLogRecords += batch.length - result.rejected;
        if (result.rejected > 0) {
          this.counters.droppedLogRecords += result.rejected;
          reportOnce(
            'otlp-logs-rejected',
            'the collector rejected some log records (partial success); counted in stats',
          );
        }
        return true;
      }
      // Stopped by shutdown: the records stay in the store for the next run.
      if (this.gate.signal.aborted) return false;
      this.counters.failedRequests++;
      if (result.status === 'failure') {
        this.counters.droppedLogRecords += batch.length;
        reportOnce(
          'otlp-logs-refused',
          `the collector refused a batch of log records (${result.error.message}); those records stay in the local store only`,
        );
        return true;
      }
      if (this.gate.draining || this.hurried > 0) return false;
      reportOnce(
        'otlp-logs-waiting',
        'the collector is not accepting log records; they wait in the local store and are sent when it answers',
      );
      const wait = result.retryInMillis ?? backoff;
      backoff = Math.min(backoff * 2, this.maxBackoffMs);
      if (!(await this.sleep(wait))) return false;
      this.counters.retries++;
    }
  }

  /** An unref'd wait that `hurry()` and the gate's drain end early; false when the gate is aborted. */
  private async sleep(ms: number): Promise<boolean> {
    const cut = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    const ok = await Promise.race([this.gate.sleep(ms), cut.then(() => true)]);
    this.wake = undefined;
    return ok && !this.gate.signal.aborted;
  }
}
