/** Compares a run with a stored baseline by the old-vs-new statistics: the baseline plays old, the run plays new. */

import { compareErrorRates } from '../compare/compare-error-rates.js'
import { compareMetric } from '../compare/compare-metric.js'
import { comparePooledQuantile } from '../compare/compare-pooled-quantile.js'
import { defaultTolerances, type DefaultMetric } from '../compare/defaults.js'
import type { MetricComparison } from '../compare/types.js'
import type { CompareTolerances } from '../compare-runs.js'
import { toResultMetric } from '../compare/comparison-context.js'
import type { BaselineSummary, CheckResult, ComparisonMetric } from '../../core/result-types.js'
import type { Tolerance } from '../../core/units.js'
import { compactHistogram, type CompactHistogram } from '../../metrics/histogram-values.js'
import { decodeHistogram } from '../../metrics/histogram.js'
import type { BaselineFile, BaselineTarget, RunSnapshot } from './baseline-format.js'
import { environmentCheck, planCheck } from './comparability.js'
import { compareCapacity, comparePeak } from '../compare/single-values.js'

/** `checks.baseline` tolerances with units resolved; the same keys as `checks.compare`. */
export type BaselineTolerances = CompareTolerances

/** One metric of one target against the baseline. */
export interface BaselineMetric {
  target: string
  name: string
  unit: string
  baseline: number
  current: number
  /** current / baseline (current − baseline for an error rate judged in points). */
  ratio: number
  /** `ratio` or `difference`: how `ratio` is to be read. */
  scale?: 'ratio' | 'difference'
  ci: [number, number]
  method: string
  verdict: 'pass' | 'fail' | 'inconclusive'
  message: string
}

/** result.json `baseline`, with the target of each metric and where the baseline came from. */
export interface BaselineComparison extends BaselineSummary {
  metrics: BaselineMetric[]
  savedAt: string
  /** The run the baseline was saved from. */
  source: { runDir: string, startedAt: string }
  /** Targets compared: those in both the baseline and this run. */
  targets: string[]
}

/** Where the baseline came from (for the summary) and the bootstrap seed. */
export interface CompareWithBaselineOptions {
  /** The baseline file as the user named it (`checks.baseline.file` or a path). */
  file: string
  /** Seed of the bootstraps, so a comparison repeats exactly (default 1). */
  seed?: number | undefined
}

/** The comparison's words "new" and "old" as a baseline comparison says them: "current" and "baseline". */
export function inBaselineWords (text: string): string {
  return text.replace(/\bnew\b/g, 'current').replace(/\bold\b/g, 'baseline')
}

const decodeWindows = (windows: readonly string[]): CompactHistogram[] => windows.map((encoded) => compactHistogram(decodeHistogram(encoded)))

function fromComparison (target: string, comparison: MetricComparison, unit: string): ComparisonMetric & { target: string } {
  return { target, ...toResultMetric(comparison, unit) }
}

/** The metrics of one target, in the order old-vs-new reports them. */
type ToleranceOf = (metric: DefaultMetric | 'capacity' | 'p90') => Tolerance

/** The tolerance of each metric: the scenario's, else old-vs-new's defaults (p90 as p95, capacity −5%). */
function toleranceOf (tolerances: BaselineTolerances): ToleranceOf {
  return (metric) => tolerances[metric] ?? (metric === 'capacity' ? { kind: 'relative', fraction: -0.05 } : metric === 'p90' ? defaultTolerances.p95 : defaultTolerances[metric])
}

