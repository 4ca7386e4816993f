/** Baselines and comparisons with them, as terminal text. */

import type { CheckResult } from '../core/result-types.js'
import { formatBytes, formatMs } from '../core/units.js'
import type { BaselineFile, BaselineTarget } from '../analysis/baseline/baseline-format.js'
import type { BaselineComparison, BaselineMetric } from '../analysis/baseline/compare-baseline.js'

/** Columns padded to their widest cell: the first `leftColumns` left-aligned (names), the rest right-aligned (numbers). */
export function textTable (rows: string[][], leftColumns = 1): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? []
  return rows.map((row) => row.map((cell, column) => column < leftColumns ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)).join('  ').trimEnd()).join('\n')
}

const percent = (fraction: number): string => Number.isFinite(fraction) ? `${(fraction * 100).toFixed(fraction > 0 && fraction < 0.001 ? 3 : 2)}%` : '–'

const statusMark: Record<string, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', inconclusive: '????' }

function showValue (metric: BaselineMetric, value: number): string {
  if (!Number.isFinite(value)) return '–'
  if (metric.unit === 'ms') return formatMs(value)
  if (metric.unit === 'bytes') return formatBytes(value)
  if (metric.unit === 'fraction') return percent(value)
  return value.toFixed(metric.unit === 'req/s' ? 0 : 2)
}

function change (metric: BaselineMetric): string {
  if (metric.unit === 'fraction') return `${((metric.current - metric.baseline) * 100).toFixed(3)} pp`
  return Number.isFinite(metric.ratio) ? `${metric.ratio >= 1 ? '+' : ''}${((metric.ratio - 1) * 100).toFixed(1)}%` : '–'
}

function interval (metric: BaselineMetric): string {
  const [low, high] = metric.ci
  if (low === null || high === null || !Number.isFinite(low) || !Number.isFinite(high)) return '–'
  return metric.unit === 'fraction' ? `${(low * 100).toFixed(3)} … ${(high * 100).toFixed(3)} pp` : `${low.toFixed(3)} … ${high.toFixed(3)}×`
}

/** The comparison table, then every check, as `cutover baseline compare` prints them. */
export function comparisonText (comparison: BaselineComparison, checks: CheckResult[]): string {
  const lines = [`baseline ${comparison.file}: run ${comparison.source.runDir} of ${comparison.source.startedAt}, saved ${comparison.savedAt}`]
  if (comparison.metrics.length > 0) {
    const rows = [['target', 'metric', 'baseline', 'this run', 'change', '95% interval', 'verdict']]
    for (const metric of comparison.metrics) {
      rows.push([metric.target, metric.name, showValue(metric, metric.baseline), showValue(metric, metric.current), change(metric), interval(metric), metric.verdict])
    }
    lines.push('', textTable(rows, 2))
  }
  lines.push('')
  for (const check of checks) lines.push(`${statusMark[check.status] ?? check.status}  ${check.target === undefined ? '' : `${check.target} `}${check.id}: ${check.message}`)
  return lines.join('\n')
}

function describePlan (plan: BaselineFile['plan']): string {
  const phases = plan.phases.map((phase) => phase.kind === 'closed'
    ? `${phase.name} ${phase.durationMs / 1000}s ${phase.connections} connections`
    : `${phase.name} ${phase.durationMs / 1000}s ${phase.fromRate === phase.toRate ? `${phase.fromRate}/s` : `${phase.fromRate}→${phase.toRate}/s`}`)
  return `${phases.join(' · ')} (sampled every ${formatMs(plan.intervalMs)})`
}

function targetRow (name: string, target: BaselineTarget): string[] {
  const errorRate = target.requests.total === 0 ? 0 : target.requests.failed / target.requests.total
  return [
    name,
    String(target.requests.total),
    percent(errorRate),
    target.throughput.mean.toFixed(1),
    formatMs(target.latencyMs.p50),
    formatMs(target.latencyMs.p95),
    formatMs(target.latencyMs.p99),
    target.resources === undefined ? '–' : formatBytes(target.resources.rssMeanBytes),
    target.resources === undefined ? '–' : `${target.resources.cpuMeanPercent.toFixed(1)}%`,
    `${target.series.latencyWindows.length}/${target.series.closedThroughput.length}/${target.series.rssBytes.length}`
  ]
}

/** A readable summary of one baseline: where it came from, the machine, the plan, and each target's figures. */
export function describeBaseline (baseline: BaselineFile, path: string): string {
  const env = baseline.environment
  const lines = [
    `baseline ${path}`,
    `  scenario    ${baseline.scenario.name}${baseline.scenario.description === undefined ? '' : ` — ${baseline.scenario.description}`}`,
    `  saved       ${baseline.savedAt} by cutover ${baseline.tool.version} (schema ${baseline.schemaVersion})`,
    `  source run  ${baseline.source.runDir}, started ${baseline.source.startedAt} (${baseline.source.command}, ${baseline.source.schedule}, verdict ${baseline.source.verdict})`,
    `  machine     ${env.cpuModel}, ${env.cores} cores, ${formatBytes(env.memoryBytes)} memory, Node ${env.node}, ${env.platform}/${env.arch}${env.ci ? ', CI' : ''}`,
    `  plan        ${describePlan(baseline.plan)}`,
    ''
  ]
  const rows = [['target', 'requests', 'errors', 'req/s', 'p50', 'p95', 'p99', 'RSS mean', 'CPU mean', 'windows/throughput/memory points']]
  for (const [name, target] of Object.entries(baseline.targets)) rows.push(targetRow(name, target))
  lines.push(textTable(rows))
  for (const [name, target] of Object.entries(baseline.targets)) {
    if (target.leak !== undefined) lines.push(`${name} leak: ${target.leak.verdict}, ${formatBytes(target.leak.slopeBytesPerSec * 60)}/min (${target.leak.signal})`)
    if (target.capacity !== undefined) lines.push(`${name} capacity: ${target.capacity.maxRps} req/s, limited by ${target.capacity.limitedBy} (knee between ${target.capacity.bracket[0]} and ${target.capacity.bracket[1]} req/s)`)
  }
  return lines.join('\n')
}

/** One row per stored baseline file; unreadable files say why. */
export function baselineListText (entries: Array<{ file: string, bytes: number, baseline?: BaselineFile, problem?: string }>): string {
  const rows = [['file', 'scenario', 'saved (UTC)', 'source run started (UTC)', 'targets', 'size']]
  const problems: string[] = []
  for (const entry of entries) {
    if (entry.baseline === undefined) {
      problems.push(`${entry.file}: ${entry.problem ?? 'unreadable'}`)
      continue
    }
    const b = entry.baseline
    rows.push([entry.file, b.scenario.name, b.savedAt.slice(0, 19).replace('T', ' '), b.source.startedAt.slice(0, 19).replace('T', ' '), Object.keys(b.targets).join(', '), formatBytes(entry.bytes)])
  }
  return [...(rows.length > 1 ? [textTable(rows, 5)] : []), ...problems].join('\n')
}
