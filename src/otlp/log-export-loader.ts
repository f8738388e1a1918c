import type { Resource } from '@opentelemetry/resources';
import { reportOnce } from '../diag/diagnostics.js';
import type { ErrorEngine } from '../engine/error-engine.js';
import type { ErrorRecord } from '../record.js';
import type { ExportCounters } from './export-counters.js';
import type { ExportGate } from './export-gate.js';
import type { OtlpLogExport, OtlpLogExportSettings } from './otlp-log-export.js';

/** Records noted while the log export modules load; the durable exporter reads the store anyway. */
const MAX_EARLY_RECORDS = 2048;

/**
 * Loads the log export (durable exporter, queue, delivery) with `import()` on a later turn, so a
 * registration with a logs endpoint loads none of it on the caller's turn. Records accepted
 * meanwhile are handed over once it has loaded.
 */
export class LogExportLoader {
  private early: ErrorRecord[] = [];
  private loaded: OtlpLogExport | undefined;
  private readonly ready: Promise<OtlpLogExport | undefined>;

  constructor(
    engine: ErrorEngine,
    settings: OtlpLogExportSettings,
    gate: ExportGate,
    resource: Resource | undefined,
    counters: ExportCounters,
  ) {
    engine.subscribe((record) => {
      if (this.loaded !== undefined) this.loaded.notify(record);
      else if (this.early.length < MAX_EARLY_RECORDS) this.early.push(record);
    });
    this.ready = import('./otlp-log-export.js').then(
      (m) => {
        const exporter = new m.OtlpLogExport(engine, settings, gate, resource, counters);
        this.loaded = exporter;
        for (const record of this.early) exporter.notify(record);
        this.early = [];
        return exporter;
      },
      (err: unknown) => {
        reportOnce('otlp-logs-load', `the OTLP log export could not be loaded: ${String(err)}`);
        this.early = [];
        return undefined;
      },
    );
  }

  async forceFlush(): Promise<void> {
    await (await this.ready)?.forceFlush();
  }

  async shutdown(): Promise<void> {
    await (await this.ready)?.shutdown();
  }
}
