/**
 * Prints the rows of one or two bench result files as a Markdown table (not a benchmark:
 * run-all does not run it), e.g. for docs/performance.md:
 *
 *   node dist/bench/results-table.js bench/results/before.json [bench/results/after.json]
 *
 * With two files each row shows both runs side by side (ours, peer, ratio of each).
 */
import { readFile } from 'node:fs/promises';
import { type BenchRow, formatValue } from './bench-helpers.js';

interface Results {
  date: string;
  node: string;
  cpus: number;
  rows: BenchRow[];
}

const files = process.argv.slice(2);
if (files.length < 1 || files.length > 2)
  throw new TypeError('usage: results-table <results.json> [<other results.json>]');
const runs = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as Results));

const cell = (row: BenchRow | undefined): string[] => {
  if (row === undefined) return ['–', '–', '–'];
  return [
    formatValue(row.ours, row.unit),
    row.peer === undefined ? '–' : `${row.peerName ?? 'peer'} ${formatValue(row.peer, row.unit)}`,
    row.ratio === undefined
      ? '–'
      : `${row.ratio.toFixed(2)}${row.ok === undefined ? '' : row.ok ? ' ok' : ' miss'}`,
  ];
};
const size = (row: BenchRow): string =>
  [
    row.n === undefined ? '' : `N ${row.n.toLocaleString('en-US')}`,
    row.rounds === undefined ? '' : `×${row.rounds}`,
  ]
    .filter((s) => s !== '')
    .join(' ');

const names = files.map((f) => f.replace(/^.*\//, '').replace(/\.json$/, ''));
const header = [
  'what',
  ...names.flatMap((n) => [`${n}: ours`, `${n}: peer`, `${n}: ratio`]),
  'target',
  'size',
];
console.log(runs.map((r, i) => `${names[i]}: ${r.date}, node ${r.node}, ${r.cpus} cores`).join('; '));
console.log('');
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
const first = runs[0] as Results;
const ids = [...first.rows.map((r) => r.id)];
for (const other of runs.slice(1)) for (const r of other.rows) if (!ids.includes(r.id)) ids.push(r.id);
for (const id of ids) {
  const rows = runs.map((r) => r.rows.find((x) => x.id === id));
  const any = rows.find((r) => r !== undefined) as BenchRow;
  console.log(`| ${[any.label, ...rows.flatMap(cell), any.target ?? '–', size(any)].join(' | ')} |`);
}
