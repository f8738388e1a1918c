/**
 * The renderer contract. A renderer consumes the record stream once and writes its output in
 * chunks; aggregate formats fold the stream first, row formats stream straight through, so
 * neither keeps records in memory.
 */
import type { ErrorRecord } from '../record.js';
import type { ReportAggregation, ReportSourceSummary } from './report-aggregation.js';
import { type PatternObserver, ReportAggregator, type StreamedAggregation } from './report-aggregator.js';
import type { RecordBatch } from './report-source.js';
import type { ResolvedTraceLinks } from './trace-link.js';

/** Where a renderer writes: a file or an in-memory buffer. Honour the returned promise (back-pressure). */
export interface ReportSink {
  write(chunk: string): Promise<void>;
}

/** What a renderer is told besides the records. */
export interface RenderContext {
  title: string;
  /** CSV: one row per fingerprint. */
  group: boolean;
  /** CSV: start with a UTF-8 BOM. */
  bom: boolean;
  filters: ReportAggregation['filters'];
  /** Read after the stream is consumed: line and corrupt-line counts. */
  sourceSummary(): ReportSourceSummary;
  /** Called once per report to build a pattern observer, when one is available. */
  createPatternObserver?: () => PatternObserver | undefined;
  /** Called every few thousand records with the count so far. */
  onRecords?: (count: number) => void;
  /** Where sample trace ids link to (HTML). */
  traceLinks?: ResolvedTraceLinks;
}

/** One report format. */
export interface ReportRenderer {
  /** File extension without the dot. */
  readonly extension: string;
  /** Media type of the output. */
  readonly mediaType: string;
  render(batches: AsyncIterable<RecordBatch>, context: RenderContext, out: ReportSink): Promise<void>;
}

/** Folds the stream into the documented aggregation, its groups built on request. */
export async function aggregateStreamed(
  batches: AsyncIterable<RecordBatch>,
  context: RenderContext,
): Promise<StreamedAggregation> {
  const aggregator = new ReportAggregator(context.createPatternObserver?.());
  let count = 0;
  for await (const { records, times, lines } of batches) {
    for (let i = 0; i < records.length; i++) aggregator.add(records[i] as ErrorRecord, times[i], lines?.[i]);
    count += records.length;
    context.onRecords?.(count);
  }
  return aggregator.streamedResult({
    title: context.title,
    source: context.sourceSummary(),
    filters: context.filters,
  });
}

/** Folds the stream into the documented aggregation (shared by the aggregate formats). */
export async function aggregateRecords(
  batches: AsyncIterable<RecordBatch>,
  context: RenderContext,
): Promise<ReportAggregation> {
  const streamed = await aggregateStreamed(batches, context);
  return { ...streamed.head, groups: [...streamed.groups()] };
}

/** Escapes the line separators JSON leaves raw, so no reader splits a record (U+2028/2029). */
export function escapeLineSeparators(json: string): string {
  // ASCII text (as many bytes as characters) has neither: one native count instead of a regex pass.
  if (Buffer.byteLength(json, 'utf8') === json.length) return json;
  return json.replace(/[\u2028\u2029]/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
}
