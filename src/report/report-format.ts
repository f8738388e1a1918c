/** The report format names, apart from their renderers so that naming a format loads none of them. */

/** The report formats. */
export const REPORT_FORMATS = ['html', 'csv', 'json', 'jsonl'] as const;

/** A report format name. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** True when `name` is a known format. */
export function isReportFormat(name: unknown): name is ReportFormat {
  return typeof name === 'string' && (REPORT_FORMATS as readonly string[]).includes(name);
}
