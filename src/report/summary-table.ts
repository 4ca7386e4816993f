import type { RunResult } from '../core/result-types.js'
import { formatBytes, formatMs } from '../core/units.js'

function table (rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? []
  return rows.map((row) => row.map((cell, column) => column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)).join('  ')).join('\n')
}

const percent = (fraction: number): string => `${(fraction * 100).toFixed(fraction > 0 && fraction < 0.001 ? 3 : 2)}%`

const statusMark: Record<string, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', inconclusive: '????' }

/** Journeys per target: iterations, completed and failed, then each step's requests, failures and latency (from its intended start). */
function journeyRows (targets: Array<[string, RunResult['targets'][string]]>): string[][] {
  const rows = [['journey (iterations) › step (requests)', 'runs', 'ok', 'failed', 'p50', 'p90', 'p99', 'max']]
  for (const [name, target] of targets) {
    for (const journey of target.journeys ?? []) {
      rows.push([`${name} ${journey.name}`, String(journey.iterations), String(journey.completed), String(journey.failed), '', '', '', ''])
      for (const step of journey.steps) {
        rows.push([`  ${step.name}`, String(step.requests), String(step.requests - step.failed), String(step.failed),
          formatMs(step.latencyMs.p50), formatMs(step.latencyMs.p90), formatMs(step.latencyMs.p99), formatMs(step.latencyMs.max)])
      }
      const reasons = Object.entries(journey.failures).sort((a, b) => b[1] - a[1]).slice(0, 3)
      for (const [reason, count] of reasons) rows.push([`  ✗ ${reason}`, '', '', String(count), '', '', '', ''])
    }
  }
  return rows
}

