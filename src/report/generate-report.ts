/**
 * `generateReport`: a report (HTML, CSV, JSON aggregation or raw JSONL) over the local store,
 * OTLP/JSON files a collector wrote, or records in memory. Options are validated at the call;
 * a bad path or an unwritable output rejects with a {@link ReportError} carrying a stable code.
 */
import type { PatternDetectorOptions } from '../grouping/pattern-detector.js';
import type { ErrorRecord } from '../record.js';
import type { StoreReadFilters } from '../store/read-store.js';
import { createReplayPatternObserver } from './replay-pattern-observer.js';
import type { ReportAggregation } from './report-aggregation.js';
import { ReportOptionError } from './report-error.js';
import { renderToString, writeReportFile, writeReportStream } from './report-output.js';
import { createReportProgress } from './report-progress.js';
import { aggregateRecords, type RenderContext, type ReportSink } from './report-renderer.js';
import { isReportFormat, REPORT_FORMATS, REPORT_RENDERERS, type ReportFormat } from './report-renderers.js';
import { openReportSource, type RecordBatch } from './report-source.js';

export type { ReportFormat } from './report-renderers.js';

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
  };
}

function filtersSummary(filters: StoreReadFilters | undefined): ReportAggregation['filters'] {
  const out: ReportAggregation['filters'] = {};
  if (filters?.since) out.since = filters.since.toISOString();
  if (filters?.until) out.until = filters.until.toISOString();
  if (filters?.phase !== undefined) out.phase = filters.phase;
  if (filters?.category !== undefined) out.category = filters.category;
  if (filters?.fingerprint !== undefined) out.fingerprint = filters.fingerprint;
  return out;
}

async function withSource<T>(
  o: ResolvedReportOptions,
  use: (batches: AsyncIterable<RecordBatch>, context: RenderContext) => Promise<T>,
): Promise<T> {
  const progress = createReportProgress(o.progress);
  try {
    const source = await openReportSource(o.source, o.filters, progress);
    const context: RenderContext = {
      title: o.title,
      group: o.group,
      bom: o.bom,
      filters: filtersSummary(o.filters),
      sourceSummary: source.summary,
      onRecords: (count) => progress.records(count),
    };
    const patterns = o.patterns;
    if (patterns !== false) context.createPatternObserver = () => createReplayPatternObserver(patterns);
    return await use(source.batches, context);
  } finally {
    progress.stop();
  }
}

function run(o: ResolvedReportOptions): Promise<string> {
  return withSource(o, (batches, context) => {
    const renderer = REPORT_RENDERERS[o.format];
    const produce = (sink: ReportSink) => renderer.render(batches, context, sink);
    if (o.outputStream !== undefined) return writeReportStream(o.outputStream, produce);
    return o.outputFile === undefined ? renderToString(produce) : writeReportFile(o.outputFile, produce);
  });
}

/** Options of {@link aggregateReport}: a report's source, filters, title and patterns. */
export type AggregateReportOptions = Omit<
  ReportOptions,
  'format' | 'outputFile' | 'outputStream' | 'group' | 'bom'
>;

/** The aggregation a JSON report holds, as an object (what `error-insight stats` prints). */
export function aggregateReport(options: AggregateReportOptions): Promise<ReportAggregation> {
  return withSource(resolveReportOptions({ ...options, format: 'json' }), aggregateRecords);
}

/**
 * Generates a report. Resolves to the content, or to the absolute path written when
 * `outputFile` is set. Bad options throw a `TypeError` synchronously; a missing store, an
 * unreadable file or an output that cannot be written rejects with a `ReportError`.
 */
export function generateReport(options: ReportOptions): Promise<string> {
  return run(resolveReportOptions(options));
}
