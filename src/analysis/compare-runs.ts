import type { CheckResult, ComparisonMetric, ComparisonSummary, RunResult } from '../core/result-types.js'
import type { Tolerance } from '../core/units.js'
import type { PlannedPhase } from '../plan/phases.js'
import type { TimelineLine } from '../rundir/timeline-line.js'
import { createHistogram, decodeHistogram, mergeInto, type Histogram } from '../metrics/histogram.js'
import { compactHistogram, type CompactHistogram } from '../metrics/histogram-values.js'
import { comparePooledQuantile } from './compare/compare-pooled-quantile.js'
import { compareErrorRates } from './compare/compare-error-rates.js'
import { compareMetric } from './compare/compare-metric.js'
import { defaultTolerances, type DefaultMetric } from './compare/defaults.js'
import type { MetricComparison } from './compare/types.js'
import { compareCapacity, comparePeak } from './compare/single-values.js'

/** `checks.compare` with units resolved. */
export type CompareTolerances = Partial<Record<DefaultMetric | 'p90' | 'capacity', Tolerance>>

/** Intervals with fewer requests say little about CPU per request and are left out of that series. */
export const minRequestsPerInterval = 10

/** Requests a latency window should hold: enough that each window's tail is not a single request. */
export const windowRequests = 200

/**
 * Consecutive intervals of one phase merged into windows of at least 200 requests; windows never span phases.
 * Each full window is handed to `take` (which must copy what it keeps) before the histogram is reused.
 */
export function mergeLatencyWindows<T> (lines: readonly TimelineLine[], take: (merged: Histogram) => T): T[] {
  const windows: T[] = []
  const merged = createHistogram()
  let phase = ''
  const close = (): void => {
    if (merged.totalCount >= windowRequests) windows.push(take(merged))
    merged.reset()
  }
  for (const line of lines) {
    if (line.phase !== phase) {
      close()
      phase = line.phase
    }
    if (line.hist === '' || line.requests === 0) continue
    try {
      mergeInto(merged, decodeHistogram(line.hist))
    } catch {
      continue
    }
    if (merged.totalCount >= windowRequests) close()
  }
  close()
  return windows
}

/** The latency windows of `lines`, compact for the bootstrap. */
export function latencyWindows (lines: readonly TimelineLine[]): CompactHistogram[] {
  return mergeLatencyWindows(lines, compactHistogram)
}

/** Which of two or more targets is old and which is new: `old` and `new` when so named, else the first two. */
export function comparedPair (names: string[]): { old: string, new: string } | undefined {
  if (names.includes('old') && names.includes('new')) return { old: 'old', new: 'new' }
  const [first, second] = names
  return first !== undefined && second !== undefined ? { old: first, new: second } : undefined
}

/** True for phases whose intervals are compared: not warm-up, not idle (rate 0). */
export function isComparedPhase (phase: PlannedPhase | undefined): boolean {
  if (phase === undefined) return false
  if (/^warm-?up$/i.test(phase.name)) return false
  return phase.kind === 'closed' || phase.fromRate > 0 || phase.toRate > 0
}

interface Series {
  lines: TimelineLine[]
  open: TimelineLine[]
  closed: TimelineLine[]
}

function seriesOf (lines: readonly TimelineLine[], target: string, phases: PlannedPhase[], intervalMs: number): Series {
  const byName = new Map(phases.map((phase) => [phase.name, phase]))
  const own = lines.filter((line) => line.target === target && line.phase !== 'idle' && isComparedPhase(byName.get(line.phase)) && line.intervalMs >= intervalMs * 0.5)
  return { lines: own, open: own.filter((line) => byName.get(line.phase)?.kind === 'open'), closed: own.filter((line) => byName.get(line.phase)?.kind === 'closed') }
}

/** CPU ms per request of an interval; NaN when it was not sampled or saw too few requests to say. */
export const cpuMsPerRequest = (line: TimelineLine): number =>
  line.resources === undefined || line.requests < minRequestsPerInterval ? NaN : (line.resources.cpuPercent / 100) * line.intervalMs / line.requests

/** A comparison as result.json reports it. */
export function toResultMetric (comparison: MetricComparison, unit: string): ComparisonMetric {
  return {
    name: comparison.name,
    unit,
    old: comparison.old,
    new: comparison.new,
    ratio: comparison.scale === 'ratio' ? comparison.estimate : comparison.ratio,
    ci: comparison.ci,
    method: comparison.method,
    verdict: comparison.verdict,
    message: comparison.message
  }
}

