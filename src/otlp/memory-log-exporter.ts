import { reportInternalError, reportOnce } from '../diag/diagnostics.js';
import type { ErrorRecord } from '../record.js';
import type { BatchDelivery } from './batch-delivery.js';
import type { ExportCounters } from './export-counters.js';

/** Records waiting at most, with no store to keep them; past it new ones are dropped and counted. */
export const MAX_QUEUED_LOG_RECORDS = 2048;

/**
 * The log record exporter of a logger without a local store: a bounded queue in memory, sent
 * in batches with the same retries as the durable exporter. Records that do not fit are
 * dropped, counted and reported once; nothing survives the process.
 */
export class MemoryLogExporter {
  private queue: ErrorRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private inFlight = 0;
  private stopped = false;

  constructor(
    private readonly delivery: BatchDelivery,
    private readonly select: (record: ErrorRecord) => boolean,
    private readonly counters: ExportCounters,
    private readonly batchSize: number,
    private readonly delayMs: number,
  ) {
    counters.addQueue(() => this.queue.length + this.inFlight);
  }

  notify(record: ErrorRecord): void {
    if (!this.select(record)) return;
    if (this.queue.length + this.inFlight >= MAX_QUEUED_LOG_RECORDS) {
      this.counters.droppedLogRecords++;
      reportOnce('otlp-logs-queue-full', 'OTLP log record queue full (no local store): records dropped');
      return;
    }
    this.queue.push(record);
    if (this.running === undefined) this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, this.delayMs);
    this.timer.unref();
  }

  async forceFlush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.delivery.hurry();
    try {
      await this.running;
      await this.run();
    } finally {
      this.delivery.calm();
    }
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.stopped = true;
  }

  private run(): Promise<void> {
    this.running ??= (async () => {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.batchSize);
        this.inFlight = batch.length;
        const done = await this.delivery.deliver(batch);
        this.inFlight = 0;
        if (!done) {
          this.queue.unshift(...batch);
          return;
        }
      }
    })()
      .catch((err: unknown) => reportInternalError('OTLP log export', err))
      .finally(() => {
        this.running = undefined;
        // A batch that could not go (a flush's last attempt failed) is tried again later, not
        // only when the next record comes.
        if (this.queue.length > 0) this.schedule();
      });
    return this.running;
  }
}