function compareTarget (name: string, stored: BaselineTarget, current: BaselineTarget, tolerances: BaselineTolerances, seed: number): Array<ComparisonMetric & { target: string }> {
  const tolerance = toleranceOf(tolerances)
  const metrics: Array<ComparisonMetric & { target: string }> = []
  const oldWindows = decodeWindows(stored.series.latencyWindows)
  const newWindows = decodeWindows(current.series.latencyWindows)
  const percentiles: Array<['p50' | 'p90' | 'p95' | 'p99', number]> = [['p50', 50], ...(tolerances.p90 === undefined ? [] : [['p90', 90] as ['p90', number]]), ['p95', 95], ['p99', 99]]
  for (const [key, percentile] of percentiles) {
    metrics.push(fromComparison(name, comparePooledQuantile({ name: key, percentile, old: oldWindows, new: newWindows, tolerance: tolerance(key), seed }), 'ms'))
  }
  const [oldSeries, newSeries] = [stored.series, current.series]
  if (oldSeries.closedThroughput.length > 0 || newSeries.closedThroughput.length > 0 || tolerances.throughput !== undefined) {
    // open-model phases fix the throughput by plan: only closed-model intervals can show a difference
    metrics.push(fromComparison(name, compareMetric({ name: 'throughput', old: oldSeries.closedThroughput, new: newSeries.closedThroughput, direction: 'lower-is-worse', tolerance: tolerance('throughput'), seed, format: (v) => `${v.toFixed(0)} req/s` }), 'req/s'))
  }
  metrics.push(fromComparison(name, compareErrorRates({ failedOld: oldSeries.requests.failed, totalOld: oldSeries.requests.total, failedNew: newSeries.requests.failed, totalNew: newSeries.requests.total, tolerance: tolerance('errorRate') }), 'fraction'))
  if (oldSeries.rssBytes.length > 0 && newSeries.rssBytes.length > 0) {
    metrics.push(fromComparison(name, compareMetric({ name: 'cpuPerRequest', old: oldSeries.cpuMsPerRequest, new: newSeries.cpuMsPerRequest, direction: 'higher-is-worse', tolerance: tolerance('cpuPerRequest'), seed, method: 'bootstrap-mean', format: (v) => `${v.toFixed(3)} ms CPU` }), 'ms'))
    metrics.push(fromComparison(name, compareMetric({ name: 'rssMean', old: oldSeries.rssBytes, new: newSeries.rssBytes, direction: 'higher-is-worse', tolerance: tolerance('rssMean'), seed, method: 'bootstrap-mean', format: (v) => `${(v / 1e6).toFixed(1)} MB` }), 'bytes'))
    if (stored.resources !== undefined && current.resources !== undefined) {
      metrics.push({ target: name, ...comparePeak(stored.resources.rssPeakBytes, current.resources.rssPeakBytes, tolerance('rssPeak')) })
    }
  }
  if (stored.capacity !== undefined && current.capacity !== undefined) {
    metrics.push({ target: name, ...compareCapacity(stored.capacity, current.capacity, tolerance('capacity')) })
  }
  return metrics
}

function checkOf (metric: ComparisonMetric & { target: string }, tolerance: ToleranceOf): CheckResult {
  const allowed = tolerance(metric.name as DefaultMetric | 'capacity' | 'p90')
  const inPoints = allowed.kind === 'points'
  return {
    id: `baseline.${metric.name}`,
    target: metric.target,
    status: metric.verdict,
    observed: inPoints ? metric.new - metric.old : metric.ratio,
    limit: inPoints ? allowed.fraction : 1 + allowed.fraction,
    unit: inPoints ? 'pp' : 'ratio',
    message: inBaselineWords(metric.message)
  }
}

/**
 * Compares each target present in both the baseline and the run (by name) with the old-vs-new statistics, the
 * baseline as old: pooled p50/p95/p99 over latency windows, closed-model throughput, error rate, CPU per request,
 * RSS mean and peak, capacity knees. Adds `baseline.environment` (a warning when the machines differ) and
 * `baseline.plan` (a warning when the load plan changed). Pure: no files, no clock.
 */
export function compareWithBaseline (baseline: BaselineFile, current: RunSnapshot, tolerances: BaselineTolerances, options: CompareWithBaselineOptions): { baseline: BaselineComparison, checks: CheckResult[] } {
  const seed = options.seed ?? 1
  const names = Object.keys(current.targets).filter((name) => baseline.targets[name] !== undefined)
  const compared = names.flatMap((name) => compareTarget(name, baseline.targets[name] as BaselineTarget, current.targets[name] as BaselineTarget, tolerances, seed))
  const checks: CheckResult[] = [environmentCheck(baseline.environment, current.environment)]
  const plan = planCheck(baseline.plan, current.plan)
  if (plan !== undefined) checks.push(plan)
  if (names.length === 0) {
    checks.push({
      id: 'baseline.targets',
      status: 'inconclusive',
      observed: 0,
      limit: 1,
      unit: 'targets',
      message: `the baseline has targets ${Object.keys(baseline.targets).join(', ') || '(none)'} and this run has ${Object.keys(current.targets).join(', ') || '(none)'}: no target to compare — save a baseline from a run of these targets`
    })
  }
  checks.push(...compared.map((metric) => checkOf(metric, toleranceOf(tolerances))))
  const metrics: BaselineMetric[] = compared.map((metric) => ({
    target: metric.target,
    name: metric.name,
    unit: metric.unit,
    baseline: metric.old,
    current: metric.new,
    ratio: metric.ratio,
    ...(metric.scale === undefined ? {} : { scale: metric.scale }),
    ci: metric.ci,
    method: inBaselineWords(metric.method),
    verdict: metric.verdict,
    message: inBaselineWords(metric.message)
  }))
  return {
    baseline: { file: options.file, savedAt: baseline.savedAt, source: { runDir: baseline.source.runDir, startedAt: baseline.source.startedAt }, targets: names, metrics },
    checks
  }
}
