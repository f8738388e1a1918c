import { HTML_BREADCRUMBS_SECTION } from './html-breadcrumbs.js';
import { traceLinkSection } from './trace-link-section.js';

/**
 * The sections of each sample in the HTML report's error details, in order. A section is the
 * source of a page-script function `function (box, sample, group, ui) { … }` that adds its
 * content to `box` with `ui` helpers (`el`, `add`, `kv`, `copyLine`, `pretty`, `fmtTime`,
 * `fmtAgo`, `safeHttpUrl`); data goes in through `textContent` only. A section that adds nothing
 * is left out with its heading. A new section is a module of its own exporting one of these,
 * plus one line in {@link HTML_DETAIL_SECTIONS}; its script and style are covered by the page's
 * CSP hashes like the rest.
 */
export interface HtmlDetailSection {
  /** Stable id: the section's `data-section` attribute. */
  id: string;
  /** Heading shown above the section; empty when the render function writes its own. */
  title: string;
  /** ES2019 source of the render function. */
  render: string;
  /** Page-script source placed before the sections (helper functions the render calls). */
  prelude?: string;
  /** Style rules the section needs, appended to the page stylesheet. */
  style?: string;
}

const stackSection: HtmlDetailSection = {
  id: 'stack',
  title: 'Stack trace',
  render: String.raw`function (box, s) { ui.add(box, ui.el('pre', 'stack', s.stacktrace || s.type + ': ' + s.message)); }`,
};

const causesSection: HtmlDetailSection = {
  id: 'causes',
  title: 'Caused by',
  render: String.raw`function (box, s) {
  if (!s.causes || !s.causes.length) return;
  var ol = ui.add(box, ui.el('ol'));
  s.causes.forEach(function (c) { var li = ui.add(ol, ui.el('li', null, c.type + ': ' + c.message)); if (c.stacktrace) ui.add(li, ui.el('pre', null, c.stacktrace)); });
}`,
};

const requestSection: HtmlDetailSection = {
  id: 'request',
  title: 'Request',
  render: String.raw`function (box, s) {
  var r = s.request;
  if (!r || typeof r !== 'object') return;
  ui.kv(box, [['method', r.method], ['route', r.route], ['path', r.path], ['status', r.status], ['peer', r.peer]]);
}`,
};

const contextSection: HtmlDetailSection = {
  id: 'context',
  title: 'Context',
  render: String.raw`function (box, s) {
  var ctx = s.context;
  if (!ctx || !Object.keys(ctx).length) return;
  var table = ui.add(box, ui.el('table')), body = ui.add(table, ui.el('tbody'));
  Object.keys(ctx).forEach(function (k) {
    var tr = ui.add(body, ui.el('tr')); ui.add(tr, ui.el('th', null, k));
    var v = ctx[k], td = ui.add(tr, ui.el('td', 'msg')), url = ui.safeHttpUrl(v);
    if (url) { var a = ui.add(td, ui.el('a', null, v)); a.href = url; a.rel = 'noopener noreferrer nofollow'; }
    else td.textContent = typeof v === 'string' ? v : ui.pretty(v);
  });
}`,
};

const resourcesSection: HtmlDetailSection = {
  id: 'resources',
  title: 'Resource snapshot',
  render: String.raw`function (box, s) { if (s.resources) ui.add(box, ui.el('pre', null, ui.pretty(s.resources))); }`,
};

/** Every section, in the order they appear under a sample. */
export const HTML_DETAIL_SECTIONS: readonly HtmlDetailSection[] = [
  traceLinkSection,
  stackSection,
  causesSection,
  requestSection,
  HTML_BREADCRUMBS_SECTION,
  contextSection,
  resourcesSection,
];

/** The helper code of every section, for the page script. */
export function detailSectionsPrelude(sections: readonly HtmlDetailSection[]): string {
  return sections.map((s) => s.prelude ?? '').join('\n');
}

/** The style rules of every section, for the page stylesheet. */
export function detailSectionsStyle(sections: readonly HtmlDetailSection[]): string {
  return sections.map((s) => s.style ?? '').join('');
}

/** The sections as a page-script array literal. Ids and titles are JSON (no markup can enter). */
export function detailSectionsSource(sections: readonly HtmlDetailSection[]): string {
  return `[${sections
    .map((s) => `{ id: ${JSON.stringify(s.id)}, title: ${JSON.stringify(s.title)}, render: ${s.render} }`)
    .join(',\n')}]`;
}
