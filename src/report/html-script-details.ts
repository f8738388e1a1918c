/**
 * The page script's error details: one `<details>` per group with its facts and query lines,
 * then per sample a heading, its key figures and the registered sections
 * (`html-detail-sections.ts`), each under its own heading.
 */
export const HTML_SCRIPT_DETAILS = String.raw`
var ui = { el: el, add: add, svg: svg, kv: kv, copyLine: copyLine, pretty: pretty, fmtTime: fmtTime, fmtAgo: fmtAgo, fmtBytes: fmtBytes, fmtPct: fmtPct, fmtMs: fmtMs, safeHttpUrl: safeHttpUrl, traceqlString: traceqlString };
function renderSections(box, s, g) {
  SECTIONS.forEach(function (section) {
    var part = el('div', 'section');
    part.setAttribute('data-section', section.id);
    try { section.render(part, s, g, ui); } catch (e) { part.textContent = ''; }
    if (!part.firstChild) return;
    if (section.title) part.insertBefore(el('h3', null, section.title), part.firstChild);
    add(box, part);
  });
}
function releaseText(g) { return (g.releases || []).map(function (r) { return r.release + ': ' + r.count; }).join(' · '); }
var details = byId('details');
var detailEls = groups.map(function (g) {
  var d = el('details'); d.id = 'detail-' + g.fingerprint; d.setAttribute('data-fp', g.fingerprint);
  var sum = add(d, el('summary'));
  marks(sum, g);
  add(sum, document.createTextNode(g.count + ' × ' + g.type + ': ' + g.message));
  kv(d, [['fingerprint', g.fingerprint], ['template', g.messageTemplate], ['category', g.category + (g.subcategory ? ' / ' + g.subcategory : '')],
    ['severity', g.severity + (g.retryable ? ' (retryable)' : '')], ['suggestion', g.suggestion], ['codes', Object.keys(g.codes).join(', ')],
    ['first seen', fmtAgo(g.firstSeen) + ' · ' + fmtTime(g.firstSeen)], ['last seen', fmtAgo(g.lastSeen) + ' · ' + fmtTime(g.lastSeen)],
    ['releases', releaseText(g)],
    ['regressed', g.regressed ? 'seen in ' + g.regressed.after + ', not in ' + g.regressed.skipped + ', back in ' + g.regressed.release : undefined],
    ['environments', (g.environments || []).join(', ')],
    ['routes', Object.keys(g.routes || {}).filter(function (r) { return r !== '(none)'; }).map(function (r) { return r + ' ' + g.routes[r]; }).join(' · ')],
    ['services', g.services.join(', ')], ['hosts', g.hosts.join(', ')], ['videos', g.videoSample.join(', ') + (g.videos > g.videoSample.length ? ' …' : '')],
    ['similar', g.similar.map(function (fp) { var o = byFp[fp]; return o ? o.type + ': ' + String(o.messageTemplate || o.message).slice(0, 60) : short(fp); }).join(' · ')]]);
  copyLine(d, 'Jaeger tags', 'error_insight.fingerprint=' + g.fingerprint);
  copyLine(d, 'TraceQL', '{ event:name = "exception" && event.error_insight.fingerprint = ' + traceqlString(g.fingerprint) + ' }');
  g.samples.forEach(function (s) {
    var box = add(d, el('div', 'sample'));
    add(box, el('h3', null, fmtTime(s.time) + (s.phase ? ' · ' + s.phase : '') + (s.videoHash ? ' · video ' + s.videoHash : '')));
    kv(box, [['service', s.service + (s.release ? ' ' + s.release : '') + (s.environment ? ' (' + s.environment + ')' : '') + ' · ' + s.host + ' · pid ' + s.pid], ['code', s.code], ['record id', s.id],
      ['from phase start', s.phaseElapsedMs !== undefined ? fmtMs(s.phaseElapsedMs) : undefined],
      ['memory', 'heap ' + fmtBytes(s.memory.heapUsed) + ' of ' + fmtBytes(s.memory.heapLimit) + ' (' + fmtPct(s.memory.heapUsedRatio) + ')' + (s.memory.rss !== undefined ? ' · rss ' + fmtBytes(s.memory.rss) : '')],
      ['system memory used', s.systemMemoryUsedRatio !== undefined ? fmtPct(s.systemMemoryUsedRatio) : undefined],
      ['fullest disk', s.diskUsedRatio !== undefined ? fmtPct(s.diskUsedRatio) + ' used' : undefined]]);
    if (s.trace) {
      copyLine(box, 'trace id', s.trace.traceId);
      copyLine(box, 'span id', s.trace.spanId);
      copyLine(box, 'TraceQL', '{ trace:id = ' + traceqlString(s.trace.traceId) + ' }');
    }
    renderSections(box, s, g);
  });
  details.appendChild(d);
  return d;
});
`;

