/** `error-insight stats`: a summary table of a store on the terminal. */
import { type AggregateReportOptions, aggregateReport } from '../report/generate-report.js';
import type { ReportAggregation } from '../report/report-aggregation.js';
import type { CliFlagValues } from './cli-flags.js';
import { filtersFromFlags, sourceFromFlags } from './cli-source.js';
import { escapeTerminalText as esc, fitWidth, padWidth } from './terminal-text.js';

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
export function formatStats(a: ReportAggregation, top: number): string {
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
        fitWidth(esc(`${g.type}: ${g.message}`), 90),
      ]),
      [true, false, false, false, false, false, false],
    ),
  );
  out.push('', 'By phase');
  out.push(
    table(
      ['COUNT', 'PHASE'],
      a.byPhase.map((p) => [String(p.count), esc(p.phase)]),
      [true, false],
    ),
  );
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
  const aggregation = await aggregateReport(options);
  if (flags.json)
    process.stdout.write(
      `${JSON.stringify({ ...aggregation, groups: aggregation.groups.slice(0, flags.top ?? DEFAULT_TOP) }, null, 2)}\n`,
    );
  else process.stdout.write(formatStats(aggregation, flags.top ?? DEFAULT_TOP));
  return 0;
}
