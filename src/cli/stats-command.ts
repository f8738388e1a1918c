/** `error-insight stats`: a summary table of a store on the terminal. */
import { type AggregateReportOptions, aggregateReport } from '../report/generate-report.js';
import type { ReportAggregation } from '../report/report-aggregation.js';
import { type ResolvedTraceLinks, resolveTraceLinks, traceLink } from '../report/trace-link.js';
import type { CliFlagValues } from './cli-flags.js';
import { filtersFromFlags, sourceFromFlags } from './cli-source.js';
import { escapeTerminalText as esc, fitWidth, padWidth } from './terminal-text.js';
import { traceLinkOptionsFromFlags } from './trace-link-flags.js';

const DEFAULT_TOP = 10;

function table(headers: string[], rows: string[][], numeric: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : padWidth(c, widths[i] ?? 0, numeric[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

const time = (iso: string | null) => (iso === null ? '–' : iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z'));

/** The text of the summary. */
export function formatStats(a: ReportAggregation, top: number, links?: ResolvedTraceLinks): string {
  const t = a.totals;
  const out: string[] = [];
  out.push(
    `${t.records.toLocaleString('en-US')} errors, ${t.fingerprints} distinct, ${t.videos}${t.videosCapped ? '+' : ''} videos, ${time(t.firstSeen)} → ${time(t.lastSeen)}`,
  );
  out.push(
    `source: ${a.source.kind}, ${a.source.files} files, ${a.source.lines} lines, ${a.source.corruptLines} unreadable lines${a.source.duplicates ? `, ${a.source.duplicates} duplicates dropped` : ''}${a.source.shortenedRecords ? `, ${a.source.shortenedRecords} records cut (nested too deep)` : ''}`,
  );
  if (t.records === 0) return `${out.join('\n')}\n`;
  const groups = a.groups.slice(0, top);
  out.push('', `Top ${groups.length} errors`);
  out.push(
    table(
      ['COUNT', 'SEVERITY', 'CATEGORY', 'PHASES', 'LAST SEEN', 'FINGERPRINT', 'ERROR'],
      groups.map((g) => [
        String(g.count),
        esc(g.severity),
        fitWidth(esc(g.category), 20),
        fitWidth(esc(Object.keys(g.phases).join(',')), 28),
        time(g.lastSeen),
        fitWidth(esc(g.fingerprint), 16),
        fitWidth(esc(`${g.regressed ? '[regressed] ' : g.isNew ? '[new] ' : ''}${g.type}: ${g.message}`), 90),
      ]),
      [true, false, false, false, false, false, false],
    ),
  );
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
      a.byPhase.map((p) => [String(p.count), esc(p.phase)]),
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
      a.byCategory.map((c) => [String(c.count), esc(c.category)]),
      [true, false],
    ),
  );
  if (a.patterns.length > 0) {
    out.push('', 'Pattern warnings');
    // Each message already starts with its kind ("recurring: …").
    for (const p of a.patterns.slice(0, top)) out.push(`  ${esc(p.message)} (${p.count}×)`);
  }
  return `${out.join('\n')}\n`;
}

/** Runs the command; resolves to the exit code. */
export async function runStatsCommand(flags: CliFlagValues): Promise<number> {
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
  else process.stdout.write(formatStats(aggregation, flags.top ?? DEFAULT_TOP, links));
  return 0;
}
