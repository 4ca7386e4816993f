import type { CheckResult, ComparisonMetric, ComparisonSummary, RunResult } from '../core/result-types.js'
import type { Tolerance } from '../core/units.js'
import type { PlannedPhase } from '../plan/phases.js'
import type { TimelineLine } from '../rundir/timeline-line.js'
import { compareErrorRates } from './compare/compare-error-rates.js'
import { defaultConfidence, defaultTolerances, type DefaultMetric } from './compare/defaults.js'
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

/** What the old-vs-new metrics are computed from. */
export interface CompareInput {
  lines: readonly TimelineLine[]
  old: string
  new: string
  schedule: RunResult['schedule']
  phases: PlannedPhase[]
  intervalMs: number
  /** Slice length of an interleaved run, in ms (default 2.5 s). */
  sliceMs?: number | undefined
  tolerances: CompareTolerances
  seed: number
  /** Present when the run was looked at as it went (`--until-settled`): intervals must hold at every look. */
  sequential?: SequentialLooks | undefined
}

/** The tolerance of a metric: the scenario's `checks.compare`, else the default. */
export function toleranceFrom (tolerances: CompareTolerances): (name: DefaultMetric | 'capacity') => Tolerance {
  return (name) => tolerances[name] ?? (name === 'capacity' ? { kind: 'relative', fraction: -0.05 } : defaultTolerances[name])
}

/**
 * The metrics measured over the timeline, in report order: latency, throughput, errors, CPU per request, memory.
 * Interleaved and concurrent runs are compared in pairs (rounds of slices, or moments side by side); a sequential run
 * has no pairs, and its comparison is unpaired (and says that drift of the machine is in it).
 */
export function timelineMetrics (input: CompareInput): ComparisonMetric[] {
  const context: ComparisonContext = {
    lines: input.lines,
    old: input.old,
    new: input.new,
    phases: input.phases,
    intervalMs: input.intervalMs,
    tolerance: toleranceFrom(input.tolerances),
    seed: input.seed,
    sliceMs: input.sliceMs ?? defaultSliceMs,
    sequential: input.sequential
  }
  const set = input.schedule === 'sequential' ? unpairedMetrics(context) : pairedMetrics(context, input.schedule)
  return [...set.latency, ...set.throughput, set.errorRate ?? errorRateMetric(context), ...set.resources]
}

/** Compares new against old: the timeline's metrics, plus the RSS peak and the capacity knees; and their checks. */
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
  const tolerance = toleranceFrom(input.tolerances)
  const metrics = timelineMetrics({ ...input, old: pair.old, new: pair.new, schedule: input.result.schedule, sliceMs: input.result.settings.sliceMs })
  if (oldSummary.resources !== undefined && newSummary.resources !== undefined && metrics.some((metric) => metric.name === 'rssMean')) {
    metrics.push(comparePeak(oldSummary.resources.rssPeakBytes, newSummary.resources.rssPeakBytes, tolerance('rssPeak')))
  }
  if (oldSummary.capacity !== undefined && newSummary.capacity !== undefined) {
    metrics.push(compareCapacity(oldSummary.capacity, newSummary.capacity, tolerance('capacity')))
  }
  const checks: CheckResult[] = metrics.map((metric) => ({
    id: `compare.${metric.name}`,
    target: pair.new,
    status: metric.verdict,
    observed: metric.ratio,
    limit: metric.limit ?? limitOf(metric.name, tolerance),
    unit: metric.scale === 'difference' ? 'pp' : 'ratio',
    message: metric.message
  }))
  return { comparison: { schedule: input.result.schedule, old: pair.old, new: pair.new, metrics }, checks }
}

/** Every request of each target, whatever its phase or slice: the same totals as result.json's targets. */
function errorRateMetric (context: ComparisonContext): ComparisonMetric {
  const totals = (target: string): { failed: number, total: number } => context.lines.reduce((sum, line) => line.target === target ? { failed: sum.failed + line.failed, total: sum.total + line.requests } : sum, { failed: 0, total: 0 })
  const old = totals(context.old)
  const next = totals(context.new)
  // looked at again and again, a fixed-level test spends α/(k(k+1)) at look k: α in all over any number of looks
  const looks = context.sequential?.looks
  const confidence = looks === undefined ? undefined : 1 - (1 - defaultConfidence) / (looks * (looks + 1))
  return toResultMetric(compareErrorRates({ failedOld: old.failed, totalOld: old.total, failedNew: next.failed, totalNew: next.total, tolerance: context.tolerance('errorRate'), ...(confidence === undefined ? {} : { confidence }) }), 'fraction')
}

function limitOf (name: string, tolerance: (name: DefaultMetric | 'capacity') => Tolerance): number {
  const t = tolerance(name as DefaultMetric)
  return t.kind === 'points' ? t.fraction : 1 + t.fraction
}
