/**
 * The `error-insight` command: a thin shell over the public API. Commands take their flags
 * from the typed table; every failure becomes a message on stderr and an exit code from
 * {@link EXIT}, never a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { REPORT_FORMATS } from '../report/report-format.js';
import { addFlags, type CliFlagValues } from './cli-flags.js';
import { DEFAULT_STORE_DIR } from './cli-source.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { runExportCommand } from './export-command.js';
import { runPruneCommand } from './prune-command.js';
import { runReportCommand } from './report-command.js';
import { runStatsCommand } from './stats-command.js';
import { runTailCommand } from './tail-command.js';
import { escapeTerminalText } from './terminal-text.js';

/** The command's version, shown by `--version`. */
export const CLI_VERSION = '0.1.0';

const FILTERS = ['since', 'until', 'phase', 'category', 'fingerprint'] as const;

/** Builds the program; `run` receives each command's handler and flags. */
export function buildProgram(
  run: (handler: (flags: CliFlagValues) => Promise<number>, flags: CliFlagValues) => Promise<void>,
): Command {
  const program = new Command('error-insight')
    .description('Reports, stats and maintenance for error-insight stores and OTLP files.')
    .version(CLI_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addHelpText(
    'after',
    `\nThe store defaults to ${DEFAULT_STORE_DIR}/ in the current directory.\nExit codes: 0 ok, 1 failure, 2 usage, 3 store not found, 4 unreadable input, 5 cannot write output.`,
  );

  addFlags(
    program
      .command('report')
      .description(`render a report (${REPORT_FORMATS.join(', ')}) from stores or OTLP/JSON files`),
    [
      'store',
      'otlp',
      'format',
      'out',
      ...FILTERS,
      'group',
      'bom',
      'title',
      'progress',
      'jaegerUrl',
      'grafanaUrl',
    ],
  )
    .addHelpText(
      'after',
      '\nExamples:\n  error-insight report --store ./w1/.error-insight ./w2/.error-insight --since 7d --out report.html\n  error-insight report --otlp collector/errors.json --format csv --group --bom --out errors.csv',
    )
    .action((flags: CliFlagValues) => run(runReportCommand, flags));

  addFlags(program.command('stats').description('print a summary table of a store'), [
    'store',
    'otlp',
    ...FILTERS,
    'top',
    'json',
    'progress',
    'jaegerUrl',
    'grafanaUrl',
  ]).action((flags: CliFlagValues) => run(runStatsCommand, flags));

  addFlags(
    program.command('tail').description('follow new records as they are written, one readable line each'),
    [
      'store',
      'phase',
      'category',
      'fingerprint',
      'interval',
      'limit',
      'fromStart',
      'json',
      'jaegerUrl',
      'grafanaUrl',
    ],
  ).action((flags: CliFlagValues) => run(runTailCommand, flags));

  addFlags(
    program
      .command('export')
      .description("write a store as OTLP/JSON log records, for the Collector's otlpjsonfile receiver"),
    ['store', 'exportFormat', 'out', ...FILTERS],
  )
    .addHelpText(
      'after',
      '\nExample:\n  error-insight export --format otlp --store ./worker/.error-insight --since 1d --out errors.otlp.json',
    )
    .action((flags: CliFlagValues) => run(runExportCommand, flags));

  addFlags(program.command('prune').description('apply retention to store directories now'), [
    'store',
    'retentionDays',
    'maxTotalBytes',
  ]).action((flags: CliFlagValues) => run(runPruneCommand, flags));
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI with `argv` (as `process.argv`); resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(async (handler, flags) => {
    code = await handler(flags);
  });
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (or the help).
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    // The library's own argument errors already name it.
    const text = message.startsWith('error-insight: ') ? message : `error-insight: ${message}`;
    process.stderr.write(`${escapeTerminalText(text)}\n`);
    return exitCodeFor(error);
  }
}
