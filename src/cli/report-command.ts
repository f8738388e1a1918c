/** `error-insight report`: a report over stores or OTLP files, to a file or stdout. */
import { extname } from 'node:path';
import { generateReport, type ReportOptions } from '../report/generate-report.js';
import type { ReportFormat } from '../report/report-format.js';
import type { CliFlagValues } from './cli-flags.js';
import { filtersFromFlags, sourceFromFlags } from './cli-source.js';
import { traceLinkOptionsFromFlags } from './trace-link-flags.js';

const BY_EXTENSION: Record<string, ReportFormat> = {
  '.html': 'html',
  '.htm': 'html',
  '.csv': 'csv',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** The format: the flag, else the output file's extension, else JSON. */
export function reportFormat(flags: CliFlagValues): ReportFormat {
  if (flags.format !== undefined) return flags.format;
  return (flags.out !== undefined ? BY_EXTENSION[extname(flags.out).toLowerCase()] : undefined) ?? 'json';
}

/** Runs the command; resolves to the exit code. */
export async function runReportCommand(flags: CliFlagValues): Promise<number> {
  const options: ReportOptions = { source: sourceFromFlags(flags), format: reportFormat(flags) };
  const filters = filtersFromFlags(flags);
  if (filters !== undefined) options.filters = filters;
  if (flags.out !== undefined) options.outputFile = flags.out;
  if (flags.group) options.group = true;
  if (flags.bom) options.bom = true;
  if (flags.title !== undefined) options.title = flags.title;
  if (flags.progress === false) options.progress = false;
  const traceLinks = traceLinkOptionsFromFlags(flags);
  if (traceLinks !== undefined) options.traceLinks = traceLinks;
  // Streamed: a JSONL or CSV export of a large store is bigger than one string may be.
  if (flags.out === undefined) options.outputStream = process.stdout;
  const result = await generateReport(options);
  if (flags.out !== undefined)
    process.stderr.write(`error-insight: wrote ${options.format} report to ${result}\n`);
  return 0;
}