/** The terminal summary printed after a run: targets, phases, checks, verdict. */
export function summaryTable (result: RunResult): string {
  const lines: string[] = []
  const header = ['target', 'requests', 'failed', 'error rate', 'req/s', 'p50', 'p90', 'p99', 'max', 'late/dropped']
  const rows = [header]
  for (const [name, target] of Object.entries(result.targets)) {
    rows.push([
      name,
      String(target.requests.total),
      String(target.requests.failed),
      percent(target.requests.total === 0 ? 0 : target.requests.failed / target.requests.total),
      target.throughput.mean.toFixed(1),
      formatMs(target.latencyMs.p50),
      formatMs(target.latencyMs.p90),
      formatMs(target.latencyMs.p99),
      formatMs(target.latencyMs.max),
      `${target.generator.late}/${target.generator.dropped}`
    ])
    for (const phase of target.phases) {
      rows.push([
        `  ${phase.name}`,
        String(phase.requests.total),
        String(phase.requests.failed),
        percent(phase.requests.total === 0 ? 0 : phase.requests.failed / phase.requests.total),
        phase.throughput.toFixed(1),
        formatMs(phase.latencyMs.p50),
        formatMs(phase.latencyMs.p90),
        formatMs(phase.latencyMs.p99),
        formatMs(phase.latencyMs.max),
        `${phase.generator.late}/${phase.generator.dropped}`
      ])
    }
  }
  lines.push(table(rows))
  const sampled = Object.entries(result.targets).filter(([, target]) => target.resources !== undefined)
  if (sampled.length > 0) {
    const resourceRows = [['target', 'RSS mean', 'RSS peak', 'CPU mean', 'samples', 'source']]
    for (const [name, target] of sampled) {
      const r = target.resources
      if (r === undefined) continue
      resourceRows.push([name, formatBytes(r.rssMeanBytes), formatBytes(r.rssPeakBytes), `${r.cpuMeanPercent.toFixed(1)}%`, String(r.samples), r.source])
    }
    lines.push('')
    lines.push(table(resourceRows))
  }
  const analysed = Object.entries(result.targets).filter(([, target]) => target.leak !== undefined)
  if (analysed.length > 0) {
    const leakRows = [['target', 'leak verdict', 'growth', '95% interval', 'p', 'memory']]
    const perMin = (bytesPerSec: number): string => `${formatBytes(bytesPerSec * 60)}/min`
    for (const [name, target] of analysed) {
      const l = target.leak
      if (l === undefined) continue
      leakRows.push([name, l.verdict, perMin(l.slopeBytesPerSec), `${perMin(l.slopeCi[0])} … ${perMin(l.slopeCi[1])}`, l.pValue < 0.001 ? '<0.001' : l.pValue.toFixed(3), l.signal])
    }
    lines.push('')
    lines.push(table(leakRows))
  }
  const withJourneys = Object.entries(result.targets).filter(([, target]) => (target.journeys ?? []).length > 0)
  if (withJourneys.length > 0) {
    lines.push('')
    lines.push(table(journeyRows(withJourneys)))
  }
  const searched = Object.entries(result.targets).filter(([, target]) => target.capacity !== undefined)
  if (searched.length > 0) {
    const capacityRows = [['target', 'capacity', 'limited by', 'knee between', 'ceiling (closed-model holds)', 'steps']]
    for (const [name, target] of searched) {
      const c = target.capacity
      if (c === undefined) continue
      capacityRows.push([name, `${c.maxRps} req/s`, c.limitedBy, `${c.bracket[0]}–${c.bracket[1]} req/s`, c.ceiling === undefined ? '–' : `${c.ceiling.rps.toFixed(0)} req/s (${c.ceiling.ci[0].toFixed(0)}–${c.ceiling.ci[1].toFixed(0)}, ${c.ceiling.holds} holds)`, c.curve.map((s) => `${s.overload === true ? `ceiling ${s.throughput.toFixed(0)}` : s.rate}${s.passed ? '✓' : '✗'}`).join(' ')])
    }
    lines.push('')
    lines.push(table(capacityRows))
  }
  for (const [name, target] of Object.entries(result.targets)) {
    const errors = Object.entries(target.requests.byError)
    if (errors.length > 0) lines.push(`${name} errors: ${errors.map(([kind, n]) => `${kind} ${n}`).join(', ')}`)
    for (const event of target.events) lines.push(`${name} at ${event.t.toFixed(1)} s: ${event.type} — ${event.detail}`)
  }
  const comparison = result.comparison
  if (comparison !== undefined && comparison.metrics.length > 0) {
    const rows = [[`${comparison.new} vs ${comparison.old}`, comparison.old, comparison.new, 'change', '95% interval', 'verdict']]
    for (const metric of comparison.metrics) {
      const isRate = metric.name === 'errorRate'
      const isGrowth = metric.unit === 'bytes/s'
      const perMin = (bytesPerSec: number): string => `${formatBytes(bytesPerSec * 60)}/min`
      const show = (value: number): string => !Number.isFinite(value) ? '–' : isGrowth ? perMin(value) : metric.unit === 'ms' ? formatMs(value) : metric.unit === 'bytes' ? formatBytes(value) : isRate ? percent(value) : value.toFixed(metric.unit === 'req/s' ? 0 : 2)
      // the effect as judged: a ratio as a percent change, a difference in its unit (points for a rate, MB/min for growth)
      const scale = metric.scale ?? (isRate || isGrowth ? 'difference' : 'ratio')
      const effect = (value: number): string => !Number.isFinite(value)
        ? '–'
        : scale === 'ratio' ? `${value >= 1 ? '+' : ''}${((value - 1) * 100).toFixed(1)}%` : isGrowth ? `${value >= 0 ? '+' : ''}${perMin(value)}` : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(3)} pp`
      const interval = Number.isFinite(metric.ci[0]) && Number.isFinite(metric.ci[1]) ? `${effect(metric.ci[0])} … ${effect(metric.ci[1])}` : '–'
      const verdict = metric.verdict === 'inconclusive' && metric.settle !== undefined ? `inconclusive: ${metric.settle}` : metric.verdict
      rows.push([metric.name, show(metric.old), show(metric.new), effect(metric.ratio), interval, verdict])
    }
    lines.push('')
    lines.push(table(rows))
  }
  for (const failure of result.failures) {
    // messages of target failures name the target already
    const message = failure.message.includes(`"${failure.target}"`) ? failure.message : `target ${failure.target}: ${failure.message}`
    lines.push(`${message}${failure.hint === undefined ? '' : ` (${failure.hint})`}`)
  }
  if (result.checks.length > 0) {
    lines.push('')
    for (const check of result.checks) {
      lines.push(`${statusMark[check.status] ?? check.status}  ${check.target === undefined ? '' : `${check.target} `}${check.id}: ${check.message}`)
    }
  }
  lines.push('')
  const failed = result.failures.map((failure) => failure.target)
  const status = result.status === 'completed'
    ? ''
    : result.status === 'failed' && failed.length > 0
      ? ` of the checks, but the run failed: ${failed.join(' and ')} could not be measured to the end`
      : ` (run ${result.status})`
  lines.push(`verdict: ${result.verdict.toUpperCase()}${status}`)
  return lines.join('\n')
}
