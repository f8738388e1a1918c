/**
 * `generateReport`: a report (HTML, CSV, JSON aggregation or raw JSONL) over the local store,
 * OTLP/JSON files a collector wrote, or records in memory. Options are validated at the call;
 * a bad path or an unwritable output rejects with a `ReportError` carrying a stable code.
 * This module loads the renderers, csv-stringify and cli-progress; the package entry point
 * reaches it through `import()` on first use (report-api.ts).
 */
import type { StoreReadFilters } from '../store/read-store.js';
import { createReplayPatternObserver } from './replay-pattern-observer.js';
import type { ReportAggregation } from './report-aggregation.js';
import {
  type AggregateReportOptions,
  type ReportOptions,
  type ResolvedReportOptions,
  resolveReportOptions,
} from './report-options.js';
import { renderToString, writeReportFile, writeReportStream } from './report-output.js';
import { createReportProgress } from './report-progress.js';
import { aggregateRecords, type RenderContext, type ReportSink } from './report-renderer.js';
import { REPORT_RENDERERS } from './report-renderers.js';
import { openReportSource, type RecordBatch } from './report-source.js';

export type { ReportFormat } from './report-format.js';
export {
  type AggregateReportOptions,
  DEFAULT_REPORT_OPTIONS,
  type ReportOptions,
  type ResolvedReportOptions,
  resolveReportOptions,
} from './report-options.js';

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
    if (o.traceLinks !== undefined) context.traceLinks = o.traceLinks;
    const patterns = o.patterns;
    if (patterns !== false) context.createPatternObserver = () => createReplayPatternObserver(patterns);
    return await use(source.batches, context);
  } finally {
    progress.stop();
  }
}

/** Renders a report from resolved options (what {@link generateReport} does after validating). */
export function runReport(o: ResolvedReportOptions): Promise<string> {
  return withSource(o, (batches, context) => {
    const renderer = REPORT_RENDERERS[o.format];
    const produce = (sink: ReportSink) => renderer.render(batches, context, sink);
    if (o.outputStream !== undefined) return writeReportStream(o.outputStream, produce);
    return o.outputFile === undefined ? renderToString(produce) : writeReportFile(o.outputFile, produce);
  });
}

/** The aggregation a JSON report holds, as an object (what `error-insight stats` prints). */
export function aggregateReport(options: AggregateReportOptions): Promise<ReportAggregation> {
  return aggregateResolved(resolveReportOptions({ ...options, format: 'json' }));
}

/** The aggregation from resolved options. */
export function aggregateResolved(o: ResolvedReportOptions): Promise<ReportAggregation> {
  return withSource(o, aggregateRecords);
}

/**
 * Generates a report. Resolves to the content, or to the absolute path written when
 * `outputFile` is set. Bad options throw a `TypeError` synchronously; a missing store, an
 * unreadable file or an output that cannot be written rejects with a `ReportError`.
 */
export function generateReport(options: ReportOptions): Promise<string> {
  return runReport(resolveReportOptions(options));
}
