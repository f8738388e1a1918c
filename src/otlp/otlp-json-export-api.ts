/**
 * The entry point of {@link exportOtlpJson}: validates at the call and loads the log SDK and
 * the serializer with `import()` only when an export runs.
 */
import type { RecordFilters } from '../report/record-filter.js';
import type { ReportSourceOptions } from '../report/report-source.js';

/** Options of {@link exportOtlpJson}. */
export interface OtlpJsonExportOptions {
  /** Where the records come from: store directories or files (as for reports), OTLP files, or records. */
  source: ReportSourceOptions;
  /** The report's filters (time bounds inclusive, exact phase, fingerprint, category). @default none */
  filters?: RecordFilters;
  /** Writes the lines to this file (mode 0600, temp file then rename); else they are returned. @default none */
  outputFile?: string;
  /** Writes the lines to this stream instead (the CLI's stdout). @default none */
  outputStream?: NodeJS.WritableStream;
  /** Log records per line: each line is one `ExportLogsServiceRequest`. @default 512 */
  recordsPerLine?: number;
}

/** What an export wrote. */
export interface OtlpJsonExportResult {
  /** Records written as log records. */
  records: number;
  /** Lines written (export requests). */
  lines: number;
  /** Corrupt or torn store lines skipped while reading. */
  skippedLines: number;
  /** The absolute path written, with `outputFile`. */
  file?: string;
  /** The lines, when neither `outputFile` nor `outputStream` is given. */
  content?: string;
}

/** The default of {@link OtlpJsonExportOptions.recordsPerLine}. */
export const DEFAULT_RECORDS_PER_LINE = 512;

/**
 * Writes a store's records (with a report's filters) as OTLP/JSON log records, one
 * `ExportLogsServiceRequest` per line: the format the Collector's file exporter writes and its
 * `otlpjsonfile` receiver reads, so an offline worker's errors reach Jaeger, Tempo or Loki
 * later, and `error-insight report --otlp` reads them back as the same records.
 */
export function exportOtlpJson(options: OtlpJsonExportOptions): Promise<OtlpJsonExportResult> {
  if (options === null || typeof options !== 'object')
    throw new TypeError('error-insight: exportOtlpJson takes an options object');
  const { source, recordsPerLine = DEFAULT_RECORDS_PER_LINE } = options;
  if (source === null || typeof source !== 'object' || (!source.store && !source.otlp && !source.records))
    throw new TypeError('error-insight: exportOtlpJson needs source.store, source.otlp or source.records');
  if (!Number.isInteger(recordsPerLine) || recordsPerLine < 1)
    throw new RangeError(
      `error-insight: recordsPerLine must be a whole number ≥ 1, got ${String(recordsPerLine)}`,
    );
  if (options.outputFile !== undefined && typeof options.outputFile !== 'string')
    throw new TypeError('error-insight: outputFile must be a path');
  return import('./otlp-json-export.js').then((m) => m.runOtlpJsonExport({ ...options, recordsPerLine }));
}
