/**
 * The HTML report's script. It reads the embedded JSON and builds the page with DOM calls:
 * every piece of data goes in through `textContent` or an attribute set by `setAttribute`
 * on a fixed attribute name, never through `innerHTML`, so no value can become markup.
 * Written as plain ES2019 in a string because the report must work offline with no bundle;
 * its SHA-256 goes into the page's Content-Security-Policy.
 */
export const HTML_PAGE_SCRIPT = String.raw`(function () {
'use strict';
var D = JSON.parse(document.getElementById('report-data').textContent);
var SVG = 'http://www.w3.org/2000/svg';
function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
function svg(tag, attrs) {
  var e = document.createElementNS(SVG, tag);
  for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, String(attrs[k]));
  return e;
}
function add(parent, child) { parent.appendChild(child); return child; }
function byId(id) { return document.getElementById(id); }
function fmtNum(n) { return typeof n === 'number' && isFinite(n) ? n.toLocaleString('en-US') : '–'; }
function fmtBytes(n) {
  if (typeof n !== 'number' || !isFinite(n)) return '–';
  var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
  while (Math.abs(n) >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + u[i];
}
function fmtPct(r) { return typeof r === 'number' && isFinite(r) ? (r * 100).toFixed(1) + '%' : '–'; }
function fmtMs(ms) {
  if (typeof ms !== 'number' || !isFinite(ms)) return '–';
  if (ms < 1000) return Math.round(ms) + ' ms';
  if (ms < 120000) return (ms / 1000).toFixed(1) + ' s';
  return (ms / 60000).toFixed(1) + ' min';
}
function fmtTime(iso) { return iso ? String(iso).replace('T', ' ').replace('Z', ' UTC') : '–'; }
function short(fp) { return String(fp).slice(0, 10); }
function safeHttpUrl(value) {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) return null;
  try { var u = new URL(value); return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null; } catch (e) { return null; }
}
function traceqlString(value) { return '"' + String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"'; }
function pretty(value) { try { return JSON.stringify(value, null, 2); } catch (e) { return String(value); } }

var groups = D.groups || [];
var byFp = Object.create(null);
groups.forEach(function (g, i) { g._color = i < 8 ? 's' + i : 's8'; byFp[g.fingerprint] = g; });

// Header and totals
byId('title').textContent = D.title;
var t = D.totals;
byId('subtitle').textContent = fmtTime(t.firstSeen) + ' → ' + fmtTime(t.lastSeen) + ' · generated ' + fmtTime(D.generatedAt);
var cards = byId('totals');
function card(k, v) { var c = add(cards, el('div', 'card')); add(c, el('div', 'v', v)); add(c, el('div', 'k', k)); return c; }
card('errors', fmtNum(t.records));
if (t.folded > 0) card('more folded by the flood guard', fmtNum(t.folded));
card('distinct errors (fingerprints)', fmtNum(t.fingerprints));
card('videos affected', fmtNum(t.videos) + (t.videosCapped ? '+' : ''));
Object.keys(D.bySeverity || {}).forEach(function (s) { card('severity ' + s, fmtNum(D.bySeverity[s])); });
card('source files', fmtNum(D.source.files));
card('unreadable lines', fmtNum(D.source.corruptLines)).id = 'corrupt-lines';
if (D.source.duplicates) card('duplicates dropped', fmtNum(D.source.duplicates));
if (D.source.shortenedRecords) card('records cut (nested too deep)', fmtNum(D.source.shortenedRecords));
if (D.omittedGroups) card('fingerprints without detail', fmtNum(D.omittedGroups));

// Timeline: stacked bars, one colour per top fingerprint
(function timeline() {
  var box = byId('timeline'), tl = D.timeline;
  if (!tl.start || tl.total.length === 0) { add(box, el('p', 'muted', 'No errors in range.')); return; }
  var W = 960, H = 220, L = 44, B = 30, n = tl.total.length;
  var max = Math.max.apply(null, tl.total.concat([1]));
  var s = add(box, svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', role: 'img', 'aria-label': 'errors over time' }));
  s.setAttribute('data-chart', 'timeline');
  add(s, svg('line', { x1: L, y1: H - B, x2: W, y2: H - B, 'class': 'axis' }));
  var lbl = add(s, svg('text', { x: 4, y: 14 })); lbl.textContent = fmtNum(max);
  var bw = (W - L) / n, start = Date.parse(tl.start);
  var layers = tl.series.map(function (se, i) { return { counts: se.counts, cls: 'fill-s' + i, fp: se.fingerprint }; });
  layers.push({ counts: tl.other, cls: 'fill-s8', fp: null });
  for (var i = 0; i < n; i++) {
    var y = H - B;
    layers.forEach(function (layer) {
      var c = layer.counts[i] || 0; if (!c) return;
      var h = (c / max) * (H - B - 20);
      y -= h;
      var r = add(s, svg('rect', { x: L + i * bw + 0.5, y: y, width: Math.max(bw - 1, 1), height: h, 'class': layer.cls }));
      var tip = add(r, svg('title', {}));
      var g = layer.fp ? byFp[layer.fp] : null;
      tip.textContent = fmtTime(new Date(start + i * tl.bucketMs).toISOString()) + ' · ' + c + ' × ' + (g ? g.type + ': ' + g.message : 'other');
    });
  }
  [0, n - 1].forEach(function (i) {
    var x = add(s, svg('text', { x: L + i * bw, y: H - 10, 'text-anchor': i === 0 ? 'start' : 'end' }));
    if (i !== 0) x.setAttribute('x', String(W));
    x.textContent = fmtTime(new Date(start + (i === 0 ? 0 : n) * tl.bucketMs).toISOString());
  });
  var legend = add(box, el('div', 'legend'));
  tl.series.forEach(function (se, i) {
    var g = byFp[se.fingerprint], item = add(legend, el('span'));
    var sw = add(item, svg('svg', { width: 10, height: 10 })); add(sw, svg('rect', { width: 10, height: 10, 'class': 'fill-s' + i }));
    add(item, document.createTextNode((g ? g.type + ': ' + g.message : short(se.fingerprint)).slice(0, 80)));
  });
  add(box, el('p', 'muted', 'One bar per ' + (tl.bucketMs >= 3600000 ? tl.bucketMs / 3600000 + ' h' : tl.bucketMs / 60000 + ' min')));
})();

// Horizontal bar chart
function bars(boxId, rows, label) {
  var box = byId(boxId);
  if (rows.length === 0) { add(box, el('p', 'muted', 'None.')); return; }
  var W = 460, R = 22, L = 150, H = rows.length * R + 4;
  var max = Math.max.apply(null, rows.map(function (r) { return r.count; }).concat([1]));
  var s = add(box, svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', role: 'img', 'aria-label': label }));
  s.setAttribute('data-chart', boxId);
  rows.forEach(function (r, i) {
    var name = add(s, svg('text', { x: 0, y: i * R + 15 })); name.textContent = String(r.name).slice(0, 24);
    add(s, svg('rect', { x: L, y: i * R + 4, width: W - L - 60, height: 14, 'class': 'fill-track' }));
    var bar = add(s, svg('rect', { x: L, y: i * R + 4, width: Math.max(((W - L - 60) * r.count) / max, 1), height: 14, 'class': 'fill-accent' }));
    add(bar, svg('title', {})).textContent = r.name + ': ' + r.count;
    var v = add(s, svg('text', { x: W - 4, y: i * R + 15, 'text-anchor': 'end' })); v.textContent = fmtNum(r.count);
  });
}
bars('by-phase', D.byPhase.map(function (p) { return { name: p.phase, count: p.count }; }), 'errors by phase');
bars('by-category', D.byCategory.map(function (c) { return { name: c.category, count: c.count }; }), 'errors by category');

// Heat map: phase × category
(function heat() {
  var box = byId('heatmap'), hm = D.heatmap;
  if (hm.phases.length === 0) { add(box, el('p', 'muted', 'None.')); return; }
  var max = 1; hm.counts.forEach(function (row) { row.forEach(function (c) { if (c > max) max = c; }); });
  var table = add(box, el('table', 'heat')), head = add(add(table, el('thead')), el('tr'));
  add(head, el('th', null, 'phase \\ category'));
  hm.categories.forEach(function (c) { add(head, el('th', null, c)); });
  var body = add(table, el('tbody'));
  hm.phases.forEach(function (p, i) {
    var tr = add(body, el('tr')); add(tr, el('th', null, p));
    hm.categories.forEach(function (c, j) {
      var n = hm.counts[i][j];
      var td = add(tr, el('td', 'h' + (n === 0 ? 0 : Math.min(5, Math.ceil((n / max) * 5))), n ? fmtNum(n) : ''));
      td.title = p + ' × ' + c + ': ' + n;
    });
  });
})();

// Pattern warnings
(function patterns() {
  var box = byId('patterns'), list = D.patterns || [];
  if (list.length === 0) { add(box, el('p', 'muted', 'No pattern warnings.')); return; }
  var ul = add(box, el('ul'));
  list.forEach(function (p) {
    var li = add(ul, el('li'));
    add(li, el('span', 'tag', p.type));
    add(li, document.createTextNode(' ' + p.message + ' (' + p.count + '×, last ' + fmtTime(p.lastSeen) + ')'));
  });
})();

// Memory, disk and phase timing per fingerprint
(function memory() {
  var table = byId('memory-table'), body = add(table, el('tbody'));
  groups.forEach(function (g) {
    var tr = add(body, el('tr')); tr.setAttribute('data-fp', g.fingerprint);
    add(tr, el('td', 'msg', g.type + ': ' + g.message));
    add(tr, el('td', 'num', fmtBytes(g.heapUsed.mean)));
    add(tr, el('td', 'num', fmtBytes(g.heapUsed.max)));
    var ratio = add(tr, el('td', 'num'));
    var s = add(ratio, svg('svg', { width: 60, height: 10 }));
    add(s, svg('rect', { width: 60, height: 10, 'class': 'fill-track' }));
    add(s, svg('rect', { width: Math.max(0, Math.min(1, g.heapUsedRatio.max)) * 60, height: 10, 'class': g.heapUsedRatio.max > 0.85 ? 'fill-bad' : 'fill-accent' }));
    add(ratio, document.createTextNode(' ' + fmtPct(g.heapUsedRatio.max)));
    add(tr, el('td', 'num', g.rss ? fmtBytes(g.rss.max) : '–'));
    add(tr, el('td', 'num', g.systemMemoryUsedRatio ? fmtPct(g.systemMemoryUsedRatio.max) : '–'));
    add(tr, el('td', 'num', g.diskUsedRatio ? fmtPct(g.diskUsedRatio.max) : '–'));
    add(tr, el('td', 'num', g.phaseElapsedMs ? fmtMs(g.phaseElapsedMs.mean) + ' / ' + fmtMs(g.phaseElapsedMs.max) : '–'));
  });
})();

// Top errors table
var tbody = add(byId('groups'), el('tbody'));
var rows = groups.map(function (g) {
  var tr = el('tr', 'row'); tr.setAttribute('data-fp', g.fingerprint);
  add(tr, el('td', 'num', fmtNum(g.count) + (g.folded ? ' (+' + fmtNum(g.folded) + ')' : '')));
  var m = add(tr, el('td', 'msg'));
  add(m, el('strong', null, g.type)); add(m, document.createTextNode(': ' + g.message));
  if (g.messageTemplate && g.messageTemplate !== g.message) add(m, el('div', 'muted', g.messageTemplate));
  add(tr, el('td', null, g.category + (g.subcategory ? ' / ' + g.subcategory : '')));
  add(tr, el('td', 'sev-' + g.severity, g.severity + (g.retryable ? ' · retryable' : '')));
  var ph = add(tr, el('td'));
  Object.keys(g.phases).forEach(function (p) { add(ph, el('span', 'tag', p + ' ' + g.phases[p])); });
  add(tr, el('td', 'num', fmtNum(g.videos) + (g.videosCapped ? '+' : '')));
  add(tr, el('td', null, fmtTime(g.firstSeen)));
  add(tr, el('td', null, fmtTime(g.lastSeen)));
  add(tr, el('td', 'msg', g.suggestion));
  var sim = add(tr, el('td'));
  g.similar.forEach(function (fp) { var o = byFp[fp]; add(sim, el('span', 'tag', o ? o.type + ': ' + String(o.messageTemplate || o.message).slice(0, 40) : short(fp))); });
  tr.addEventListener('click', function () { var d = byId('detail-' + g.fingerprint); if (d) { d.open = true; d.scrollIntoView(); } });
  tbody.appendChild(tr);
  return { g: g, tr: tr };
});

// Per-error detail
function kv(parent, pairs) {
  var dl = add(parent, el('dl', 'kv'));
  pairs.forEach(function (p) { if (p[1] === undefined || p[1] === null || p[1] === '') return; add(dl, el('dt', null, p[0])); add(dl, el('dd', null, p[1])); });
  return dl;
}
function copyLine(parent, label, text) {
  var row = add(parent, el('div', 'copy'));
  add(row, el('span', 'muted', label));
  var code = add(row, el('code', null, text));
  var b = add(row, el('button', null, 'copy')); b.type = 'button';
  b.addEventListener('click', function () {
    var done = function () { b.textContent = 'copied'; };
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, function () {});
    var range = document.createRange(); range.selectNodeContents(code);
    var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
  });
}
function contextTable(parent, ctx) {
  var table = add(parent, el('table')), body = add(table, el('tbody'));
  Object.keys(ctx).forEach(function (k) {
    var tr = add(body, el('tr')); add(tr, el('th', null, k));
    var v = ctx[k], td = add(tr, el('td', 'msg')), url = safeHttpUrl(v);
    if (url) { var a = add(td, el('a', null, v)); a.href = url; a.rel = 'noopener noreferrer nofollow'; }
    else td.textContent = typeof v === 'string' ? v : pretty(v);
  });
}
var details = byId('details');
var detailEls = groups.map(function (g) {
  var d = el('details'); d.id = 'detail-' + g.fingerprint; d.setAttribute('data-fp', g.fingerprint);
  add(d, el('summary', null, g.count + ' × ' + g.type + ': ' + g.message));
  kv(d, [['fingerprint', g.fingerprint], ['template', g.messageTemplate], ['category', g.category + (g.subcategory ? ' / ' + g.subcategory : '')],
    ['severity', g.severity + (g.retryable ? ' (retryable)' : '')], ['suggestion', g.suggestion], ['codes', Object.keys(g.codes).join(', ')],
    ['services', g.services.join(', ')], ['hosts', g.hosts.join(', ')], ['videos', g.videoSample.join(', ') + (g.videos > g.videoSample.length ? ' …' : '')]]);
  copyLine(d, 'Jaeger tags', 'error_insight.fingerprint=' + g.fingerprint);
  copyLine(d, 'TraceQL', '{ event:name = "exception" && event.error_insight.fingerprint = ' + traceqlString(g.fingerprint) + ' }');
  g.samples.forEach(function (s) {
    var box = add(d, el('div', 'sample'));
    add(box, el('h3', null, fmtTime(s.time) + (s.phase ? ' · ' + s.phase : '') + (s.videoHash ? ' · video ' + s.videoHash : '')));
    kv(box, [['service', s.service + ' · ' + s.host + ' · pid ' + s.pid], ['code', s.code], ['record id', s.id],
      ['from phase start', s.phaseElapsedMs !== undefined ? fmtMs(s.phaseElapsedMs) : undefined],
      ['memory', 'heap ' + fmtBytes(s.memory.heapUsed) + ' of ' + fmtBytes(s.memory.heapLimit) + ' (' + fmtPct(s.memory.heapUsedRatio) + ')' + (s.memory.rss !== undefined ? ' · rss ' + fmtBytes(s.memory.rss) : '')],
      ['system memory used', s.systemMemoryUsedRatio !== undefined ? fmtPct(s.systemMemoryUsedRatio) : undefined],
      ['fullest disk', s.diskUsedRatio !== undefined ? fmtPct(s.diskUsedRatio) + ' used' : undefined]]);
    if (s.trace) {
      copyLine(box, 'trace id', s.trace.traceId);
      copyLine(box, 'span id', s.trace.spanId);
      copyLine(box, 'TraceQL', '{ trace:id = ' + traceqlString(s.trace.traceId) + ' }');
    }
    add(box, el('h3', null, 'Stack trace'));
    add(box, el('pre', 'stack', s.stacktrace || s.type + ': ' + s.message));
    if (s.causes && s.causes.length) {
      add(box, el('h3', null, 'Caused by'));
      var ol = add(box, el('ol'));
      s.causes.forEach(function (c) { var li = add(ol, el('li', null, c.type + ': ' + c.message)); if (c.stacktrace) add(li, el('pre', null, c.stacktrace)); });
    }
    if (s.context && Object.keys(s.context).length) { add(box, el('h3', null, 'Context')); contextTable(box, s.context); }
    if (s.resources) { add(box, el('h3', null, 'Resource snapshot')); add(box, el('pre', null, pretty(s.resources))); }
  });
  details.appendChild(d);
  return d;
});

// Search, filter, sort
var q = byId('q'), fPhase = byId('f-phase'), fCat = byId('f-category'), fSev = byId('f-severity'), sortSel = byId('sort');
function options(select, values) { values.forEach(function (v) { var o = add(select, el('option', null, v)); o.value = v; }); }
options(fPhase, D.byPhase.map(function (p) { return p.phase; }));
options(fCat, D.byCategory.map(function (c) { return c.category; }));
options(fSev, Object.keys(D.bySeverity || {}));
var sorters = {
  count: function (a, b) { return b.g.count - a.g.count; },
  last: function (a, b) { return a.g.lastSeen < b.g.lastSeen ? 1 : a.g.lastSeen > b.g.lastSeen ? -1 : 0; },
  first: function (a, b) { return a.g.firstSeen < b.g.firstSeen ? -1 : a.g.firstSeen > b.g.firstSeen ? 1 : 0; },
  videos: function (a, b) { return b.g.videos - a.g.videos; },
  heap: function (a, b) { return b.g.heapUsedRatio.max - a.g.heapUsedRatio.max; }
};
function haystack(g) { return [g.fingerprint, g.type, g.message, g.messageTemplate || '', g.category, g.subcategory || '', g.suggestion, Object.keys(g.phases).join(' '), Object.keys(g.codes).join(' '), g.videoSample.join(' ')].join('\n').toLowerCase(); }
rows.forEach(function (r) { r.text = haystack(r.g); });
function apply() {
  var needle = q.value.trim().toLowerCase(), shown = 0, visible = Object.create(null);
  rows.forEach(function (r) {
    var g = r.g, ok = (!needle || r.text.indexOf(needle) !== -1) && (!fPhase.value || g.phases[fPhase.value] !== undefined) &&
      (!fCat.value || g.category === fCat.value) && (!fSev.value || g.severity === fSev.value);
    r.tr.classList.toggle('hidden', !ok); if (ok) { shown++; visible[g.fingerprint] = true; }
  });
  rows.slice().sort(sorters[sortSel.value] || sorters.count).forEach(function (r) { tbody.appendChild(r.tr); });
  detailEls.forEach(function (d) { d.classList.toggle('hidden', !visible[d.getAttribute('data-fp')]); });
  Array.prototype.forEach.call(byId('memory-table').querySelectorAll('tbody tr'), function (tr) { tr.classList.toggle('hidden', !visible[tr.getAttribute('data-fp')]); });
  byId('shown').textContent = shown + ' of ' + rows.length + ' shown';
}
[q, fPhase, fCat, fSev, sortSel].forEach(function (c) { c.addEventListener('input', apply); c.addEventListener('change', apply); });
Array.prototype.forEach.call(document.querySelectorAll('th[data-sort]'), function (th) {
  th.addEventListener('click', function () { sortSel.value = th.getAttribute('data-sort'); apply(); });
});
byId('theme').addEventListener('click', function () {
  var root = document.documentElement, dark = root.getAttribute('data-theme') === 'dark' || (!root.getAttribute('data-theme') && window.matchMedia('(prefers-color-scheme: dark)').matches);
  root.setAttribute('data-theme', dark ? 'light' : 'dark');
});
window.addEventListener('beforeprint', function () { detailEls.forEach(function (d) { d.open = true; }); });
apply();
document.documentElement.setAttribute('data-ready', 'true');
})();
`;
