import type { Resource } from '@opentelemetry/resources';
import type { ErrorEngine } from '../engine/error-engine.js';
import type { ExportCounters } from './export-counters.js';
import type { ExportGate } from './export-gate.js';
import { lazyRecordSink } from './lazy-record-sink.js';
import type { OtlpLogExport, OtlpLogExportSettings } from './otlp-log-export.js';

/**
 * Loads the log export (durable exporter, queue, delivery) with `import()` on a later turn, so a
 * registration with a logs endpoint loads none of it on the caller's turn. Records accepted
 * meanwhile are handed over once it has loaded (past the bound of the wait, the durable
 * exporter reads them from the store anyway).
 */
export class LogExportLoader {
  private readonly ready: Promise<OtlpLogExport | undefined>;

  constructor(
    engine: ErrorEngine,
    settings: OtlpLogExportSettings,
    gate: ExportGate,
    resource: Resource | undefined,
    counters: ExportCounters,
  ) {
    this.ready = lazyRecordSink(engine, {
      load: async () => {
        const m = await import('./otlp-log-export.js');
        return new m.OtlpLogExport(engine, settings, gate, resource, counters);
      },
      take: (exporter, record) => exporter.notify(record),
      failure: { key: 'otlp-logs-load', what: 'the OTLP log export' },
    });
  }

  async forceFlush(): Promise<void> {
    await (await this.ready)?.forceFlush();
  }

  async shutdown(): Promise<void> {
    await (await this.ready)?.shutdown();
  }
}