/** Search, filters, sort, theme and print. */
export const HTML_SCRIPT_CONTROLS = String.raw`
var q = byId('q'), fPhase = byId('f-phase'), fCat = byId('f-category'), fSev = byId('f-severity'), fRoute = byId('f-route'), sortSel = byId('sort');
function options(select, values) { values.forEach(function (v) { var o = add(select, el('option', null, v)); o.value = v; }); }
options(fPhase, D.byPhase.map(function (p) { return p.phase; }));
options(fCat, D.byCategory.map(function (c) { return c.category; }));
options(fSev, Object.keys(D.bySeverity || {}));
if (hasRoutes) options(fRoute, D.byRoute.map(function (r) { return r.route; })); else fRoute.classList.add('hidden');
var sorters = {
  count: function (a, b) { return b.g.count - a.g.count; },
  last: function (a, b) { return a.g.lastSeen < b.g.lastSeen ? 1 : a.g.lastSeen > b.g.lastSeen ? -1 : 0; },
  first: function (a, b) { return a.g.firstSeen < b.g.firstSeen ? -1 : a.g.firstSeen > b.g.firstSeen ? 1 : 0; },
  videos: function (a, b) { return b.g.videos - a.g.videos; },
  heap: function (a, b) { return b.g.heapUsedRatio.max - a.g.heapUsedRatio.max; },
  marked: function (a, b) { var m = function (g) { return g.regressed ? 2 : g.isNew ? 1 : 0; }; return m(b.g) - m(a.g) || b.g.count - a.g.count; }
};
function haystack(g) { return [g.fingerprint, g.type, g.message, g.messageTemplate || '', g.category, g.subcategory || '', g.suggestion, Object.keys(g.phases).join(' '), Object.keys(g.routes || {}).join(' '), (g.releases || []).map(function (r) { return r.release; }).join(' '), Object.keys(g.codes).join(' '), g.videoSample.join(' ')].join('\n').toLowerCase(); }
rows.forEach(function (r) { r.text = haystack(r.g); });
function apply() {
  var needle = q.value.trim().toLowerCase(), shown = 0, visible = Object.create(null);
  rows.forEach(function (r) {
    var g = r.g, ok = (!needle || r.text.indexOf(needle) !== -1) && (!fPhase.value || g.phases[fPhase.value] !== undefined) &&
      (!fCat.value || g.category === fCat.value) && (!fSev.value || g.severity === fSev.value) &&
      (!fRoute.value || (g.routes && g.routes[fRoute.value] !== undefined));
    r.tr.classList.toggle('hidden', !ok); if (ok) { shown++; visible[g.fingerprint] = true; }
  });
  rows.slice().sort(sorters[sortSel.value] || sorters.count).forEach(function (r) { tbody.appendChild(r.tr); });
  detailEls.forEach(function (d) { d.classList.toggle('hidden', !visible[d.getAttribute('data-fp')]); });
  Array.prototype.forEach.call(byId('memory-table').querySelectorAll('tbody tr'), function (tr) { tr.classList.toggle('hidden', !visible[tr.getAttribute('data-fp')]); });
  byId('shown').textContent = shown + ' of ' + rows.length + ' shown';
}
[q, fPhase, fCat, fSev, fRoute, sortSel].forEach(function (c) { c.addEventListener('input', apply); c.addEventListener('change', apply); });
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
`;
