import { aggregateRecords, escapeLineSeparators, type ReportRenderer } from './report-renderer.js';

/** The aggregation ({@link ReportAggregation}) as pretty-printed JSON. */
export const jsonReportRenderer: ReportRenderer = {
  extension: 'json',
  mediaType: 'application/json',
  async render(records, context, out) {
    const aggregation = await aggregateRecords(records, context);
    await out.write(`${escapeLineSeparators(JSON.stringify(aggregation, null, 2))}\n`);
  },
};
