import type { CheckResult, ComparisonMetric, ComparisonSummary, RunResult } from '../core/result-types.js'
import type { Tolerance } from '../core/units.js'
import type { PlannedPhase } from '../plan/phases.js'
import type { TimelineLine } from '../rundir/timeline-line.js'
import { compareErrorRates } from './compare/compare-error-rates.js'
import { defaultTolerances, type DefaultMetric } from './compare/defaults.js'
import { toResultMetric, type ComparisonContext } from './compare/comparison-context.js'
import { compareCapacity, comparePeak } from './compare/single-values.js'
import type { SequentialLooks } from './compare/compare-paired.js'
import { pairedMetrics } from './compare/paired-metrics.js'
import { unpairedMetrics } from './compare/unpaired-metrics.js'
import { defaultSliceMs } from '../plan/schedule.js'

/** `checks.compare` with units resolved. */
export type CompareTolerances = Partial<Record<DefaultMetric | 'p90' | 'capacity', Tolerance>>

/** Which of two or more targets is old and which is new: `old` and `new` when so named, else the first two. */
export function comparedPair (names: string[]): { old: string, new: string } | undefined {
  if (names.includes('old') && names.includes('new')) return { old: 'old', new: 'new' }
  const [first, second] = names
  return first !== undefined && second !== undefined ? { old: first, new: second } : undefined
}

/**
 * Compares new against old over the timeline: latency, throughput, errors, CPU per request, memory (and capacity
 * knees). Interleaved and concurrent runs are compared in pairs (rounds of slices, or moments side by side); a
 * sequential run has no pairs, and its comparison is unpaired (and says that drift of the machine is in it).
 */
export function compareTargets (input: {
  result: Pick<RunResult, 'schedule' | 'targets' | 'settings'>
  lines: readonly TimelineLine[]
  phases: PlannedPhase[]
  intervalMs: number
  tolerances: CompareTolerances
  seed: number
  sequential?: SequentialLooks | undefined
}): { comparison: ComparisonSummary, checks: CheckResult[] } | undefined {
  const pair = comparedPair(Object.keys(input.result.targets))
  if (pair === undefined) return undefined
  const oldSummary = input.result.targets[pair.old]
  const newSummary = input.result.targets[pair.new]
  if (oldSummary === undefined || newSummary === undefined) return undefined
  const tolerance = (name: DefaultMetric | 'capacity'): Tolerance => input.tolerances[name] ?? (name === 'capacity' ? { kind: 'relative', fraction: -0.05 } : defaultTolerances[name])
  const context: ComparisonContext = {
    lines: input.lines,
    old: pair.old,
    new: pair.new,
    phases: input.phases,
    intervalMs: input.intervalMs,
    tolerance,
    seed: input.seed,
    sliceMs: input.result.settings.sliceMs ?? defaultSliceMs,
    sequential: input.sequential
  }
  const set = input.result.schedule === 'sequential' ? unpairedMetrics(context) : pairedMetrics(context, input.result.schedule)
  const metrics: ComparisonMetric[] = [...set.latency, ...set.throughput, errorRateMetric(context), ...set.resources]
  if (oldSummary.resources !== undefined && newSummary.resources !== undefined && set.resources.length > 0) {
    metrics.push(comparePeak(oldSummary.resources.rssPeakBytes, newSummary.resources.rssPeakBytes, tolerance('rssPeak')))
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

/** Every request of each target, whatever its phase or slice: the same totals as result.json's targets. */
function errorRateMetric (context: ComparisonContext): ComparisonMetric {
  const totals = (target: string): { failed: number, total: number } => context.lines.reduce((sum, line) => line.target === target ? { failed: sum.failed + line.failed, total: sum.total + line.requests } : sum, { failed: 0, total: 0 })
  const old = totals(context.old)
  const next = totals(context.new)
  return toResultMetric(compareErrorRates({ failedOld: old.failed, totalOld: old.total, failedNew: next.failed, totalNew: next.total, tolerance: context.tolerance('errorRate') }), 'fraction')
}

function limitOf (name: string, tolerance: (name: DefaultMetric | 'capacity') => Tolerance): number {
  const t = tolerance(name as DefaultMetric)
  return t.kind === 'points' ? t.fraction : 1 + t.fraction
}
