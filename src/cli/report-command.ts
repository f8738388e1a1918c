/** `error-insight report`: a report over stores or OTLP files, to a file or stdout. */
import { extname } from 'node:path';
import { generateReport, type ReportOptions } from '../report/generate-report.js';
import type { ReportFormat } from '../report/report-format.js';
import type { CliFlagValues } from './cli-flags.js';
import { filtersFromFlags, sourceFromFlags } from './cli-source.js';
import { checkWindow, hintWhenEmpty, usageError } from './filter-hints.js';
import { traceLinkOptionsFromFlags } from './trace-link-flags.js';

const BY_EXTENSION: Record<string, ReportFormat> = {
  '.html': 'html',
  '.htm': 'html',
  '.csv': 'csv',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/**
 * The format: the flag, else the output file's extension, else JSON (stdout, or a name without
 * an extension). An extension of another format (`x.pdf`) is refused rather than given JSON.
 */
export function reportFormat(flags: CliFlagValues): ReportFormat {
  if (flags.format !== undefined) return flags.format;
  if (flags.out === undefined) return 'json';
  const extension = extname(flags.out).toLowerCase();
  if (extension === '') return 'json';
  const format = BY_EXTENSION[extension];
  if (format === undefined) {
    throw usageError(
      `cannot tell the report format from ${JSON.stringify(flags.out)}: name it .html, .csv, .json or .jsonl, or give --format`,
    );
  }
  return format;
}

/** Runs the command; resolves to the exit code. */
export async function runReportCommand(flags: CliFlagValues): Promise<number> {
  checkWindow(flags);
  let matched = 0;
  const options: ReportOptions = {
    source: sourceFromFlags(flags),
    format: reportFormat(flags),
    onRecords: (count) => {
      matched = count;
    },
  };
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
  await hintWhenEmpty(flags, options.source, matched);
  return 0;
}
