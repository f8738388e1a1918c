import type { Resource } from '@opentelemetry/resources';
import { reportOnce } from '../diag/diagnostics.js';
import type { ErrorEngine } from '../engine/error-engine.js';
import type { ErrorRecord } from '../record.js';
import { BatchDelivery } from './batch-delivery.js';
import {
  DEFAULT_DURABLE_BATCH_SIZE,
  DEFAULT_DURABLE_DELAY_MS,
  DurableLogExporter,
} from './durable-log-exporter.js';
import { type ExceptionSignal, sendsAsLog } from './exception-signal.js';
import type { ExportCounters } from './export-counters.js';
import type { ExportGate } from './export-gate.js';
import { MemoryLogExporter } from './memory-log-exporter.js';
import type { OtlpSignalSettings } from './otlp-exporter-factory.js';
import type { LogSender } from './otlp-log-sender.js';

/** What `registerErrorInstrumentation` needs to send exceptions as OTLP log records. */
export interface OtlpLogExportSettings {
  settings: OtlpSignalSettings;
  signal: ExceptionSignal;
  /** Send from the local store with a saved position (when there is a store). */
  durable: boolean;
  retentionMs: number;
  batchSize?: number;
  delayMs?: number;
  /** The SDK's log record limits (`OTEL_LOGRECORD_ATTRIBUTE_*_LIMIT`). */
  limits?: { attributeValueLengthLimit?: number; attributeCountLimit?: number };
}

/**
 * Exceptions as OTLP log records for one registration: which records go (by the exception
 * signal), and how (from the store with {@link DurableLogExporter}, or from memory with
 * {@link MemoryLogExporter} when there is no store or durability is off). The SDK's logs
 * modules and the serializer load with `import()` on the first send.
 */
export class OtlpLogExport {
  private readonly exporter: DurableLogExporter | MemoryLogExporter;
  private sender: Promise<LogSender | undefined> | undefined;
  private loaded: LogSender | undefined;

  constructor(
    engine: ErrorEngine,
    s: OtlpLogExportSettings,
    gate: ExportGate,
    resource: Resource | undefined,
    counters: ExportCounters,
  ) {
    const load = (): Promise<LogSender | undefined> => {
      this.sender ??= import('./otlp-log-sender.js').then(
        (m) => {
          this.loaded = m.createLogSender(s.settings, gate, resource, counters, s.limits);
          return this.loaded;
        },
        (err: unknown) => {
          reportOnce('otlp-logs-load', `the OTLP log exporter could not be loaded: ${String(err)}`);
          return undefined;
        },
      );
      return this.sender;
    };
    const delivery = new BatchDelivery(load, gate, counters);
    const select = (record: ErrorRecord): boolean => sendsAsLog(s.signal, record);
    const batchSize = s.batchSize ?? DEFAULT_DURABLE_BATCH_SIZE;
    const delayMs = s.delayMs ?? DEFAULT_DURABLE_DELAY_MS;
    const store = engine.store;
    // A store that could not be opened keeps nothing to send from: the queue in memory takes over.
    if (s.durable && store !== undefined && store.stats().state !== 'unavailable') {
      const durable = new DurableLogExporter(
        { dir: store.dir, retentionMs: s.retentionMs, batchSize, delayMs },
        delivery,
        select,
        counters,
        () => engine.flush(),
      );
      durable.start();
      this.exporter = durable;
    } else {
      this.exporter = new MemoryLogExporter(delivery, select, counters, batchSize, Math.min(delayMs, 200));
    }
  }

  /** A record was accepted (called for every record; the exporter picks what it sends). */
  notify(record: ErrorRecord): void {
    this.exporter.notify(record);
  }

  forceFlush(): Promise<void> {
    // Sockets and back-off timers are unref'd: an awaited flush (bounded by the request timeout)
    // holds the process itself, or Node could exit under a top-level `await` with it unsettled.
    const hold = setInterval(() => {}, 60_000);
    return this.exporter.forceFlush().finally(() => clearInterval(hold));
  }

  async shutdown(): Promise<void> {
    await this.exporter.shutdown();
    this.loaded?.shutdown();
  }
}
