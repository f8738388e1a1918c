import type { HtmlDetailSection } from './html-detail-sections.js';

/**
 * The HTML report's link from a sample into Jaeger or Grafana: `traceUrl` is put on a sample
 * only from a configured http(s) base and a 32-hex-digit trace id (`trace-link.ts`), and the
 * page sets it as an `href` only if it is an http(s) URL once more.
 */
export const traceLinkSection: HtmlDetailSection = {
  id: 'trace-link',
  title: '',
  render: String.raw`function (box, s) {
  var url = ui.safeHttpUrl(s.traceUrl);
  if (!url) return;
  var a = ui.add(box, ui.el('a', 'trace-link', 'open this trace'));
  a.href = url; a.rel = 'noopener noreferrer'; a.target = '_blank';
}`,
};
