import type { ReportSourceSummary } from './report-aggregation.js';

/**
 * What the CSV and JSONL reports add at their end when the source had unreadable lines or
 * records cut for depth (the JSON and HTML reports carry the same counts in `source`). Neither
 * format has a place for a count beside its rows, so the note is a last row (CSV) or a last line
 * without `id` (JSONL); a clean source adds nothing, so those outputs stay plain tables.
 */
export function skippedCounts(
  summary: ReportSourceSummary,
): { corruptLines: number; shortenedRecords: number } | undefined {
  const corruptLines = summary.corruptLines;
  const shortenedRecords = summary.shortenedRecords ?? 0;
  return corruptLines > 0 || shortenedRecords > 0 ? { corruptLines, shortenedRecords } : undefined;
}

/** The note as text: `# skipped 3 unreadable lines; 1 record shortened (nested deeper than 64 levels)`. */
export function skippedNoteText(counts: { corruptLines: number; shortenedRecords: number }): string {
  const parts = [`skipped ${counts.corruptLines} unreadable line${counts.corruptLines === 1 ? '' : 's'}`];
  if (counts.shortenedRecords > 0) {
    parts.push(
      `${counts.shortenedRecords} record${counts.shortenedRecords === 1 ? '' : 's'} shortened (nested deeper than 64 levels)`,
    );
  }
  return `# ${parts.join('; ')}`;
}
