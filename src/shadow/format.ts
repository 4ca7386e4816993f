/** What `cutover shadow` prints: the dry-run listing, and the summary table after a run. */

import type { CheckResult, RunResult } from '../core/result-types.js'
import { formatMs } from '../core/units.js'
import { plannedArrivals, plannedDurationMs } from './plan.js'
import type { PreparedShadow } from './prepare.js'
import type { ShadowReport } from './report-types.js'
import { redactUrl } from '../core/redact.js'
import { replayEndpoint } from './replay.js'

/** Rows as aligned columns; the columns in `numeric` are right-aligned. */
function table (rows: string[][], numeric: ReadonlySet<number> = new Set()): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? []
  return rows.map((row) => row.map((cell, column) => {
    const width = widths[column] ?? 0
    return numeric.has(column) ? cell.padStart(width) : cell.padEnd(width)
  }).join('  ').trimEnd()).join('\n')
}

const percent = (fraction: number): string => `${(fraction * 100).toFixed(fraction > 0 && fraction < 0.001 ? 3 : 1)}%`

function planLine (prepared: PreparedShadow): string {
  const { plan } = prepared
  const phases = plan.phases.map((p) => `${p.name} ${formatMs(p.durationMs)} at ${p.fromRate === p.toRate ? p.fromRate : `${p.fromRate}→${p.toRate}`} req/s`).join(', ')
  const cap = plan.maxRequests === undefined ? '' : `, stopping after ${plan.maxRequests} requests`
  return `plan (${plan.source === 'flags' ? 'from the flags' : 'from the scenario\'s phases'}): ${phases}; about ${plannedArrivals(plan.phases)} requests in ${formatMs(plannedDurationMs(plan.phases))}${cap}`
}

/** The `--dry-run` listing: roles, plan, what would be sent (method, path template, weight) and what is left out. Nothing is sent. */
export function formatDryRun (prepared: PreparedShadow): string {
  const { arms } = prepared
  const lines: string[] = []
  if (arms.note !== undefined) lines.push(arms.note)
  lines.push(`old: ${arms.old}   new: ${arms.new}   noise: ${arms.old2 === undefined ? `${arms.old} asked a second time` : arms.old2}`)
  lines.push(planLine(prepared))
  lines.push('')
  if (prepared.replay !== undefined) {
    const counts = new Map<string, number>()
    for (const entry of prepared.replay.entries) {
      const key = replayEndpoint(entry.method, entry.path)
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    lines.push(`would replay ${prepared.replay.entries.length} recorded requests (${prepared.replay.format.toUpperCase()}), in order:`)
    lines.push(table([['method', 'path', 'count'], ...[...counts].map(([key, count]) => {
      const [method = '', ...path] = key.split(' ')
      return [method, redactUrl(path.join(' ')), String(count)]
    })], new Set([2])))
  } else {
    const total = prepared.requests.reduce((sum, r) => sum + r.weight, 0)
    const templates = new Map((prepared.scenario.config.requests ?? []).map((r) => [r.name, r.path]))
    lines.push('would send each of these to old twice (or old and old2) and to new once:')
    lines.push(table([['request', 'method', 'path', 'weight', 'share'], ...prepared.requests.map((r) => [r.name, r.method, redactUrl(templates.get(r.name) ?? ''), String(r.weight), percent(r.weight / total)])], new Set([3, 4])))
  }
  if (prepared.skipped.length > 0) {
    lines.push('')
    lines.push('not shadowed:')
    for (const s of prepared.skipped) lines.push(`  ${s.method} ${s.name}${s.count > 1 ? ` ×${s.count}` : ''}: ${s.reason}`)
  }
  lines.push('')
  lines.push('dry run: nothing was sent')
  return lines.join('\n')
}

const statusMark: Record<CheckResult['status'], string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', inconclusive: '????' }

/** Most differing paths shown per endpoint. */
const topPaths = 5

/** The terminal summary: per endpoint the requests and real mismatch rate, the top differing paths, suggested rules, checks and verdict. */
export function formatShadowSummary (result: RunResult, report: ShadowReport): string {
  const lines: string[] = []
  const noise = report.noiseSource === 'old2' ? `${report.targets.noise}, a second old` : `${report.targets.old} asked twice`
  lines.push(`shadow: ${report.requests} requests compared (old: ${report.targets.old}, new: ${report.targets.new}, noise: ${noise}); ${report.mode} verdicts`)
  const rows: string[][] = [['endpoint', 'requests', 'real mismatch', 'differing path', 'kind', 'raw', 'noise', 'verdict']]
  for (const endpoint of report.endpoints) {
    rows.push([endpoint.name, String(endpoint.requests), percent(endpoint.mismatchRate), '', '', '', '', ''])
    const shown = endpoint.fields.filter((field) => field.rawCount > 0 || field.verdict === 'real').slice(0, topPaths)
    for (const field of shown) rows.push(['', '', '', field.path, field.kind, percent(field.rawRate), percent(field.noiseRate), field.verdict])
    const more = endpoint.fields.filter((field) => field.rawCount > 0).length - shown.length
    if (more > 0) rows.push(['', '', '', `… ${more} more in result.json`, '', '', '', ''])
  }
  if (report.endpoints.length > 0) lines.push(table(rows, new Set([1, 2, 5, 6])))
  if (report.dropped > 0) lines.push(`${report.dropped} arrivals were dropped because too many requests were outstanding`)
  const failedRequests = report.endpoints.reduce((sum, e) => sum + e.failed, 0)
  if (failedRequests > 0) lines.push(`${failedRequests} requests got no response from at least one service (compared as status 0)`)
  if (report.suggestions.length > 0) {
    lines.push('')
    lines.push('old differs from itself here on most requests; consider adding to the shadow block:')
    const ignore = report.suggestions.filter((s) => s.rule === 'ignore')
    const unordered = report.suggestions.filter((s) => s.rule === 'unordered')
    const headers = report.suggestions.filter((s) => s.rule === 'header')
    if (ignore.length > 0) lines.push(`  ignore: [${ignore.map((s) => JSON.stringify(s.path)).join(', ')}]`)
    if (unordered.length > 0) lines.push(`  arrays: { ${unordered.map((s) => `${JSON.stringify(s.path)}: unordered`).join(', ')} }`)
    if (headers.length > 0) lines.push(`  headers: leave out ${headers.map((s) => s.path.replace(/^headers\./, '')).join(', ')}`)
  }
  lines.push('')
  for (const check of result.checks) lines.push(`${statusMark[check.status]}  ${check.id}  ${check.message}`)
  for (const failure of result.failures) lines.push(`FAIL  target ${failure.target}: ${failure.message}`)
  if (result.failures.length > 0) lines.push('no verdict: a target could not take part, so nothing was compared to the end')
  else lines.push(`verdict: ${result.verdict.toUpperCase()}${result.status === 'completed' ? '' : ` (run ${result.status}: what was compared so far)`}`)
  return lines.join('\n')
}
