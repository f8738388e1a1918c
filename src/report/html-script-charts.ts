/**
 * The page script's charts: the timeline (stacked bars with an axis whose ticks and labels
 * follow the range, from milliseconds to weeks), bar charts per phase, category, route and
 * release, the heat map, pattern warnings and the memory table. Charts are drawn at the
 * pixel width of their box, so their text keeps its size on a phone, and redrawn on resize.
 */
export const HTML_SCRIPT_CHARTS = String.raw`
var TICK_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, MS.s, 2 * MS.s, 5 * MS.s, 10 * MS.s, 15 * MS.s, 30 * MS.s,
  MS.min, 2 * MS.min, 5 * MS.min, 10 * MS.min, 15 * MS.min, 30 * MS.min, MS.h, 2 * MS.h, 3 * MS.h, 6 * MS.h, 12 * MS.h,
  MS.d, 2 * MS.d, 7 * MS.d, 14 * MS.d, 28 * MS.d, 56 * MS.d, 91 * MS.d, 182 * MS.d, 364 * MS.d];
function pad(n, w) { var s = String(n); while (s.length < (w || 2)) s = '0' + s; return s; }
/** An axis label as precise as the tick step needs; the date is shown where it changes. */
function tickLabel(ms, step, withDate) {
  var d = new Date(ms);
  var date = d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
  var hm = pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
  if (step >= MS.d) return withDate ? date : pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
  var time = step < MS.min ? hm + ':' + pad(d.getUTCSeconds()) + (step < MS.s ? '.' + pad(d.getUTCMilliseconds(), 3) : '') : hm;
  return withDate ? date + ' ' + time : time;
}
/** About how wide a label of this step is, in pixels (12 px text), with room around it. */
function labelWidth(step, withDate) {
  if (step >= MS.d) return withDate ? 96 : 56;
  var chars = step < MS.s ? 12 : step < MS.min ? 8 : 5;
  return (withDate ? chars + 6 : chars) * 7.2 + 18;
}
/**
 * Ticks at round multiples of the smallest step whose labels fit the width. Past two days the
 * ticks are whole days; a shorter range that crosses midnight shows the date on its ticks.
 */
function axisTicks(startMs, endMs, widthPx) {
  var range = Math.max(1, endMs - startMs);
  var crossesDay = Math.floor(startMs / MS.d) !== Math.floor((endMs - 1) / MS.d);
  var step = TICK_STEPS[TICK_STEPS.length - 1];
  for (var i = 0; i < TICK_STEPS.length; i++) {
    var s = TICK_STEPS[i];
    if (range > 2 * MS.d && s < MS.d) continue;
    if ((range / s) * labelWidth(s, crossesDay && s < MS.d) <= widthPx) { step = s; break; }
  }
  var ticks = [], first = Math.ceil(startMs / step) * step;
  for (var x = first; x <= endMs; x += step) ticks.push(x);
  return { step: step, ticks: ticks, withDate: crossesDay && step < MS.d };
}

function drawTimeline() {
  var box = byId('timeline'), tl = D.timeline;
  box.textContent = '';
  if (!tl.start || tl.total.length === 0) { add(box, el('p', 'muted', 'No errors in range.')); return; }
  var W = boxWidth(box), H = 200, L = 40, R = 8, B = 34, T = 8, n = tl.total.length;
  var max = Math.max.apply(null, tl.total.concat([1]));
  var s = add(box, svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', 'aria-label': 'errors over time' }));
  s.setAttribute('data-chart', 'timeline');
  add(s, svg('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, 'class': 'axis' }));
  var top = add(s, svg('text', { x: L - 6, y: T + 10, 'text-anchor': 'end', 'class': 'axis-label' })); top.textContent = fmtNum(max);
  var zero = add(s, svg('text', { x: L - 6, y: H - B, 'text-anchor': 'end', 'class': 'axis-label' })); zero.textContent = '0';
  var plotW = W - L - R, bw = plotW / n, start = Date.parse(tl.start), end = start + n * tl.bucketMs;
  var layers = tl.series.map(function (se, i) { return { counts: se.counts, cls: 'fill-s' + i, fp: se.fingerprint }; });
  layers.push({ counts: tl.other, cls: 'fill-s8', fp: null });
  for (var i = 0; i < n; i++) {
    var y = H - B;
    layers.forEach(function (layer) {
      var c = layer.counts[i] || 0; if (!c) return;
      var h = (c / max) * (H - B - T - 8);
      y -= h;
      var r = add(s, svg('rect', { x: L + i * bw + (bw > 3 ? 0.5 : 0), y: y, width: Math.max(bw - (bw > 3 ? 1 : 0), 0.5), height: h, 'class': layer.cls }));
      var g = layer.fp ? byFp[layer.fp] : null;
      add(r, svg('title', {})).textContent = tickLabel(start + i * tl.bucketMs, tl.bucketMs, true) + ' · ' + c + ' × ' + (g ? g.type + ': ' + g.message : 'other');
    });
  }
  var axis = axisTicks(start, end, plotW), lastRight = -Infinity;
  axis.ticks.forEach(function (ms) {
    var x = L + ((ms - start) / (end - start)) * plotW;
    add(s, svg('line', { x1: x, y1: H - B, x2: x, y2: H - B + 4, 'class': 'axis' }));
    var label = add(s, svg('text', { x: x, y: H - B + 17, 'text-anchor': 'middle', 'class': 'axis-label tick' }));
    label.textContent = tickLabel(ms, axis.step, axis.withDate);
    // A label that would leave the chart or touch the one before is left out; its tick stays.
    var half = (label.getComputedTextLength ? label.getComputedTextLength() : 60) / 2;
    if (x - half < 0 || x + half > W || x - half < lastRight + 8) s.removeChild(label);
    else lastRight = x + half;
  });
  var note = add(s, svg('text', { x: W - R, y: H - 3, 'text-anchor': 'end', 'class': 'axis-label muted-text' }));
  note.textContent = 'UTC · one bar per ' + fmtSpan(tl.bucketMs);
  var legend = add(box, el('div', 'legend'));
  tl.series.forEach(function (se, i) {
    var g = byFp[se.fingerprint], item = add(legend, el('span'));
    var sw = add(item, svg('svg', { width: 10, height: 10 })); add(sw, svg('rect', { width: 10, height: 10, 'class': 'fill-s' + i }));
    add(item, document.createTextNode((g ? g.type + ': ' + g.message : short(se.fingerprint)).slice(0, 80)));
  });
}

function bars(boxId, rows, label) {
  var box = byId(boxId);
  box.textContent = '';
  if (rows.length === 0) { add(box, el('p', 'muted', 'None.')); return; }
  var W = boxWidth(box, 240), R = 24, L = Math.min(200, Math.floor(W * 0.42)), V = 56, H = rows.length * R + 4;
  var max = Math.max.apply(null, rows.map(function (r) { return r.count; }).concat([1]));
  var chars = Math.max(8, Math.floor((L - 8) / 7));
  var s = add(box, svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', 'aria-label': label }));
  s.setAttribute('data-chart', boxId);
  rows.forEach(function (r, i) {
    var name = add(s, svg('text', { x: 0, y: i * R + 16 }));
    var text = String(r.name);
    name.textContent = text.length > chars ? text.slice(0, chars - 1) + '…' : text;
    add(name, svg('title', {})).textContent = text;
    add(s, svg('rect', { x: L, y: i * R + 5, width: W - L - V, height: 14, 'class': 'fill-track' }));
    var bar = add(s, svg('rect', { x: L, y: i * R + 5, width: Math.max(((W - L - V) * r.count) / max, 1), height: 14, 'class': 'fill-accent' }));
    add(bar, svg('title', {})).textContent = r.name + ': ' + r.count;
    var v = add(s, svg('text', { x: W - 4, y: i * R + 16, 'text-anchor': 'end' })); v.textContent = fmtNum(r.count);
  });
}
var hasRoutes = (D.byRoute || []).some(function (r) { return r.route !== '(none)'; });
function drawBars() {
  bars('by-phase', D.byPhase.map(function (p) { return { name: p.phase, count: p.count }; }), 'errors by phase');
  bars('by-category', D.byCategory.map(function (c) { return { name: c.category, count: c.count }; }), 'errors by category');
  if (hasRoutes) bars('by-route', D.byRoute.slice(0, 20).map(function (r) { return { name: r.route, count: r.count }; }), 'errors by route');
}
if (!hasRoutes) byId('by-route').parentNode.classList.add('hidden');

(function releases() {
  var box = byId('by-release'), list = D.byRelease || [];
  if (list.length === 0) { box.parentNode.classList.add('hidden'); return; }
  var table = add(box, el('table', 'releases-table')), head = add(add(table, el('thead')), el('tr'));
  ['release', 'errors', 'distinct', 'new', 'regressed', 'first seen', 'last seen'].forEach(function (h, i) { add(head, el('th', i > 0 && i < 5 ? 'num' : null, h)); });
  var body = add(table, el('tbody'));
  list.forEach(function (r) {
    var tr = add(body, el('tr'));
    add(tr, el('td', null, r.release));
    add(tr, el('td', 'num', fmtNum(r.count)));
    add(tr, el('td', 'num', fmtNum(r.fingerprints)));
    add(tr, el('td', 'num' + (r.newFingerprints ? ' new-text' : ''), fmtNum(r.newFingerprints)));
    add(tr, el('td', 'num' + (r.regressions ? ' bad-text' : ''), fmtNum(r.regressions)));
    ago(add(tr, el('td')), r.firstSeen);
    ago(add(tr, el('td')), r.lastSeen);
  });
})();

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

(function patterns() {
  var box = byId('patterns'), list = D.patterns || [];
  if (list.length === 0) { add(box, el('p', 'muted', 'No pattern warnings.')); return; }
  var ul = add(box, el('ul'));
  list.forEach(function (p) {
    var li = add(ul, el('li'));
    add(li, el('span', 'tag', p.type));
    add(li, document.createTextNode(' ' + p.message + ' (' + p.count + '×, last ' + fmtAgo(p.lastSeen) + ')'));
  });
})();

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

function drawCharts() { drawTimeline(); drawBars(); }
drawCharts();
var lastWidth = window.innerWidth, resizeTimer = 0;
window.addEventListener('resize', function () {
  if (window.innerWidth === lastWidth) return;
  lastWidth = window.innerWidth;
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(drawCharts, 100);
});
`;
