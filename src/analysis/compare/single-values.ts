/**
 * Figures of which each run has only one value: the RSS peak and the capacity knee. Old vs new and the baseline
 * comparison (which says "baseline" and "current" for old and new) both judge them here.
 */

import type { CapacitySummary, ComparisonMetric } from '../../core/result-types.js'
import type { Tolerance } from '../../core/units.js'
import { ceilingRatio } from '../capacity-ceiling.js'
import { judgeNonInferiority } from './non-inferiority.js'

const signedPercent = (ratio: number): string => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`

/** The RSS peak of one run has no interval: it passes within the tolerance and is otherwise inconclusive, never failed alone. */
export function comparePeak (old: number, next: number, tolerance: Tolerance): ComparisonMetric {
  const ratio = next / old
  const allowed = Math.abs(tolerance.fraction)
  const within = ratio <= 1 + allowed
  return {
    name: 'rssPeak',
    unit: 'bytes',
    old,
    new: next,
    ratio,
    // one run's peak has no interval
    ci: [NaN, NaN],
    method: 'peak of one run (no interval: compare rssMean, or repeat runs)',
    scale: 'ratio',
    limit: 1 + allowed,
    verdict: within ? 'pass' : 'inconclusive',
    message: `rssPeak: new ${(next / 1e6).toFixed(1)} MB vs old ${(old / 1e6).toFixed(1)} MB (${signedPercent(ratio)})` +
      (within ? '' : ` — over the allowed +${(allowed * 100).toFixed(0)}%, but one run's peak has no confidence interval; rssMean judges sustained memory`)
  }
}

/**
 * Capacity compared: on the ceilings the ceiling holds measured when both runs have two or more (their ratio with a
 * Welch interval on the logs: the interval comes from the holds' own spread), else on the knees with the search
 * brackets as the interval.
 */
export function compareCapacity (old: CapacitySummary, next: CapacitySummary, tolerance: Tolerance): ComparisonMetric {
  const bounded = lowerBoundReason(old, 'old') ?? lowerBoundReason(next, 'new')
  if (bounded !== undefined) {
    return {
      name: 'capacity',
      unit: 'req/s',
      old: old.maxRps,
      new: next.maxRps,
      ratio: old.maxRps > 0 ? next.maxRps / old.maxRps : NaN,
      ci: [NaN, NaN],
      method: 'ratio of knees; none when a knee is only a lower bound',
      scale: 'ratio',
      verdict: 'inconclusive',
      settle: bounded.settle,
      message: `capacity: new ${next.maxRps} req/s vs old ${old.maxRps} req/s — inconclusive: ${bounded.reason}`
    }
  }
  const ceilings = ceilingRatio(old.curve, next.curve)
  if (ceilings !== undefined && old.ceiling !== undefined && next.ceiling !== undefined) {
    const judgedCeiling = judgeNonInferiority({ estimate: ceilings.ratio, ci: ceilings.ci, scale: 'ratio', direction: 'lower-is-worse', margin: Math.abs(tolerance.fraction) })
    return {
      name: 'capacity',
      unit: 'req/s',
      old: old.ceiling.rps,
      new: next.ceiling.rps,
      ratio: ceilings.ratio,
      ci: ceilings.ci,
      method: `ratio of the ceilings measured on closed-model ceiling holds (${ceilings.holds[0]} old, ${ceilings.holds[1]} new), Welch t interval on the logs`,
      verdict: judgedCeiling.verdict,
      message: `capacity: new ${next.ceiling.rps.toFixed(0)} req/s vs old ${old.ceiling.rps.toFixed(0)} req/s at their ceilings (${signedPercent(ceilings.ratio)}, 95% CI ${ceilings.ci[0].toFixed(3)}–${ceilings.ci[1].toFixed(3)}× from ${ceilings.holds[0]} and ${ceilings.holds[1]} ceiling holds; knees ${next.maxRps} vs ${old.maxRps} req/s), allowed −${(Math.abs(tolerance.fraction) * 100).toFixed(0)}% — ${judgedCeiling.verdict}`
    }
  }
  const ratio = next.maxRps / old.maxRps
  // each knee lies within its bracket, so the ratio lies within these bounds
  const low = next.bracket[0] / Math.max(old.bracket[1], 1e-9)
  const high = next.bracket[1] / Math.max(old.bracket[0], 1e-9)
  const judged = judgeNonInferiority({ estimate: ratio, ci: [low, high], scale: 'ratio', direction: 'lower-is-worse', margin: Math.abs(tolerance.fraction) })
  return {
    name: 'capacity',
    unit: 'req/s',
    old: old.maxRps,
    new: next.maxRps,
    ratio,
    ci: [low, high],
    method: 'ratio of knees; interval from the search brackets',
    verdict: judged.verdict,
    message: `capacity: new ${next.maxRps} req/s vs old ${old.maxRps} req/s (${signedPercent(ratio)}, knees within ${low.toFixed(2)}–${high.toFixed(2)}×), allowed −${(Math.abs(tolerance.fraction) * 100).toFixed(0)}% — ${judged.verdict}`
  }
}

/** Why a knee is only a lower bound (the search stopped before the service did), and what would settle it; undefined for a measured knee. */
function lowerBoundReason (capacity: CapacitySummary, side: 'old' | 'new'): { reason: string, settle: string } | undefined {
  if (capacity.limitedBy === 'generator') {
    const ceiling = capacity.generatorCeilingRps === undefined ? '' : ` (it got ${capacity.generatorCeilingRps} req/s answered at most)`
    return {
      reason: `${side}'s knee is only a lower bound: the load generator fell behind at ${capacity.bracket[1]} req/s before ${side} broke its SLO${ceiling}`,
      settle: 'run cutover on a machine of its own, or with more CPU'
    }
  }
  if (capacity.limitedBy === 'max') {
    return {
      reason: `${side}'s knee is only a lower bound: it held every rate up to the search's max of ${capacity.maxRps} req/s`,
      settle: 'raise capacity.max'
    }
  }
  return undefined
}
