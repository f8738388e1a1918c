/**
 * The registry of report formats: name → renderer. A new format is one new file, one line here
 * and its name in report-format.ts.
 */
import { csvReportRenderer } from './csv-report-renderer.js';
import { htmlReportRenderer } from './html-report-renderer.js';
import { jsonReportRenderer } from './json-report-renderer.js';
import { jsonlReportRenderer } from './jsonl-report-renderer.js';
import type { ReportFormat } from './report-format.js';
import type { ReportRenderer } from './report-renderer.js';

export { isReportFormat, REPORT_FORMATS, type ReportFormat } from './report-format.js';

/** The renderer of each format. */
export const REPORT_RENDERERS: Readonly<Record<ReportFormat, ReportRenderer>> = {
  html: htmlReportRenderer,
  csv: csvReportRenderer,
  json: jsonReportRenderer,
  jsonl: jsonlReportRenderer,
};
