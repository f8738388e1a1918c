/**
 * The page script's helpers: DOM building (text through `textContent` only), number, size,
 * time and age formats. Plain ES2019 source, joined into one script by `html-page-script.ts`.
 */
export const HTML_SCRIPT_CORE = String.raw`
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
var MS = { s: 1000, min: 60000, h: 3600000, d: 86400000 };
/** A width of time in the largest unit that divides it well: "10 ms", "2 s", "5 min", "3 h", "1 day", "1 week". */
function fmtSpan(ms) {
  if (ms < MS.s) return ms + ' ms';
  if (ms < MS.min) return ms / MS.s + ' s';
  if (ms < MS.h) return ms / MS.min + ' min';
  if (ms < MS.d) return ms / MS.h + ' h';
  if (ms % (7 * MS.d) === 0) return ms / (7 * MS.d) === 1 ? '1 week' : ms / (7 * MS.d) + ' weeks';
  return ms / MS.d === 1 ? '1 day' : ms / MS.d + ' days';
}
/** A time range as short as it can be read: the end leaves out the year, or the date, it shares with the start. */
function fmtRange(a, b) {
  if (!a || !b) return '–';
  var x = String(a).slice(0, 16).replace('T', ' '), y = String(b).slice(0, 16).replace('T', ' ');
  if (y.slice(0, 10) === x.slice(0, 10)) y = String(b).slice(11, 23);
  else if (y.slice(0, 4) === x.slice(0, 4)) y = y.slice(5);
  if (y === x) y = String(b).slice(11, 23);
  return x + ' → ' + y + ' UTC';
}
function fmtTime(iso) { return iso ? String(iso).replace('T', ' ').replace('Z', ' UTC') : '–'; }
var NOW = Date.parse(D.generatedAt);
/** How long before the report was made: "just now", "40 s ago", "5 min ago", "3 h ago", "12 d ago". */
function fmtAgo(iso) {
  var t = Date.parse(iso);
  if (!isFinite(t) || !isFinite(NOW)) return '–';
  var d = Math.max(0, NOW - t);
  if (d < MS.s) return 'just now';
  if (d < MS.min) return Math.round(d / MS.s) + ' s ago';
  if (d < MS.h) return Math.round(d / MS.min) + ' min ago';
  if (d < 2 * MS.d) return Math.round(d / MS.h) + ' h ago';
  if (d < 60 * MS.d) return Math.round(d / MS.d) + ' d ago';
  return Math.round(d / (30 * MS.d)) + ' mo ago';
}
function ago(parent, iso) { var s = add(parent, el('span', 'age', fmtAgo(iso))); s.title = fmtTime(iso); return s; }
function short(fp) { return String(fp).slice(0, 10); }
function safeHttpUrl(value) {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) return null;
  try { var u = new URL(value); return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null; } catch (e) { return null; }
}
function traceqlString(value) { return '"' + String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"'; }
function pretty(value) { try { return JSON.stringify(value, null, 2); } catch (e) { return String(value); } }
/** The drawing width of a chart box in CSS pixels, so SVG text is drawn at its real size. */
function boxWidth(box, min) { return Math.max(min || 280, Math.floor(box.getBoundingClientRect().width) || 0); }
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
var groups = D.groups || [];
var byFp = Object.create(null);
groups.forEach(function (g, i) { g._color = i < 8 ? 's' + i : 's8'; byFp[g.fingerprint] = g; });
`;
