/**
 * The HTML report's stylesheet: light and dark themes, a desktop table and, below 720 px, the
 * same rows as stacked cards; print layout; no external resources.
 */
import { detailSectionsStyle, HTML_DETAIL_SECTIONS } from './html-detail-sections.js';

export const HTML_PAGE_STYLE = `
:root{--bg:#ffffff;--fg:#1b1f24;--muted:#5b6470;--card:#f5f7fa;--line:#d8dde3;--accent:#2563eb;--bad:#c2410c;--warn:#a16207;--new:#047857;
--s0:#2563eb;--s1:#db2777;--s2:#059669;--s3:#d97706;--s4:#7c3aed;--s5:#0891b2;--s6:#dc2626;--s7:#65a30d;--s8:#9ca3af;color-scheme:light}
@media (prefers-color-scheme:dark){:root:not([data-theme=light]){--bg:#0f1318;--fg:#e6e9ed;--muted:#9aa4b1;--card:#1a2028;--line:#2d3642;--accent:#60a5fa;--bad:#fb923c;--warn:#facc15;--new:#34d399;color-scheme:dark}}
:root[data-theme=dark]{--bg:#0f1318;--fg:#e6e9ed;--muted:#9aa4b1;--card:#1a2028;--line:#2d3642;--accent:#60a5fa;--bad:#fb923c;--warn:#facc15;--new:#34d399;color-scheme:dark}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans","PingFang SC","Microsoft YaHei",sans-serif}
header{background:var(--bg);border-bottom:1px solid var(--line);padding:10px 20px}
.title-row{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 14px}
h1{font-size:19px;margin:0}h2{font-size:16px;margin:0 0 10px}h3{font-size:14px;margin:12px 0 6px}
.sub{color:var(--muted);margin:0;font-size:13px}
.controls{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px;align-items:center}
.controls input,.controls select,.controls button{font:inherit;font-size:14px;color:var(--fg);background:var(--card);border:1px solid var(--line);border-radius:6px;padding:5px 8px;min-width:0}
.controls input{width:280px}.controls select{max-width:220px}
details.filters{display:block;border:0;padding:0;margin:0;background:none}.filters>summary{display:none}
.filter-fields{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.count-note{font-size:13px;font-weight:400;margin-left:6px}
main{padding:14px 20px;display:grid;gap:16px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px;overflow-x:auto;min-width:0}
.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px;min-width:0}
.two>div{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px;min-width:0}
section.summary{padding:10px 12px}
.cards{display:flex;flex-wrap:wrap;gap:8px}
.card{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:6px 12px;min-width:96px}
.card .v{font-size:19px;font-weight:600;line-height:1.2}.card .k{color:var(--muted);font-size:12px}
.card-new .v{color:var(--new)}.card-bad .v{color:var(--bad)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{color:var(--muted);font-weight:600;font-size:12px;white-space:nowrap}
th.sortable{cursor:pointer}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.row{cursor:pointer}tr.row:hover{background:var(--bg)}
td.count{font-weight:600;font-size:15px}
.msg{max-width:640px;overflow-wrap:anywhere}
.msg-head{font-size:14px}
.meta{margin-top:4px;display:flex;flex-wrap:wrap;gap:4px;align-items:center}
td.when{white-space:nowrap}
.age{border-bottom:1px dotted var(--muted)}
.tag{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 7px;margin:1px 2px 1px 0;font-size:12px;overflow-wrap:anywhere}
.mark{display:inline-block;font-size:11px;font-weight:700;letter-spacing:.03em;text-transform:uppercase;border-radius:4px;padding:1px 6px;margin-right:6px;color:#fff;vertical-align:1px}
.mark-new{background:var(--new)}.mark-regressed{background:var(--bad)}
.new-text{color:var(--new);font-weight:600}.bad-text{color:var(--bad);font-weight:600}
.sev{font-size:12px}.sev-critical,.sev-high{color:var(--bad);font-weight:600}.sev-medium{color:var(--warn)}
.muted{color:var(--muted)}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:8px;margin:4px 0;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;max-height:420px;overflow:auto}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
details{border:1px solid var(--line);border-radius:8px;padding:8px 10px;margin:8px 0;background:var(--bg)}
summary{cursor:pointer;font-weight:600;overflow-wrap:anywhere}
.kv{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 12px}
.kv dt{color:var(--muted)}.kv dd{margin:0;overflow-wrap:anywhere}
.sample{border-top:1px dashed var(--line);margin-top:10px;padding-top:8px}
.copy{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:2px 0}
.copy button{font:12px inherit;border:1px solid var(--line);background:var(--card);color:var(--fg);border-radius:4px;cursor:pointer}
svg text{fill:var(--fg);font-size:12px}
svg .axis{stroke:var(--muted)}
svg .muted-text{fill:var(--muted)}
svg.spark{display:block}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;margin-top:6px;font-size:12px}
.legend svg{vertical-align:middle;margin-right:4px}
.heat td{text-align:center;min-width:56px}
.h0{background:transparent}.h1{background:rgba(220,38,38,.12)}.h2{background:rgba(220,38,38,.28)}.h3{background:rgba(220,38,38,.45)}.h4{background:rgba(220,38,38,.65);color:#fff}.h5{background:rgba(220,38,38,.85);color:#fff}
#memory-table td.msg{min-width:220px}
.hidden{display:none !important}
.fill-s0{fill:var(--s0)}.fill-s1{fill:var(--s1)}.fill-s2{fill:var(--s2)}.fill-s3{fill:var(--s3)}.fill-s4{fill:var(--s4)}.fill-s5{fill:var(--s5)}.fill-s6{fill:var(--s6)}.fill-s7{fill:var(--s7)}.fill-s8{fill:var(--s8)}
.fill-accent{fill:var(--accent)}.fill-bad{fill:var(--bad)}.fill-track{fill:var(--line)}
@media (max-width:720px){
header{padding:10px 12px}
h1{font-size:18px}
.controls{display:block}
.controls input{width:100%}
details.filters{margin-top:6px}
.filters>summary{display:list-item;font-weight:600;color:var(--accent);font-size:14px;padding:2px 0}
.filter-fields{display:grid;grid-template-columns:1fr 1fr;gap:6px;margin-top:6px}
.filter-fields select{max-width:none;width:100%}
.sub{font-size:12px}
main{padding:10px 8px;gap:12px}
section,.two>div{padding:10px 10px;border-radius:8px}
.two{grid-template-columns:minmax(0,1fr);gap:12px}
.cards{gap:6px}.card{flex:1 1 30%;min-width:0;padding:4px 8px}.card .v{font-size:16px}
#groups,#groups tbody{display:block}
#groups thead{display:none}
#groups tr.row{display:flex;flex-wrap:wrap;align-items:flex-start;gap:6px 14px;padding:10px;margin:0 0 8px;border:1px solid var(--line);border-radius:8px;background:var(--bg)}
#groups td{display:block;border:0;padding:0;text-align:left}
#groups td.count{order:0;flex:0 0 auto;font-size:18px}
#groups td.msg{order:1;flex:1 1 100%;max-width:none}
#groups td.trend,#groups td.when,#groups td.num:not(.count),#groups td.releases{order:2;flex:0 0 auto;font-size:13px}
#groups td.releases.empty{display:none}
#groups td.trend::before,#groups td.when::before,#groups td.num:not(.count)::before,#groups td.releases::before{content:attr(data-label);display:block;color:var(--muted);font-size:12px}
#groups td.count::after{content:" ×";color:var(--muted);font-weight:400}
.kv{grid-template-columns:minmax(0,1fr);gap:0}
.kv dd{margin-bottom:4px}
}
${detailSectionsStyle(HTML_DETAIL_SECTIONS)}
@media print{.controls,.copy button,#theme{display:none}body{font-size:11px;background:#fff;color:#000}section,.two>div{break-inside:avoid;border-color:#999}details{break-inside:avoid}pre{max-height:none}}
`;
