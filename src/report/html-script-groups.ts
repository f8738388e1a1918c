/**
 * The page script's summary strip and top-errors list: one row per group (a stacked card on a
 * narrow screen) with its count, marks (new, regressed), a sparkline, relative first and last
 * seen, videos and releases.
 */
export const HTML_SCRIPT_GROUPS = String.raw`
byId('title').textContent = D.title;
var t = D.totals;
byId('subtitle').textContent = fmtRange(t.firstSeen, t.lastSeen) + ' · generated ' + String(D.generatedAt).slice(0, 16).replace('T', ' ') + ' UTC';
byId('subtitle').title = fmtTime(t.firstSeen) + ' → ' + fmtTime(t.lastSeen);
// Filters fold away on a narrow screen, to keep the errors on the first screen.
if (window.matchMedia('(min-width: 721px)').matches) byId('filters').open = true;
var cards = byId('totals');
function card(k, v, cls) { var c = add(cards, el('div', 'card' + (cls ? ' ' + cls : ''))); add(c, el('div', 'v', v)); add(c, el('div', 'k', k)); return c; }
var newCount = groups.filter(function (g) { return g.isNew; }).length;
var regressedCount = groups.filter(function (g) { return g.regressed; }).length;
card('errors', fmtNum(t.records));
if (t.folded > 0) card('more folded by the flood guard', fmtNum(t.folded));
card('distinct errors', fmtNum(t.fingerprints));
card('new', fmtNum(newCount), newCount ? 'card-new' : '').id = 'new-count';
card('regressed', fmtNum(regressedCount), regressedCount ? 'card-bad' : '').id = 'regressed-count';
card('videos affected', fmtNum(t.videos) + (t.videosCapped ? '+' : ''));
Object.keys(D.bySeverity || {}).forEach(function (s) { card('severity ' + s, fmtNum(D.bySeverity[s])); });
card('source files', fmtNum(D.source.files));
card('unreadable lines', fmtNum(D.source.corruptLines)).id = 'corrupt-lines';
if (D.source.duplicates) card('duplicates dropped', fmtNum(D.source.duplicates));
if (D.source.shortenedRecords) card('records cut (nested too deep)', fmtNum(D.source.shortenedRecords));
if (D.omittedGroups) card('fingerprints without detail', fmtNum(D.omittedGroups));

/** A small bar sparkline of a group's trend; the bins span the whole report. */
function sparkline(parent, counts) {
  var W = 96, H = 24, n = counts.length || 1, max = Math.max.apply(null, counts.concat([1]));
  var s = add(parent, svg('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, 'class': 'spark', role: 'img', 'aria-label': 'trend' }));
  s.setAttribute('data-chart', 'spark');
  add(s, svg('rect', { x: 0, y: H - 1, width: W, height: 1, 'class': 'fill-track' }));
  var bw = W / n;
  counts.forEach(function (c, i) {
    if (!c) return;
    var h = Math.max(2, (c / max) * (H - 2));
    add(s, svg('rect', { x: i * bw + 0.5, y: H - h, width: Math.max(bw - 1, 1), height: h, 'class': 'fill-accent' }));
  });
  add(s, svg('title', {})).textContent = counts.join(' ') + ' (one bin per ' + fmtSpan(D.timeline.trendBucketMs || D.timeline.bucketMs) + ')';
  return s;
}
function marks(parent, g) {
  if (g.regressed) add(parent, el('span', 'mark mark-regressed', 'regressed in ' + g.regressed.release)).title = 'seen in ' + g.regressed.after + ', not in ' + g.regressed.skipped + ', back in ' + g.regressed.release;
  if (g.isNew) add(parent, el('span', 'mark mark-new', 'new'));
}
function cell(tr, cls, label) { var td = add(tr, el('td', cls)); td.setAttribute('data-label', label); return td; }

var tbody = add(byId('groups'), el('tbody'));
var rows = groups.map(function (g) {
  var tr = el('tr', 'row'); tr.setAttribute('data-fp', g.fingerprint);
  if (g.regressed) tr.classList.add('is-regressed');
  if (g.isNew) tr.classList.add('is-new');
  cell(tr, 'num count', 'count').textContent = fmtNum(g.count) + (g.folded ? ' (+' + fmtNum(g.folded) + ')' : '');
  var m = cell(tr, 'msg', 'error');
  var head = add(m, el('div', 'msg-head'));
  marks(head, g);
  add(head, el('strong', null, g.type)); add(head, document.createTextNode(': ' + g.message));
  var meta = add(m, el('div', 'meta'));
  add(meta, el('span', 'sev sev-' + g.severity, g.severity + (g.retryable ? ' · retryable' : '')));
  add(meta, el('span', 'tag', g.category + (g.subcategory ? ' / ' + g.subcategory : '')));
  Object.keys(g.phases).forEach(function (p) { if (p !== '(none)') add(meta, el('span', 'tag tag-phase', p + ' ' + g.phases[p])); });
  Object.keys(g.routes || {}).forEach(function (r) { if (r !== '(none)') add(meta, el('span', 'tag tag-route', r + ' ' + g.routes[r])); });
  sparkline(cell(tr, 'trend', 'trend'), g.trend || []);
  ago(cell(tr, 'when', 'first seen'), g.firstSeen);
  ago(cell(tr, 'when', 'last seen'), g.lastSeen);
  cell(tr, 'num', 'videos').textContent = fmtNum(g.videos) + (g.videosCapped ? '+' : '');
  var rel = cell(tr, 'releases', 'releases');
  (g.releases || []).slice(-3).forEach(function (r) { add(rel, el('span', 'tag', r.release + ' ' + fmtNum(r.count))); });
  if (!g.releases || !g.releases.length) rel.classList.add('empty');
  tr.addEventListener('click', function () { var d = byId('detail-' + g.fingerprint); if (d) { d.open = true; d.scrollIntoView(); } });
  tbody.appendChild(tr);
  return { g: g, tr: tr };
});
`;
