/**
 * One self-contained HTML file: inline CSS, JS and SVG, no network. The aggregation is
 * embedded as JSON inside `<script type="application/json">` with `<`, `>`, `&`, U+2028 and
 * U+2029 written as `\u` escapes, so no value can close the element or start a comment; the page
 * script builds the DOM with `textContent` only. A Content-Security-Policy of
 * `default-src 'none'` that allows just this script and stylesheet (by SHA-256) contains any
 * escaping mistake.
 */
import { createHash } from 'node:crypto';
import { HTML_PAGE_SCRIPT } from './html-page-script.js';
import { HTML_PAGE_STYLE } from './html-page-style.js';
import type { StreamedAggregation } from './report-aggregator.js';
import { aggregateStreamed, type ReportRenderer } from './report-renderer.js';
import { type ResolvedTraceLinks, withTraceLinks } from './trace-link.js';

/** Fingerprints embedded with their full detail; the rest are counted in the totals only. */
export const HTML_MAX_GROUPS = 500;

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML text node or a quoted attribute. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** JSON that is safe inside a `<script>` element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The Content-Security-Policy of the page. */
export const HTML_CSP = [
  "default-src 'none'",
  `script-src ${sha256(HTML_PAGE_SCRIPT)}`,
  `style-src ${sha256(HTML_PAGE_STYLE)}`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The page for an aggregation. */
export function renderHtmlPage(aggregation: StreamedAggregation, traceLinks?: ResolvedTraceLinks): string {
  const groups = withTraceLinks([...aggregation.groups(HTML_MAX_GROUPS)], traceLinks);
  const data = { ...aggregation.head, groups, omittedGroups: aggregation.groupCount - groups.length };
  const title = escapeHtml(aggregation.head.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${HTML_PAGE_STYLE}</style>
</head>
<body>
<header>
<div class="title-row"><h1 id="title">${title}</h1><p class="sub" id="subtitle"></p></div>
<div class="controls">
<input id="q" type="search" placeholder="Search message, type, fingerprint, phase, route, video…" aria-label="search">
<details id="filters" class="filters"><summary>Filters and sort</summary><div class="filter-fields">
<select id="f-phase" aria-label="phase"><option value="">all phases</option></select>
<select id="f-category" aria-label="category"><option value="">all categories</option></select>
<select id="f-severity" aria-label="severity"><option value="">all severities</option></select>
<select id="f-route" aria-label="route"><option value="">all routes</option></select>
<select id="sort" aria-label="sort"><option value="count">most frequent</option><option value="marked">regressed and new first</option><option value="last">most recent</option><option value="first">oldest</option><option value="videos">most videos</option><option value="heap">highest heap use</option></select>
<button id="theme" type="button">light / dark</button>
</div></details>
</div>
</header>
<noscript><p>This report draws its content with JavaScript; the same data is in the JSON report.</p></noscript>
<main>
<section class="summary" aria-label="totals"><div id="totals" class="cards"></div></section>
<section id="top-errors"><h2>Top errors <span id="shown" class="muted count-note"></span></h2><table id="groups"><thead><tr><th class="num sortable" data-sort="count">count</th><th>error</th><th>trend</th><th class="sortable" data-sort="first">first seen</th><th class="sortable" data-sort="last">last seen</th><th class="num sortable" data-sort="videos">videos</th><th>releases</th></tr></thead></table></section>
<section><h2>Errors over time (top fingerprints)</h2><div id="timeline"></div></section>
<div class="two"><div><h2>By phase</h2><div id="by-phase"></div></div><div><h2>By category</h2><div id="by-category"></div></div><div><h2>By route</h2><div id="by-route"></div></div></div>
<section><h2>By release</h2><div id="by-release"></div></section>
<section><h2>Phase × category</h2><div id="heatmap"></div></section>
<section><h2>Pattern warnings</h2><div id="patterns"></div></section>
<section><h2>Memory, disk and timing at the error</h2><table id="memory-table"><thead><tr><th>error</th><th class="num">heap mean</th><th class="num">heap max</th><th class="num">heap / limit max</th><th class="num">rss max</th><th class="num">system memory max</th><th class="num">disk used max</th><th class="num">from phase start mean / max</th></tr></thead></table></section>
<section><h2>Error details</h2><div id="details"></div></section>
</main>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${HTML_PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** The HTML renderer. */
export const htmlReportRenderer: ReportRenderer = {
  extension: 'html',
  mediaType: 'text/html; charset=utf-8',
  async render(batches, context, out) {
    await out.write(renderHtmlPage(await aggregateStreamed(batches, context), context.traceLinks));
  },
};
