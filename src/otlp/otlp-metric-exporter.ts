import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type {
  AggregationTemporality,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { reportOnce } from '../diag/diagnostics.js';
import type { ExportGate } from './export-gate.js';
import type { OtlpSignalSettings } from './otlp-exporter-factory.js';

type Exporter = {
  export(items: ResourceMetrics, done: (result: ExportResult) => void): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
};

/**
 * The OTLP metric exporter error-insight installs when a metrics endpoint is configured; the
 * OTLP modules are loaded with `import()` on the first export (a minute after start by default).
 */
export class OtlpMetricExporter implements PushMetricExporter {
  private real: Promise<Exporter | undefined> | undefined;
  private loaded: Exporter | undefined;
  private readonly load: () => Promise<Exporter>;

  constructor(
    settings: OtlpSignalSettings,
    gate: ExportGate,
    /** Asked when instruments are created, before the real exporter is loaded. */
    private readonly temporality: (type: InstrumentType) => AggregationTemporality,
  ) {
    this.load = () =>
      import('./otlp-exporter-factory.js').then((m) => m.createMetricExporter(settings, gate));
  }

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    this.real ??= this.load().then(
      (exporter) => {
        this.loaded = exporter;
        return exporter;
      },
      (err: unknown) => {
        reportOnce('otlp-load', `the OTLP metric exporter could not be loaded: ${String(err)}`);
        return undefined;
      },
    );
    void this.real.then((exporter) => {
      if (exporter === undefined)
        done({ code: ExportResultCode.FAILED, error: new Error('OTLP exporter unavailable') });
      else exporter.export(metrics, done);
    });
  }

  selectAggregationTemporality(type: InstrumentType): AggregationTemporality {
    return this.temporality(type);
  }

  async forceFlush(): Promise<void> {
    await this.loaded?.forceFlush();
  }

  async shutdown(): Promise<void> {
    await this.loaded?.shutdown();
  }
}
