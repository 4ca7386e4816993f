/** What every comparison method shares: its inputs, the shape of its output, which phases count. */
import type { ComparisonMetric } from '../../core/result-types.js'
import type { Tolerance } from '../../core/units.js'
import type { PlannedPhase } from '../../plan/phases.js'
import type { TimelineLine } from '../../rundir/timeline-line.js'
import type { SequentialLooks } from './compare-paired.js'
import type { DefaultMetric } from './defaults.js'
import type { MetricComparison } from './types.js'

/** True for phases whose intervals are compared: not warm-up, not idle (rate 0). */
export function isComparedPhase (phase: PlannedPhase | undefined): boolean {
  if (phase === undefined) return false
  if (/^warm-?up$/i.test(phase.name)) return false
  return phase.kind === 'closed' || phase.fromRate > 0 || phase.toRate > 0
}

/** A comparison as result.json reports it. */
export function toResultMetric (comparison: MetricComparison, unit: string): ComparisonMetric {
  return {
    name: comparison.name,
    unit,
    old: comparison.old,
    new: comparison.new,
    // the judged effect: new/old, or new − old for a difference (an error rate judged in points)
    ratio: comparison.estimate,
    ci: comparison.ci,
    method: comparison.method,
    verdict: comparison.verdict,
    message: comparison.message,
    scale: comparison.scale,
    limit: comparison.limit,
    ...(comparison.contrasts === undefined ? {} : { pairs: comparison.contrasts.length, contrasts: comparison.contrasts.map((value) => Math.round(value * 1e6) / 1e6) }),
    ...(comparison.settle === undefined ? {} : { settle: comparison.settle })
  }
}

/** The metrics of one comparison method, in report order (the error rate and single values are added around them). */
export interface MetricSet {
  latency: ComparisonMetric[]
  /** Only when closed-model phases ran (in open-model phases the plan fixes the throughput) or a tolerance asks for it. */
  throughput: ComparisonMetric[]
  /** CPU per request and mean RSS, when both targets were sampled. */
  resources: ComparisonMetric[]
  /** The error rate, when the method judges it itself (a run looked at as it went); else the pooled rate test. */
  errorRate?: ComparisonMetric
}

/** What the metric sets of a comparison share. */
export interface ComparisonContext {
  lines: readonly TimelineLine[]
  old: string
  new: string
  phases: PlannedPhase[]
  intervalMs: number
  /** The tolerance of a metric: `checks.compare`, else the default. */
  tolerance: (name: DefaultMetric | 'capacity') => Tolerance
  seed: number
  /** Slice length of an interleaved run, in ms. */
  sliceMs: number
  /** Present when the run was looked at as it went (`--until-settled`): intervals must hold at every look. */
  sequential?: SequentialLooks | undefined
}
