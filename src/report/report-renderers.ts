/**
 * The registry of report formats: name → renderer. A new format is one new file and one line
 * here.
 */
import { csvReportRenderer } from './csv-report-renderer.js';
import { htmlReportRenderer } from './html-report-renderer.js';
import { jsonReportRenderer } from './json-report-renderer.js';
import { jsonlReportRenderer } from './jsonl-report-renderer.js';
import type { ReportRenderer } from './report-renderer.js';

/** The report formats. */
export const REPORT_RENDERERS = {
  html: htmlReportRenderer,
  csv: csvReportRenderer,
  json: jsonReportRenderer,
  jsonl: jsonlReportRenderer,
} as const satisfies Record<string, ReportRenderer>;

/** A report format name. */
export type ReportFormat = keyof typeof REPORT_RENDERERS;

/** The format names, for help texts and validation. */
export const REPORT_FORMATS = Object.keys(REPORT_RENDERERS) as ReportFormat[];

/** True when `name` is a known format. */
export function isReportFormat(name: unknown): name is ReportFormat {
  return typeof name === 'string' && Object.hasOwn(REPORT_RENDERERS, name);
}
