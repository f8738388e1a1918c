/** Turns the source and filter flags into `generateReport` options. */
import { dirname } from 'node:path';
import type { ReportOptions } from '../report/generate-report.js';
import { DEFAULT_STORE_OPTIONS } from '../store/store-options.js';
import type { CliFlagValues } from './cli-flags.js';

/** The store directory used when neither `--store` nor `--otlp` is given. */
export const DEFAULT_STORE_DIR = dirname(DEFAULT_STORE_OPTIONS.logFile);

/** The report source the flags name, defaulting to the default store directory. */
export function sourceFromFlags(flags: CliFlagValues): ReportOptions['source'] {
  if (flags.store === undefined && flags.otlp === undefined) return { store: [DEFAULT_STORE_DIR] };
  const source: ReportOptions['source'] = {};
  if (flags.store !== undefined) source.store = flags.store;
  if (flags.otlp !== undefined) source.otlp = flags.otlp;
  return source;
}

/** The record filters the flags name; undefined when none. */
export function filtersFromFlags(flags: CliFlagValues): ReportOptions['filters'] {
  const filters: NonNullable<ReportOptions['filters']> = {};
  if (flags.since !== undefined) filters.since = flags.since;
  if (flags.until !== undefined) filters.until = flags.until;
  if (flags.phase !== undefined) filters.phase = flags.phase;
  if (flags.category !== undefined) filters.category = flags.category;
  if (flags.fingerprint !== undefined) filters.fingerprint = flags.fingerprint;
  return Object.keys(filters).length > 0 ? filters : undefined;
}
