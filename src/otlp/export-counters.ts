/** What error-insight's own OTLP export did, as `getErrorStats().export` shows it. */
export interface OtlpExportStats {
  /** Spans and log records the collector accepted. */
  sent: { spans: number; logRecords: number };
  /** Export requests that failed for good (after their retries). */
  failedRequests: number;
  /** Attempts repeated after a retryable failure (network error, 429, 502–504). */
  retries: number;
  /** Spans and log records waiting in memory to be sent. */
  queued: number;
  /** The store-backed log exporter: records known to be in the store and not sent yet, and the age of the oldest. */
  durable: { pendingRecords: number; lagMs: number };
  /** Spans and log records given up: queue full, refused by the collector, or older than the retention. */
  dropped: number;
  /** Of those, records the durable exporter gave up because they were older than the retention (or their file was removed first). */
  expired: number;
  /** Attribute values the log SDK cut to its length limit, plus attributes over its count limit. */
  truncatedAttributes: number;
}

/** The mutable counters behind {@link OtlpExportStats}; every exporter of one registration shares them. */
export class ExportCounters {
  sentSpans = 0;
  sentLogRecords = 0;
  failedRequests = 0;
  retries = 0;
  droppedSpans = 0;
  droppedLogRecords = 0;
  expired = 0;
  truncatedAttributes = 0;
  /** Read when stats are asked for: each queue reports its own depth. */
  private readonly queues: Array<() => number> = [];
  private durableState: () => { pendingRecords: number; lagMs: number } = () => ({
    pendingRecords: 0,
    lagMs: 0,
  });

  addQueue(depth: () => number): void {
    this.queues.push(depth);
  }

  setDurable(state: () => { pendingRecords: number; lagMs: number }): void {
    this.durableState = state;
  }

  snapshot(): OtlpExportStats {
    let queued = 0;
    for (const depth of this.queues) queued += depth();
    return {
      sent: { spans: this.sentSpans, logRecords: this.sentLogRecords },
      failedRequests: this.failedRequests,
      retries: this.retries,
      queued,
      durable: this.durableState(),
      dropped: this.droppedSpans + this.droppedLogRecords,
      expired: this.expired,
      truncatedAttributes: this.truncatedAttributes,
    };
  }
}
