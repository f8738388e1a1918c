/** `error-insight stats`: a summary table of a store on the terminal. */
import { type AggregateReportOptions, aggregateReport } from '../report/generate-report.js';
import type { ReportAggregation } from '../report/report-aggregation.js';
import { type ResolvedTraceLinks, resolveTraceLinks, traceLink } from '../report/trace-link.js';
import type { CliFlagValues } from './cli-flags.js';
import { filtersFromFlags, sourceFromFlags } from './cli-source.js';
import { checkWindow, hintWhenEmpty } from './filter-hints.js';
import { displayWidth, escapeTerminalText as esc, fitWidth, padWidth, wrapWidth } from './terminal-text.js';
import { traceLinkOptionsFromFlags } from './trace-link-flags.js';

const DEFAULT_TOP = 10;
/** Width of the summary when stdout is not a terminal (or reports none). */
const DEFAULT_COLUMNS = 80;
const MIN_COLUMNS = 60;

/** The columns the summary may take: the terminal's, else 80. */
export function statsColumns(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  const columns =
    stream.isTTY === true && (stream.columns ?? 0) > 0 ? (stream.columns ?? 0) : DEFAULT_COLUMNS;
  return Math.max(MIN_COLUMNS, columns);
}

function table(headers: string[], rows: string[][], numeric: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : padWidth(c, widths[i] ?? 0, numeric[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

const time = (iso: string | null) => (iso === null ? '–' : iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z'));

const GROUP_INDENT = '       ';

/**
 * The top errors in `columns`: a line of figures per group, then its error text indented below,
 * so the table never wraps however long the message or the phase list.
 */
function groupsTable(groups: ReportAggregation['groups'], columns: number): string {
  const counts = groups.map((g) => g.count.toLocaleString('en-US'));
  const countWidth = Math.max(5, ...counts.map((c) => c.length));
  // COUNT, SEVERITY (8), CATEGORY (≤ 12), LAST SEEN (17), FINGERPRINT (16) and the gaps; PHASES gets the rest.
  const phasesWidth = Math.max(6, columns - countWidth - 8 - 12 - 17 - 16 - 2 * 5);
  const rows = groups.map((g, i) => [
    counts[i] ?? '',
    esc(g.severity),
    fitWidth(esc(g.category), 12),
    fitWidth(esc(Object.keys(g.phases).join(',')) || '–', phasesWidth),
    shortTime(g.lastSeen),
    fitWidth(esc(g.fingerprint), 16),
  ]);
  const lines = table(['COUNT', 'SEVERITY', 'CATEGORY', 'PHASES', 'LAST SEEN', 'FINGERPRINT'], rows, [
    true,
    false,
    false,
    false,
    false,
    false,
  ]).split('\n');
  const out = [lines[0] ?? ''];
  groups.forEach((g, i) => {
    out.push(lines[i + 1] ?? '');
    out.push(
      GROUP_INDENT +
        fitWidth(
          esc(`${g.regressed ? '[regressed] ' : g.isNew ? '[new] ' : ''}${g.type}: ${g.message}`),
          columns - GROUP_INDENT.length,
        ),
    );
  });
  return out.join('\n');
}

/** A time to the minute, for the table. */
const shortTime = (iso: string | null) => (iso === null ? '–' : time(iso).replace(/:\d\dZ$/, 'Z'));

/** The text of the summary, in at most `columns` columns. */
export function formatStats(
  a: ReportAggregation,
  top: number,
  columns = DEFAULT_COLUMNS,
  links?: ResolvedTraceLinks,
): string {
  const t = a.totals;
  const out: string[] = [];
  out.push(
    ...wrapWidth(
      `${t.records.toLocaleString('en-US')} errors, ${t.fingerprints} distinct, ${t.videos}${t.videosCapped ? '+' : ''} videos, ${time(t.firstSeen)} → ${time(t.lastSeen)}`,
      columns,
    ),
  );
  out.push(
    ...wrapWidth(
      `source: ${a.source.kind}, ${a.source.files} files, ${a.source.lines} lines, ${a.source.corruptLines} unreadable lines${a.source.duplicates ? `, ${a.source.duplicates} duplicates dropped` : ''}${a.source.shortenedRecords ? `, ${a.source.shortenedRecords} records cut (nested too deep)` : ''}`,
      columns,
    ),
  );
  if (t.records === 0) return `${out.join('\n')}\n`;
  const groups = a.groups.slice(0, top);
  out.push('', `Top ${groups.length} errors`);
  out.push(groupsTable(groups, columns));
  const traced = groups.flatMap((g) => {
    const sample = [...g.samples].reverse().find((s) => s.trace !== undefined);
    const url = traceLink(links, sample?.trace?.traceId);
    return url === undefined ? [] : [`  ${esc(g.fingerprint).slice(0, 16).padEnd(16)}  ${esc(url)}`];
  });
  if (traced.length > 0) out.push('', 'Latest trace of each top error', ...traced);
  out.push('', 'By phase');
  out.push(
    table(
      ['COUNT', 'PHASE'],
      a.byPhase.map((p) => [String(p.count), fitWidth(esc(p.phase), columns - 9)]),
      [true, false],
    ),
  );
  // A pipeline without HTTP requests has only "(none)": the section would say nothing.
  if (a.byRoute.some((r) => r.route !== '(none)')) {
    out.push('', 'By route');
    out.push(
      table(
        ['COUNT', 'ERRORS', 'ROUTE'],
        a.byRoute.slice(0, top).map((r) => [String(r.count), String(r.fingerprints), esc(r.route)]),
        [true, true, false],
      ),
    );
  }
  if (a.byRelease.length > 0) {
    out.push('', 'By release (oldest first)');
    out.push(
      table(
        ['COUNT', 'ERRORS', 'NEW', 'REGRESSED', 'RELEASE'],
        a.byRelease.map((r) => [
          String(r.count),
          String(r.fingerprints),
          String(r.newFingerprints),
          String(r.regressions),
          esc(r.release),
        ]),
        [true, true, true, true, false],
      ),
    );
  }
  out.push('', 'By category');
  out.push(
    table(
      ['COUNT', 'CATEGORY'],
      a.byCategory.map((c) => [String(c.count), fitWidth(esc(c.category), columns - 9)]),
      [true, false],
    ),
  );
  if (a.patterns.length > 0) {
    out.push('', 'Pattern warnings');
    // Each message already starts with its kind ("recurring: …").
    for (const p of a.patterns.slice(0, top)) {
      out.push(
        ...wrapWidth(`${esc(p.message)} (${p.count}×)`, columns - 4).map(
          (l, i) => (i === 0 ? '  ' : '    ') + l,
        ),
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** Runs the command; resolves to the exit code. */
export async function runStatsCommand(flags: CliFlagValues): Promise<number> {
  checkWindow(flags);
  const filters = filtersFromFlags(flags);
  const options: AggregateReportOptions = { source: sourceFromFlags(flags) };
  if (filters !== undefined) options.filters = filters;
  if (flags.progress === false) options.progress = false;
  const links = resolveTraceLinks(traceLinkOptionsFromFlags(flags));
  const aggregation = await aggregateReport(options);
  if (flags.json)
    process.stdout.write(
      `${JSON.stringify({ ...aggregation, groups: aggregation.groups.slice(0, flags.top ?? DEFAULT_TOP) }, null, 2)}\n`,
    );
  else process.stdout.write(formatStats(aggregation, flags.top ?? DEFAULT_TOP, statsColumns(), links));
  await hintWhenEmpty(flags, options.source, aggregation.totals.records);
  return 0;
}
