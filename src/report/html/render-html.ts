/** Writes report.html: one self-contained page with chart.js, the stylesheet, the data and the script inlined. */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { statusColors } from '../charts/palette.js'
import { clientScript } from './client-script.js'
import { escapeHtml, inlineScriptSource, jsonForScript } from './escape.js'
import type { ReportModel } from './report-model.js'
import { reportStyles } from './styles.js'

let chartJsSource: string | undefined

/** chart.js's UMD build, read once from node_modules (its package exports do not list the file, so it is found next to the main entry). */
export function chartJsUmd (): string {
  if (chartJsSource === undefined) {
    const main = createRequire(import.meta.url).resolve('chart.js')
    chartJsSource = inlineScriptSource(readFileSync(join(dirname(main), 'chart.umd.js'), 'utf8'))
  }
  return chartJsSource
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`

function favicon (verdict: ReportModel['verdict']): string {
  const color = verdict === 'pass' ? statusColors.pass : verdict === 'fail' ? statusColors.fail : statusColors.inconclusive
  const svg = `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><circle cx='8' cy='8' r='7' fill='${color}'/></svg>`
  return `data:image/svg+xml,${encodeURIComponent(svg)}`
}

/**
 * The page. Data sits in a JSON block escaped so it cannot leave its element;
 * the script builds the DOM with textContent. A Content-Security-Policy allows
 * only the two inlined scripts (by hash) and no network at all, so even markup
 * that slipped through could neither run nor load anything.
 */
export function renderHtml (model: ReportModel): string {
  const chartJs = chartJsUmd()
  const script = inlineScriptSource(clientScript)
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(chartJs)} ${sha256(script)}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "object-src 'none'"
  ].join('; ')
  const title = `${model.verdictText} — ${model.title} — cutover`
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="${escapeHtml(model.generatedBy)}">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="${escapeHtml(favicon(model.verdict))}">
<style>${reportStyles()}</style>
</head>
<body>
<main class="wrap" id="report">
<noscript><h1>${escapeHtml(model.title)}</h1><p><strong>Verdict: ${escapeHtml(model.verdictText)}</strong> — ${escapeHtml(model.headline)}</p><p>This report draws its tables and charts with JavaScript; summary.md and result.json hold the same figures.</p></noscript>
</main>
<script type="application/json" id="cutover-data">${jsonForScript(model)}</script>
<script>${chartJs}</script>
<script>${script}</script>
</body>
</html>
`
}
