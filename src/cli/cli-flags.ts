/**
 * The CLI's flags as one typed table: each command picks the flags it takes by name, so a flag
 * means the same thing and parses the same way in every command.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { REPORT_FORMATS, type ReportFormat } from '../report/report-format.js';
import { parseByteSize, parseTimeArgument, parseUntilArgument } from './parse-time.js';

interface FlagSpec {
  flags: string;
  description: string;
  parse?: (value: string) => unknown;
  choices?: readonly string[];
}

function argument<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`expected a whole number ≥ 0, got ${JSON.stringify(value)}`);
  return n;
}

/** Every flag of the CLI. */
export const CLI_FLAGS = {
  store: {
    flags: '-s, --store <dir...>',
    description: 'store directory, one per worker (repeatable), or a single store file',
  },
  otlp: {
    flags: '--otlp <file...>',
    description: "OTLP/JSON file written by the Collector's file exporter (repeatable)",
  },
  format: {
    flags: '-f, --format <format>',
    description: 'report format (default: from --out extension, else json)',
    choices: REPORT_FORMATS,
  },
  out: {
    flags: '-o, --out <file>',
    description: 'write the report to this file (mode 0600) instead of stdout',
  },
  since: {
    flags: '--since <time>',
    description: 'only errors at or after: an age (30m, 12h, 7d, 2w) or an ISO date',
    parse: parseTimeArgument,
  },
  until: {
    flags: '--until <time>',
    description: 'only errors at or before: an age or an ISO date (a date alone: the end of that day, UTC)',
    parse: parseUntilArgument,
  },
  phase: { flags: '--phase <name>', description: 'only errors of this phase (e.g. ENCODING)' },
  category: { flags: '--category <name>', description: 'only errors of this category' },
  fingerprint: { flags: '--fingerprint <id>', description: 'only errors with this fingerprint' },
  group: { flags: '--group', description: 'CSV: one row per fingerprint instead of one per occurrence' },
  bom: { flags: '--bom', description: 'CSV: start with a UTF-8 BOM (for Excel)' },
  title: { flags: '--title <text>', description: 'report title' },
  progress: { flags: '--no-progress', description: 'no progress bar (it only shows on a terminal anyway)' },
  top: { flags: '--top <n>', description: 'how many errors to list (default 10)', parse: positiveInteger },
  interval: {
    flags: '--interval <ms>',
    description: 'how often to look for new records (default 500)',
    parse: positiveInteger,
  },
  limit: {
    flags: '--limit <n>',
    description: 'exit after printing this many records',
    parse: positiveInteger,
  },
  fromStart: { flags: '--from-start', description: 'print the records already in the store first' },
  json: { flags: '--json', description: 'print JSON instead of text' },
  retentionDays: {
    flags: '--retention-days <days>',
    description: 'remove files older than this (0: no age limit; default 30)',
    parse: positiveInteger,
  },
  maxTotalBytes: {
    flags: '--max-total-bytes <size>',
    description: 'then remove the oldest beyond this total (e.g. 512M; 0: no limit)',
    parse: parseByteSize,
  },
  exportFormat: {
    flags: '-f, --format <format>',
    description: 'output format: otlp (OTLP/JSON log records, one export request per line; the default)',
    choices: ['otlp'],
  },
  jaegerUrl: {
    flags: '--jaeger-url <url>',
    description: 'link trace ids to this Jaeger UI (default: ERROR_INSIGHT_JAEGER_URL)',
  },
  grafanaUrl: {
    flags: '--grafana-url <url>',
    description: "link trace ids to this Grafana's Explore view (default: ERROR_INSIGHT_GRAFANA_URL)",
  },
} as const satisfies Record<string, FlagSpec>;

/** A flag name of {@link CLI_FLAGS}. */
export type CliFlagName = keyof typeof CLI_FLAGS;

/** The parsed values of the flags, as commander hands them to an action. */
export interface CliFlagValues {
  store?: string[];
  otlp?: string[];
  format?: ReportFormat;
  out?: string;
  since?: Date;
  until?: Date;
  phase?: string;
  category?: string;
  fingerprint?: string;
  group?: boolean;
  bom?: boolean;
  title?: string;
  progress?: boolean;
  top?: number;
  interval?: number;
  limit?: number;
  fromStart?: boolean;
  json?: boolean;
  retentionDays?: number;
  maxTotalBytes?: number;
  jaegerUrl?: string;
  grafanaUrl?: string;
}

/** Adds the named flags to a command. */
export function addFlags(command: Command, names: readonly CliFlagName[]): Command {
  for (const name of names) {
    const spec: FlagSpec = CLI_FLAGS[name];
    const option = new Option(spec.flags, spec.description);
    if (spec.parse) option.argParser(argument(spec.parse));
    if (spec.choices) option.choices(spec.choices);
    command.addOption(option);
  }
  return command;
}
