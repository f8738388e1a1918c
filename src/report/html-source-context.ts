/**
 * The "Source" section of a sample in the HTML report's error details: the lines around each
 * in-app frame (`exception.sourceContext`), the frame's own line marked. Text goes in through
 * `textContent` only.
 */
import type { HtmlDetailSection } from './html-detail-sections.js';

export const sourceContextSection: HtmlDetailSection = {
  id: 'source',
  title: 'Source',
  render: `function (box, s) {
  var frames = s.sourceContext;
  if (!Array.isArray(frames) || frames.length === 0) return;
  frames.slice(0, 5).forEach(function (f) {
    var wrap = ui.add(box, ui.el('div', 'src'));
    ui.add(wrap, ui.el('div', 'src-at', String(f.function) + ' · ' + String(f.file) + ':' + String(f.line)));
    var pre = Array.isArray(f.pre) ? f.pre : [], post = Array.isArray(f.post) ? f.post : [];
    var first = Number(f.line) - pre.length;
    var table = ui.add(wrap, ui.el('table', 'src-lines'));
    pre.concat([f.context], post).forEach(function (text, i) {
      var tr = ui.add(table, ui.el('tr', i === pre.length ? 'src-hit' : null));
      ui.add(tr, ui.el('td', 'src-n', String(first + i)));
      ui.add(tr, ui.el('td', 'src-code', String(text)));
    });
  });
}`,
  style: `
.src{margin:4px 0 8px;border:1px solid var(--line);border-radius:6px;overflow:auto;background:var(--bg)}
.src-at{padding:4px 8px;color:var(--muted);border-bottom:1px solid var(--line);font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.src-lines{border-collapse:collapse;width:100%;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.src-lines td{padding:0 8px;border:0;white-space:pre;vertical-align:top}
.src-n{color:var(--muted);text-align:right;user-select:none;width:1%}
.src-hit{background:color-mix(in srgb,var(--accent) 18%,transparent)}
.src-hit .src-code{font-weight:600}
`,
};
