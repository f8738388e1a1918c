import { HTML_SOURCE_CONTEXT_STYLE } from './html-source-context.js';

/** The HTML report's stylesheet: light and dark themes, print layout; no external resources. */
export const HTML_PAGE_STYLE = `
:root{--bg:#ffffff;--fg:#1b1f24;--muted:#5b6470;--card:#f5f7fa;--line:#d8dde3;--accent:#2563eb;--bad:#c2410c;--warn:#a16207;
--s0:#2563eb;--s1:#db2777;--s2:#059669;--s3:#d97706;--s4:#7c3aed;--s5:#0891b2;--s6:#dc2626;--s7:#65a30d;--s8:#9ca3af;color-scheme:light}
@media (prefers-color-scheme:dark){:root:not([data-theme=light]){--bg:#0f1318;--fg:#e6e9ed;--muted:#9aa4b1;--card:#1a2028;--line:#2d3642;--accent:#60a5fa;--bad:#fb923c;--warn:#facc15;color-scheme:dark}}
:root[data-theme=dark]{--bg:#0f1318;--fg:#e6e9ed;--muted:#9aa4b1;--card:#1a2028;--line:#2d3642;--accent:#60a5fa;--bad:#fb923c;--warn:#facc15;color-scheme:dark}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans","PingFang SC","Microsoft YaHei",sans-serif}
header{position:sticky;top:0;z-index:2;background:var(--bg);border-bottom:1px solid var(--line);padding:12px 20px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:0 0 10px}h3{font-size:14px;margin:12px 0 6px}
.sub{color:var(--muted);margin:0}
.controls{display:flex;flex-wrap:wrap;gap:8px;margin-top:10px;align-items:center}
.controls input,.controls select,.controls button{font:inherit;color:var(--fg);background:var(--card);border:1px solid var(--line);border-radius:6px;padding:5px 8px}
.controls input{min-width:260px}.controls select{max-width:240px}
main{padding:16px 20px;display:grid;gap:18px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;overflow-x:auto}
.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:18px;background:none;border:0;padding:0}
.two>div{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px}
.card{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:10px}
.card .v{font-size:22px;font-weight:600}.card .k{color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{color:var(--muted);font-weight:600;font-size:12px;white-space:nowrap}
th.sortable{cursor:pointer}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.row{cursor:pointer}tr.row:hover{background:var(--bg)}
.msg{max-width:520px;word-break:break-word}
.tag{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 6px;margin:1px 2px 1px 0;font-size:12px}
.sev-critical,.sev-high{color:var(--bad);font-weight:600}.sev-medium{color:var(--warn)}
.muted{color:var(--muted)}
pre{white-space:pre-wrap;word-break:break-word;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:8px;margin:4px 0;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;max-height:420px;overflow:auto}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
details{border:1px solid var(--line);border-radius:8px;padding:8px 10px;margin:8px 0;background:var(--bg)}
summary{cursor:pointer;font-weight:600}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}
.kv dt{color:var(--muted)}.kv dd{margin:0;word-break:break-word}
.sample{border-top:1px dashed var(--line);margin-top:10px;padding-top:8px}
.copy{display:flex;gap:6px;align-items:center;margin:2px 0}
.copy button{font:12px inherit;border:1px solid var(--line);background:var(--card);color:var(--fg);border-radius:4px;cursor:pointer}
svg text{fill:var(--fg);font-size:11px}
svg .axis{stroke:var(--line)}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;margin-top:6px;font-size:12px}
.legend svg{vertical-align:middle;margin-right:4px}
.heat td{text-align:center;min-width:56px}
.h0{background:transparent}.h1{background:rgba(220,38,38,.12)}.h2{background:rgba(220,38,38,.28)}.h3{background:rgba(220,38,38,.45)}.h4{background:rgba(220,38,38,.65);color:#fff}.h5{background:rgba(220,38,38,.85);color:#fff}
.hidden{display:none}
.fill-s0{fill:var(--s0)}.fill-s1{fill:var(--s1)}.fill-s2{fill:var(--s2)}.fill-s3{fill:var(--s3)}.fill-s4{fill:var(--s4)}.fill-s5{fill:var(--s5)}.fill-s6{fill:var(--s6)}.fill-s7{fill:var(--s7)}.fill-s8{fill:var(--s8)}
.fill-accent{fill:var(--accent)}.fill-bad{fill:var(--bad)}.fill-track{fill:var(--line)}
@media print{header{position:static}.controls,.copy button,#theme{display:none}body{font-size:11px;background:#fff;color:#000}section,.two>div{break-inside:avoid;border-color:#999}details{break-inside:avoid}pre{max-height:none}}
${HTML_SOURCE_CONTEXT_STYLE}`;
