import type { Context } from '@opentelemetry/api';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { Redactor } from '../capture/redactor.js';
import type { ExportCounters } from './export-counters.js';
import type { ExportGate } from './export-gate.js';
import type { OtlpSignalSettings } from './otlp-exporter-factory.js';
import { OtlpSpanExporter } from './otlp-span-exporter.js';

/**
 * The stock `BatchSpanProcessor` in front of an {@link OtlpSpanExporter}. The exporter takes
 * batches at once and sends them later, so the batch processor's own `forceFlush()` would
 * resolve before anything reached the collector: this one also waits for the exporter.
 */
export class OtlpSpanProcessor implements SpanProcessor {
  private readonly exporter: OtlpSpanExporter;
  private readonly batch: BatchSpanProcessor;

  /** `redactor`: the engine's, so exception events from any source are masked as records are. */
  constructor(
    settings: OtlpSignalSettings,
    gate: ExportGate,
    counters?: ExportCounters,
    redactor?: Redactor,
  ) {
    this.exporter = new OtlpSpanExporter(settings, gate, counters, redactor);
    this.exporter.preload();
    this.batch = new BatchSpanProcessor(this.exporter);
  }

  onStart(span: Span, parentContext: Context): void {
    this.batch.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.batch.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await this.batch.forceFlush();
    await this.exporter.forceFlush();
  }

  /** The batch processor flushes, then shuts the exporter down, which waits for its sends. */
  shutdown(): Promise<void> {
    return this.batch.shutdown();
  }
}
