/** `error-insight export`: a store as OTLP/JSON files for the Collector's `otlpjsonfile` receiver. */
import { exportOtlpJson, type OtlpJsonExportOptions } from '../otlp/otlp-json-export-api.js';
import type { CliFlagValues } from './cli-flags.js';
import { filtersFromFlags, sourceFromFlags } from './cli-source.js';

/** Runs the command; resolves to the exit code. */
export async function runExportCommand(flags: CliFlagValues): Promise<number> {
  const options: OtlpJsonExportOptions = { source: sourceFromFlags(flags) };
  const filters = filtersFromFlags(flags);
  if (filters !== undefined) options.filters = filters;
  if (flags.out !== undefined) options.outputFile = flags.out;
  else options.outputStream = process.stdout;
  const result = await exportOtlpJson(options);
  const skipped = result.skippedLines > 0 ? `, ${result.skippedLines} unreadable store lines skipped` : '';
  process.stderr.write(
    `error-insight: exported ${result.records} records as ${result.lines} OTLP/JSON lines${result.file ? ` to ${result.file}` : ''}${skipped}\n`,
  );
  return 0;
}
