import { serializeRecordLine } from '../store/record-line.js';
import type { ReportRenderer } from './report-renderer.js';
import { skippedCounts, skippedNoteText } from './skipped-note.js';

const BATCH_CHARS = 1 << 20;

/**
 * The raw records, one JSON object per line, in the store's line format: the store's own
 * serializer escapes U+2028/U+2029 and the C1 controls (NEL among them), which some line readers
 * split on, so no value can start a second line.
 */
export const jsonlReportRenderer: ReportRenderer = {
  extension: 'jsonl',
  mediaType: 'application/x-ndjson',
  async render(batches, context, out) {
    let batch = '';
    let count = 0;
    for await (const { records } of batches) {
      for (const record of records) {
        batch += serializeRecordLine(record);
        if (batch.length >= BATCH_CHARS) {
          await out.write(batch);
          batch = '';
        }
      }
      count += records.length;
      context.onRecords?.(count);
    }
    context.onRecords?.(count);
    // A last line without `id` (a record reader counts it as one unreadable line) when the
    // source had lines skipped: see skipped-note.ts.
    const skipped = skippedCounts(context.sourceSummary());
    if (skipped !== undefined) batch += `${JSON.stringify({ note: skippedNoteText(skipped), ...skipped })}\n`;
    if (batch.length > 0) await out.write(batch);
  },
};
