/** The report's stylesheet: system fonts, a coloured verdict banner, tidy tables, consistent status colours. */
import { statusColors } from '../charts/palette.js'

/** CSS of report.html. */
export function reportStyles (): string {
  const c = statusColors
  return `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --bg: #f3f5f8;
  --pass: ${c.pass}; --fail: ${c.fail}; --warn: ${c.warn}; --inconclusive: ${c.inconclusive}; --neutral: ${c.neutral}; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
.wrap { max-width: 1240px; margin: 0 auto; padding: 24px 24px 64px; }
h1 { font-size: 24px; margin: 0; font-weight: 650; letter-spacing: -0.01em; overflow-wrap: anywhere; }
h2 { font-size: 18px; margin: 0 0 14px; font-weight: 650; overflow-wrap: anywhere; }
h3 { font-size: 14px; margin: 18px 0 8px; font-weight: 650; color: var(--fg); overflow-wrap: anywhere; }
.brand { font-size: 12px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); font-weight: 600; }
.subtitle { color: var(--muted); margin: 2px 0 0; overflow-wrap: anywhere; }
.head { display: flex; justify-content: space-between; align-items: flex-end; gap: 16px; margin-bottom: 14px; flex-wrap: wrap; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; font-weight: 600; }
.legend span { display: inline-flex; align-items: center; gap: 6px; overflow-wrap: anywhere; }
.verdict { border-radius: 12px; padding: 22px 26px; color: #fff; display: flex; align-items: center; gap: 26px; flex-wrap: wrap; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.verdict-pass { background: linear-gradient(135deg, #1a7f37, #2da44e); }
.verdict-fail { background: linear-gradient(135deg, #b3151f, #d73a49); }
.verdict-inconclusive { background: linear-gradient(135deg, #6639ba, #8957e5); }
.verdict-word { font-size: 44px; font-weight: 800; letter-spacing: .04em; line-height: 1; }
.verdict-text { font-size: 17px; font-weight: 500; max-width: 820px; overflow-wrap: anywhere; }
.verdict-label { font-size: 12px; text-transform: uppercase; letter-spacing: .1em; opacity: .85; font-weight: 600; }
.notes { margin: 12px 0 0; display: grid; gap: 8px; }
.note { border-left: 4px solid var(--neutral); background: #fff; padding: 10px 14px; border-radius: 6px; overflow-wrap: anywhere; }
.note-fail { border-color: var(--fail); } .note-warn { border-color: var(--warn); } .note-pass { border-color: var(--pass); } .note-inconclusive { border-color: var(--inconclusive); }
.meta { display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 14px 2px 0; color: var(--muted); font-size: 13px; }
.meta b { color: var(--fg); font-weight: 600; }
nav.toc { position: sticky; top: 0; z-index: 5; background: rgba(243,245,248,.94); backdrop-filter: blur(4px); margin: 16px -24px 0; padding: 8px 24px; border-bottom: 1px solid var(--line); display: flex; gap: 4px 18px; flex-wrap: wrap; font-size: 13px; }
nav.toc a { color: var(--muted); text-decoration: none; font-weight: 600; }
nav.toc a:hover { color: var(--fg); }
section.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 20px 22px; margin-top: 18px; }
p.text { margin: 0 0 12px; color: var(--muted); overflow-wrap: anywhere; }
p.text.tone-fail { color: var(--fail); } p.text.tone-pass { color: var(--pass); } p.text.tone-warn { color: var(--warn); } p.text.tone-inconclusive { color: var(--inconclusive); }
.table-wrap { overflow-x: auto; margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 11.5px; text-transform: uppercase; letter-spacing: .04em; padding: 6px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
td { padding: 7px 10px; border-bottom: 1px solid #eaeef2; vertical-align: top; overflow-wrap: break-word; }
tr.has-detail td { border-bottom: 0; padding-bottom: 2px; }
tr.detail td { color: var(--muted); font-size: 12.5px; padding-top: 0; padding-bottom: 10px; }
tr:last-child td { border-bottom: 0; }
tbody tr:hover td { background: #f8fafc; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.mono, code, pre { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
td.mono { font-size: 12.5px; }
td.tone-fail { color: var(--fail); font-weight: 600; } td.tone-warn { color: var(--warn); font-weight: 600; } td.tone-pass { color: var(--pass); }
.pill { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 11.5px; font-weight: 700; text-transform: uppercase; letter-spacing: .03em; white-space: nowrap; border: 1px solid transparent; }
.pill-pass { color: var(--pass); background: #dafbe1; border-color: #aceebb; }
.pill-fail { color: #fff; background: var(--fail); }
.pill-warn { color: var(--warn); background: #fff1e0; border-color: #ffd8a8; }
.pill-inconclusive { color: var(--inconclusive); background: #fbefff; border-color: #e6d0ff; }
.pill-neutral { color: var(--neutral); background: var(--soft); border-color: var(--line); }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 7px; vertical-align: baseline; flex: none; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 10px 18px; margin: 0 0 14px; }
.fact .label { font-size: 11.5px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; font-weight: 600; }
.fact .value { font-weight: 600; overflow-wrap: anywhere; }
.fact .value.tone-fail { color: var(--fail); } .fact .value.tone-warn { color: var(--warn); } .fact .value.tone-pass { color: var(--pass); } .fact .value.tone-inconclusive { color: var(--inconclusive); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 16px; }
.subcard { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; min-width: 0; }
.subcard > h3:first-child { margin-top: 0; display: flex; align-items: center; gap: 8px; font-size: 16px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
.chart { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px 8px; min-width: 0; }
.chart h3 { margin: 0; font-size: 14px; }
.chart .chart-note { color: var(--muted); font-size: 12px; margin: 0; }
.chart .canvas-box { position: relative; height: 290px; margin-top: 6px; }
.chart .png { font-size: 12px; color: var(--muted); }
.ci { display: inline-flex; align-items: center; gap: 10px; }
.ci-track { position: relative; width: 150px; height: 16px; background: var(--soft); border-radius: 4px; flex: none; }
.ci-neutral { position: absolute; top: 0; bottom: 0; width: 1px; background: #8c959f; }
.ci-limit { position: absolute; top: -2px; bottom: -2px; width: 0; border-left: 2px dashed var(--fail); }
.ci-bar { position: absolute; top: 5px; height: 6px; border-radius: 3px; min-width: 2px; }
.ci-dot { position: absolute; top: 3px; width: 10px; height: 10px; margin-left: -5px; border-radius: 50%; border: 2px solid #fff; }
.ci-text { font-variant-numeric: tabular-nums; white-space: nowrap; font-size: 12.5px; }
.bg-pass { background: var(--pass); } .bg-fail { background: var(--fail); } .bg-warn { background: var(--warn); } .bg-inconclusive { background: var(--inconclusive); } .bg-neutral { background: var(--neutral); }
pre.block { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; font-size: 12.5px; line-height: 1.45; max-height: 520px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 12px; }
ul.links { margin: 0; padding: 0; list-style: none; display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 6px 18px; }
ul.links a { color: #0969da; font-weight: 600; text-decoration: none; overflow-wrap: anywhere; }
ul.links a:hover { text-decoration: underline; }
ul.links .link-note { color: var(--muted); font-size: 12px; margin-left: 6px; }
.sample { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 14px; overflow: hidden; }
.sample-head { background: var(--soft); padding: 8px 12px; border-bottom: 1px solid var(--line); font-size: 13px; overflow-wrap: anywhere; }
.sample-head .mono { font-weight: 600; }
.answers { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); }
.answer { padding: 10px 12px; border-right: 1px solid var(--line); min-width: 0; }
.answer:last-child { border-right: 0; }
.answer.tone-fail { background: #fff8f8; } .answer.tone-warn { background: #fffaf2; }
.answer-head { display: flex; justify-content: space-between; align-items: center; margin-bottom: 6px; font-weight: 600; }
.answer pre { margin: 0 0 6px; font-size: 12px; background: #fff; border: 1px solid #eaeef2; border-radius: 4px; padding: 6px 8px; max-height: 260px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; text-align: center; }
@media (max-width: 760px) { .cards, .charts { grid-template-columns: 1fr; } .answers { grid-template-columns: 1fr; } .verdict-word { font-size: 34px; } }
@media print { nav.toc { position: static; } body { background: #fff; } section.card { break-inside: avoid-page; } }
`
}
