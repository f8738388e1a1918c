/**
 * The breadcrumbs of a sample in the HTML report's error details: one row per event before the
 * error, with how long before it, the kind, the text and its figures (duration, status). Page
 * script source of an error-details section; every value goes in through `textContent`.
 */
import type { HtmlDetailSection } from './html-detail-sections.js';

export const HTML_BREADCRUMBS_SECTION: HtmlDetailSection = {
  id: 'breadcrumbs',
  title: 'Breadcrumbs',
  render: `function (box, s) {
  var list = s.breadcrumbs;
  if (!Array.isArray(list) || !list.length) return;
  var at = Date.parse(s.time);
  var table = ui.add(box, ui.el('table', 'crumbs')), body = ui.add(table, ui.el('tbody'));
  list.forEach(function (c) {
    var tr = ui.add(body, ui.el('tr', c.level ? 'crumb-' + c.level : null));
    tr.setAttribute('data-category', String(c.category));
    var dt = Date.parse(c.time) - at;
    ui.add(tr, ui.el('td', 'num', isFinite(dt) ? (dt <= 0 ? '−' : '+') + (Math.abs(dt) / 1000).toFixed(3) + ' s' : ''));
    ui.add(tr, ui.el('td', null, c.category));
    ui.add(tr, ui.el('td', 'msg', c.message));
    var d = c.data || {}, parts = [];
    if (typeof d.statusCode === 'number') parts.push('status ' + d.statusCode);
    if (typeof d.durationMs === 'number') parts.push(d.durationMs + ' ms');
    if (d.status === 'error') parts.push('error');
    if (typeof d.error === 'string') parts.push(d.error);
    if (typeof d.span === 'string') parts.push('on ' + d.span);
    if (d.attributes && typeof d.attributes === 'object') parts.push(JSON.stringify(d.attributes));
    ui.add(tr, ui.el('td', 'msg', parts.join(' · ')));
  });
}`,
  style:
    '.crumbs td{padding:3px 8px;font-size:12px}.crumb-error td{color:var(--bad)}.crumb-warning td{color:var(--warn)}',
};
