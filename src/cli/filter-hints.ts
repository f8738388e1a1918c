/**
 * What the CLI says when its filters cannot match: a window that ends before it starts is a
 * usage error; a window or a value that matches no record gets a hint on stderr naming what the
 * source does hold, so an empty report is not mistaken for "no errors".
 */
import { aggregateReport, type ReportOptions } from '../report/generate-report.js';
import type { ReportAggregation } from '../report/report-aggregation.js';
import type { CliFlagValues } from './cli-flags.js';
import { escapeTerminalText as esc } from './terminal-text.js';

/** A usage error of the command (exit 2). */
export function usageError(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_CLI_USAGE' });
}

/** Throws a usage error when `--since` is after `--until`. */
export function checkWindow(flags: CliFlagValues): void {
  if (flags.since !== undefined && flags.until !== undefined && flags.since > flags.until) {
    throw usageError(
      `--since ${flags.since.toISOString()} is after --until ${flags.until.toISOString()}: no record can match`,
    );
  }
}

const MAX_NAMED = 8;

function named(values: string[]): string {
  const shown = values.slice(0, MAX_NAMED).map((v) => JSON.stringify(v));
  return values.length > MAX_NAMED
    ? `${shown.join(', ')} and ${values.length - MAX_NAMED} more`
    : shown.join(', ');
}

/** The hints for filters that matched nothing, from the unfiltered aggregation of the same source. */
export function emptyResultHints(flags: CliFlagValues, all: ReportAggregation): string[] {
  const t = all.totals;
  if (t.records === 0) return ['the source holds no records at all'];
  const hints: string[] = [];
  const since = flags.since?.getTime() ?? Number.NEGATIVE_INFINITY;
  const until = flags.until?.getTime() ?? Number.POSITIVE_INFINITY;
  const first = t.firstSeen === null ? undefined : Date.parse(t.firstSeen);
  const last = t.lastSeen === null ? undefined : Date.parse(t.lastSeen);
  if (
    (flags.since !== undefined || flags.until !== undefined) &&
    first !== undefined &&
    last !== undefined &&
    (last < since || first > until)
  ) {
    hints.push(`no record falls in the time window; the records span ${t.firstSeen} → ${t.lastSeen}`);
  }
  if (flags.phase !== undefined && !all.byPhase.some((p) => p.phase === flags.phase)) {
    hints.push(
      `no record has phase ${JSON.stringify(flags.phase)}; the phases are ${named(all.byPhase.map((p) => p.phase))} (exact, case-sensitive)`,
    );
  }
  if (flags.category !== undefined && !all.byCategory.some((c) => c.category === flags.category)) {
    hints.push(
      `no record has category ${JSON.stringify(flags.category)}; the categories are ${named(all.byCategory.map((c) => c.category))}`,
    );
  }
  if (flags.fingerprint !== undefined && !all.groups.some((g) => g.fingerprint === flags.fingerprint)) {
    hints.push(
      `no record has fingerprint ${JSON.stringify(flags.fingerprint)} (the full fingerprint, as stats prints it)`,
    );
  }
  if (hints.length === 0) hints.push('each filter matches records, but none matches them all together');
  return hints;
}

/**
 * When filters were given and matched no record, reads the source once more without them and
 * prints why on stderr. Only on that empty path: a report that matched costs nothing more.
 */
export async function hintWhenEmpty(
  flags: CliFlagValues,
  source: ReportOptions['source'],
  matched: number,
): Promise<void> {
  if (matched > 0) return;
  if (
    flags.since === undefined &&
    flags.until === undefined &&
    flags.phase === undefined &&
    flags.category === undefined &&
    flags.fingerprint === undefined
  ) {
    return;
  }
  const all = await aggregateReport({ source, progress: false, patterns: false });
  for (const hint of emptyResultHints(flags, all))
    process.stderr.write(`error-insight: hint: ${esc(hint)}\n`);
}
