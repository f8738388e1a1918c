/**
 * The options of `generateReport` and `aggregateReport`, their defaults and their validation.
 * Light on purpose: the package entry point validates here, synchronously, before it loads the
 * renderers.
 */
import type { PatternDetectorOptions } from '../grouping/pattern-options.js';
import type { ErrorRecord } from '../record.js';
import type { StoreReadFilters } from '../store/read-store.js';
import { ReportOptionError } from './report-error.js';
import { isReportFormat, REPORT_FORMATS, type ReportFormat } from './report-format.js';
import { type ResolvedTraceLinks, resolveTraceLinks, type TraceLinkOptions } from './trace-link.js';

/** Options of {@link generateReport}. */
export interface ReportOptions {
  /** Where the records come from; at least one member. Several may be combined. */
  source: {
    /** Store directories (e.g. one per worker) or single store files. */
    store?: string | string[];
    /** OTLP/JSON files written by the Collector's file exporter. */
    otlp?: string | string[];
    records?: Iterable<ErrorRecord> | AsyncIterable<ErrorRecord>;
  };
  format: ReportFormat;
  /** Written with mode 0600 through a temp file and a rename; without it the content is returned. */
  outputFile?: string;
  /**
   * Write the report to this stream instead (e.g. `process.stdout`), honouring back-pressure;
   * resolves to `''`. For outputs too large to hold as one string. Not with `outputFile`.
   */
  outputStream?: NodeJS.WritableStream;
  filters?: StoreReadFilters;
  /** CSV: one row per fingerprint instead of one per occurrence. @default false */
  group?: boolean;
  /** CSV: begin with a UTF-8 BOM so Excel reads the file as UTF-8. @default false */
  bom?: boolean;
  /** @default 'error-insight report' */
  title?: string;
  /** Progress bar on stderr. @default true only when stderr is a TTY */
  progress?: boolean;
  /**
   * Pattern detection over the records (the grouping's PatternDetector thresholds, replayed with
   * record times as the clock); `false` lists no pattern warnings.
   * @default {} (the detector's defaults, without "new")
   */
  patterns?: PatternDetectorOptions | false;
  /** HTML: link sample trace ids into Jaeger or Grafana. @default from `ERROR_INSIGHT_JAEGER_URL` / `ERROR_INSIGHT_GRAFANA_URL`, else no links */
  traceLinks?: TraceLinkOptions;
}

/** Defaults of {@link ReportOptions}. */
export const DEFAULT_REPORT_OPTIONS = {
  group: false,
  bom: false,
  title: 'error-insight report',
} as const;

/** {@link ReportOptions} with every default applied. */
export interface ResolvedReportOptions {
  source: ReportOptions['source'];
  format: ReportFormat;
  outputFile: string | undefined;
  outputStream: NodeJS.WritableStream | undefined;
  filters: StoreReadFilters | undefined;
  group: boolean;
  bom: boolean;
  title: string;
  progress: boolean;
  patterns: PatternDetectorOptions | false;
  traceLinks: ResolvedTraceLinks | undefined;
}

function isDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

function checkFilters(filters: StoreReadFilters | undefined): void {
  if (filters === undefined) return;
  if (typeof filters !== 'object' || filters === null)
    throw new ReportOptionError('ERR_REPORT_INVALID_OPTION', 'filters must be an object');
  for (const key of ['since', 'until'] as const) {
    if (filters[key] !== undefined && !isDate(filters[key])) {
      throw new ReportOptionError('ERR_REPORT_INVALID_OPTION', `filters.${key} must be a valid Date`);
    }
  }
  for (const key of ['phase', 'fingerprint', 'category'] as const) {
    if (filters[key] !== undefined && typeof filters[key] !== 'string') {
      throw new ReportOptionError('ERR_REPORT_INVALID_OPTION', `filters.${key} must be a string`);
    }
  }
}

/** Validates and completes the options; throws a `TypeError` ({@link ReportOptionError}) on bad input. */
export function resolveReportOptions(options: ReportOptions): ResolvedReportOptions {
  if (options === null || typeof options !== 'object') {
    throw new ReportOptionError('ERR_REPORT_INVALID_OPTION', 'generateReport needs an options object');
  }
  if (!isReportFormat(options.format)) {
    throw new ReportOptionError(
      'ERR_REPORT_UNKNOWN_FORMAT',
      `unknown report format ${JSON.stringify(String(options.format))}; expected one of ${REPORT_FORMATS.join(', ')}`,
    );
  }
  const source = options.source;
  if (
    source === null ||
    typeof source !== 'object' ||
    (source.store === undefined && source.otlp === undefined && source.records === undefined)
  ) {
    throw new ReportOptionError('ERR_REPORT_NO_SOURCE', 'source needs store, otlp or records');
  }
  if (
    options.outputFile !== undefined &&
    (typeof options.outputFile !== 'string' || options.outputFile.length === 0)
  ) {
    throw new ReportOptionError('ERR_REPORT_INVALID_OPTION', 'outputFile must be a non-empty string');
  }
  if (
    options.outputStream !== undefined &&
    (options.outputFile !== undefined || typeof options.outputStream?.write !== 'function')
  ) {
    throw new ReportOptionError(
      'ERR_REPORT_INVALID_OPTION',
      'outputStream must be a writable stream, and not combined with outputFile',
    );
  }
  checkFilters(options.filters);
  if (
    options.patterns !== undefined &&
    options.patterns !== false &&
    (typeof options.patterns !== 'object' || options.patterns === null)
  ) {
    throw new ReportOptionError(
      'ERR_REPORT_INVALID_OPTION',
      'patterns must be pattern detector options or false',
    );
  }
  return {
    source,
    format: options.format,
    outputFile: options.outputFile,
    outputStream: options.outputStream,
    filters: options.filters,
    group: options.group ?? DEFAULT_REPORT_OPTIONS.group,
    bom: options.bom ?? DEFAULT_REPORT_OPTIONS.bom,
    title: options.title ?? DEFAULT_REPORT_OPTIONS.title,
    progress: options.progress ?? process.stderr.isTTY === true,
    patterns: options.patterns ?? {},
    traceLinks: resolveTraceLinks(options.traceLinks),
  };
}

/** Options of {@link aggregateReport}: a report's source, filters, title and patterns. */
export type AggregateReportOptions = Omit<
  ReportOptions,
  'format' | 'outputFile' | 'outputStream' | 'group' | 'bom'
>;
