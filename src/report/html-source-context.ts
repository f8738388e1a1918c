/**
 * The "Source" part of a sample in the HTML report's error details: the lines around each
 * in-app frame (`exception.sourceContext`), the frame's own line marked. Plain ES2019 text that
 * the page script embeds (so it is covered by the page's script hash), and the few style rules
 * it needs, embedded in the page stylesheet. Text goes in through `textContent` only.
 */
export const HTML_SOURCE_CONTEXT_SCRIPT = `
function renderSourceContext(box, frames) {
  if (!Array.isArray(frames) || frames.length === 0) return;
  var h = document.createElement('h3'); h.textContent = 'Source'; box.appendChild(h);
  frames.slice(0, 5).forEach(function (f) {
    var wrap = document.createElement('div'); wrap.className = 'src';
    var title = document.createElement('div'); title.className = 'src-at';
    title.textContent = String(f.function) + ' · ' + String(f.file) + ':' + String(f.line);
    wrap.appendChild(title);
    var pre = (Array.isArray(f.pre) ? f.pre : []), post = (Array.isArray(f.post) ? f.post : []);
    var first = Number(f.line) - pre.length;
    var table = document.createElement('table'); table.className = 'src-lines';
    pre.concat([f.context], post).forEach(function (text, i) {
      var tr = document.createElement('tr');
      if (i === pre.length) tr.className = 'src-hit';
      var n = document.createElement('td'); n.className = 'src-n'; n.textContent = String(first + i);
      var code = document.createElement('td'); code.className = 'src-code'; code.textContent = String(text);
      tr.appendChild(n); tr.appendChild(code); table.appendChild(tr);
    });
    wrap.appendChild(table);
    box.appendChild(wrap);
  });
}
`;

export const HTML_SOURCE_CONTEXT_STYLE = `
.src{margin:4px 0 8px;border:1px solid var(--line);border-radius:6px;overflow:auto;background:var(--bg)}
.src-at{padding:4px 8px;color:var(--muted);border-bottom:1px solid var(--line);font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.src-lines{border-collapse:collapse;width:100%;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.src-lines td{padding:0 8px;border:0;white-space:pre;vertical-align:top}
.src-n{color:var(--muted);text-align:right;user-select:none;width:1%}
.src-hit{background:color-mix(in srgb,var(--accent) 18%,transparent)}
.src-hit .src-code{font-weight:600}
`;