/** Compares new against old over the timeline: latency, throughput, errors, CPU per request, memory (and capacity knees). */
export function compareTargets (input: {
  result: Pick<RunResult, 'schedule' | 'targets'>
  lines: readonly TimelineLine[]
  phases: PlannedPhase[]
  intervalMs: number
  tolerances: CompareTolerances
  seed: number
}): { comparison: ComparisonSummary, checks: CheckResult[] } | undefined {
  const pair = comparedPair(Object.keys(input.result.targets))
  if (pair === undefined) return undefined
  const oldSummary = input.result.targets[pair.old]
  const newSummary = input.result.targets[pair.new]
  if (oldSummary === undefined || newSummary === undefined) return undefined
  const old = seriesOf(input.lines, pair.old, input.phases, input.intervalMs)
  const next = seriesOf(input.lines, pair.new, input.phases, input.intervalMs)
  const tolerance = (name: DefaultMetric | 'capacity'): Tolerance => input.tolerances[name] ?? (name === 'capacity' ? { kind: 'relative', fraction: -0.05 } : defaultTolerances[name])
  const metrics: ComparisonMetric[] = []
  const seed = input.seed

  // latency from open-model phases, where both got the same arrival plan; in closed-model phases latency
  // only mirrors throughput (Little's law), and the phases' shares would differ between old and new
  const latencyLines = (series: Series): TimelineLine[] => series.open.length > 0 ? series.open : series.closed
  const oldWindows = latencyWindows(latencyLines(old))
  const newWindows = latencyWindows(latencyLines(next))
  for (const [key, percentile] of [['p50', 50], ['p95', 95], ['p99', 99]] as const) {
    metrics.push(toResultMetric(comparePooledQuantile({ name: key, percentile, old: oldWindows, new: newWindows, tolerance: tolerance(key), seed }), 'ms'))
  }
  if (old.closed.length > 0 || next.closed.length > 0 || input.tolerances.throughput !== undefined) {
    // in open-model phases the plan fixes the throughput: only closed-model intervals can show a difference
    metrics.push(toResultMetric(compareMetric({ name: 'throughput', old: old.closed.map((l) => l.throughput), new: next.closed.map((l) => l.throughput), direction: 'lower-is-worse', tolerance: tolerance('throughput'), seed, format: (v) => `${v.toFixed(0)} req/s` }), 'req/s'))
  }
  const failures = (lines: TimelineLine[]): { failed: number, total: number } => lines.reduce((sum, line) => ({ failed: sum.failed + line.failed, total: sum.total + line.requests }), { failed: 0, total: 0 })
  const failedOld = failures(old.lines)
  const failedNew = failures(next.lines)
  metrics.push(toResultMetric(compareErrorRates({ failedOld: failedOld.failed, totalOld: failedOld.total, failedNew: failedNew.failed, totalNew: failedNew.total, tolerance: tolerance('errorRate') }), 'fraction'))
  const sampled = old.lines.some((line) => line.resources !== undefined) && next.lines.some((line) => line.resources !== undefined)
  if (sampled) {
    // the same phases as latency: closed-model floods would mix a second regime into the series
    metrics.push(toResultMetric(compareMetric({ name: 'cpuPerRequest', old: latencyLines(old).map(cpuMsPerRequest), new: latencyLines(next).map(cpuMsPerRequest), direction: 'higher-is-worse', tolerance: tolerance('cpuPerRequest'), seed, method: 'bootstrap-mean', format: (v) => `${v.toFixed(3)} ms CPU` }), 'ms'))
    const rss = (lines: TimelineLine[]): number[] => lines.map((line) => line.resources?.rssBytes ?? NaN)
    metrics.push(toResultMetric(compareMetric({ name: 'rssMean', old: rss(latencyLines(old)), new: rss(latencyLines(next)), direction: 'higher-is-worse', tolerance: tolerance('rssMean'), seed, method: 'bootstrap-mean', format: (v) => `${(v / 1e6).toFixed(1)} MB` }), 'bytes'))
    if (oldSummary.resources !== undefined && newSummary.resources !== undefined) {
      metrics.push(comparePeak(oldSummary.resources.rssPeakBytes, newSummary.resources.rssPeakBytes, tolerance('rssPeak')))
    }
  }
  if (oldSummary.capacity !== undefined && newSummary.capacity !== undefined) {
    metrics.push(compareCapacity(oldSummary.capacity, newSummary.capacity, tolerance('capacity')))
  }
  const checks: CheckResult[] = metrics.map((metric) => ({
    id: `compare.${metric.name}`,
    target: pair.new,
    status: metric.verdict,
    observed: metric.name === 'errorRate' ? metric.new - metric.old : metric.ratio,
    limit: limitOf(metric.name, tolerance),
    unit: metric.name === 'errorRate' ? 'pp' : 'ratio',
    message: metric.message
  }))
  return { comparison: { schedule: input.result.schedule, old: pair.old, new: pair.new, metrics }, checks }
}

function limitOf (name: string, tolerance: (name: DefaultMetric | 'capacity') => Tolerance): number {
  const t = tolerance(name as DefaultMetric)
  return t.kind === 'points' ? t.fraction : 1 + t.fraction
}
