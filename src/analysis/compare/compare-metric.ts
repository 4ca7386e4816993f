/** Compares one metric's per-interval series of new against old and judges it against a tolerance. */

import type { Tolerance } from '../../core/units.js'
import { mean, median } from '../stats/summary.js'
import { defaultConfidence, minIntervals as defaultMinIntervals } from './defaults.js'
import { type CompareMethod, effectInterval } from './effect-interval.js'
import { formatEffect, formatEffectWithInterval, formatPlain, moreDataAdvice } from './format.js'
import { judgeNonInferiority, limitFor } from './non-inferiority.js'
import type { Direction, EffectScale, MetricComparison } from './types.js'

/** What {@link compareMetric} needs: two series of per-interval values (e.g. per-second p99 in ms). */
export interface CompareMetricInput {
  name: string
  old: readonly number[]
  new: readonly number[]
  direction: Direction
  /** A relative tolerance judges new/old; a tolerance in points judges new − old of fraction-valued metrics. */
  tolerance: Tolerance
  /** Seed of the bootstrap, so a comparison repeats exactly. */
  seed: number
  method?: CompareMethod
  /** 'by-interval' when old and new ran side by side and interval i of each saw the same moment (bootstrap methods; default 'independent'). */
  pairing?: 'independent' | 'by-interval'
  confidence?: number
  resamples?: number
  /** Fewest intervals per side to judge at all (default 10). */
  minIntervals?: number
  /** Formats a summary value for the message, e.g. `formatMs`. */
  format?: (value: number) => string
}

/** Drops intervals without a value (NaN, ±Infinity); when paired, drops an interval from both sides. */
function usableSeries (input: CompareMetricInput): { old: number[], new: number[] } {
  if (input.pairing !== 'by-interval') return { old: input.old.filter(Number.isFinite), new: input.new.filter(Number.isFinite) }
  if (input.old.length !== input.new.length) {
    throw new RangeError(`${input.name}: pairing by interval needs series of equal length (old ${input.old.length}, new ${input.new.length})`)
  }
  const keep = input.old.map((value, i) => Number.isFinite(value) && Number.isFinite(input.new[i]))
  return { old: input.old.filter((_, i) => keep[i]), new: input.new.filter((_, i) => keep[i]) }
}

/** Explains a wide interval by autocorrelation when the intervals are worth less than half their number. */
function autocorrelationNote (rho: number, effective: number, intervals: number): string {
  if (!(effective < intervals / 2)) return ''
  return ` (consecutive intervals are correlated, ρ ≈ ${rho.toFixed(2)}: ${intervals} of them carry about as much information as ${Math.max(1, Math.round(effective))} independent ones)`
}

/** Compares new against old for one metric: effect, confidence interval and non-inferiority verdict. */
export function compareMetric (input: CompareMetricInput): MetricComparison {
  const series = usableSeries(input)
  const method = input.method ?? 'bootstrap-median'
  const scale: EffectScale = input.tolerance.kind === 'relative' ? 'ratio' : 'difference'
  const margin = Math.abs(input.tolerance.fraction)
  const confidence = input.confidence ?? defaultConfidence
  const fewest = input.minIntervals ?? defaultMinIntervals
  const summarize = method === 'bootstrap-mean' ? mean : median
  const oldSummary = summarize(series.old)
  const newSummary = summarize(series.new)
  const format = input.format ?? formatPlain
  const n = { old: series.old.length, new: series.new.length }
  const limit = limitFor(scale, input.direction, margin)
  const base = { name: input.name, old: oldSummary, new: newSummary, ratio: newSummary / oldSummary, scale, direction: input.direction, limit, n }
  const sides = `new ${format(newSummary)} vs old ${format(oldSummary)}`
  const allowed = `allowed ${formatEffect(scale, limit)}`

  const enoughToEstimate = n.old >= 2 && n.new >= 2
  const effect = enoughToEstimate
    ? effectInterval({ old: series.old, new: series.new, scale, method, seed: input.seed, confidence, resamples: input.resamples, paired: input.pairing === 'by-interval' })
    : {
        estimate: scale === 'ratio' ? newSummary / oldSummary : newSummary - oldSummary,
        ci: [NaN, NaN] as [number, number],
        method: 'none (too few intervals)',
        lag1Autocorrelation: NaN,
        effectiveIntervals: Math.min(n.old, n.new)
      }
  const change = `${input.name}: ${sides}, ${formatEffectWithInterval(scale, effect.estimate, effect.ci, confidence)}, ${allowed}`

  if (n.old < fewest || n.new < fewest) {
    const short = Math.max(fewest - n.old, fewest - n.new)
    return {
      ...base,
      estimate: effect.estimate,
      ci: effect.ci,
      method: effect.method,
      verdict: 'inconclusive',
      message: `${input.name}: only ${n.old} old and ${n.new} new intervals with data; at least ${fewest} per side are needed to judge it — run at least ${short} more intervals`
    }
  }

  const judgement = judgeNonInferiority({ estimate: effect.estimate, ci: effect.ci, scale, direction: input.direction, margin })
  const badEnd = input.direction === 'higher-is-worse' ? effect.ci[1] : effect.ci[0]
  const intervals = Math.min(n.old, n.new)
  const advice = moreDataAdvice(judgement.dataFactor, intervals, 'intervals') + autocorrelationNote(effect.lag1Autocorrelation, effect.effectiveIntervals, intervals)
  const reasons = {
    'within-limit': 'pass: even the worst end of the interval is within the allowed change',
    'beyond-limit': 'fail: new is clearly worse than old, by more than allowed',
    'interval-too-wide': `inconclusive: the estimate is within the limit but the interval reaches ${formatEffect(scale, badEnd)}; ${advice}`,
    'not-clearly-worse': `inconclusive: the estimate is beyond the limit but the interval still includes no change; ${advice}`,
    'no-estimate': `inconclusive: no effect could be estimated (${effect.method})`
  } as const
  return { ...base, estimate: effect.estimate, ci: effect.ci, method: effect.method, verdict: judgement.verdict, message: `${change} — ${reasons[judgement.reason]}`, ...(judgement.verdict === 'inconclusive' ? { settle: moreDataAdvice(judgement.dataFactor, intervals, 'intervals') } : {}) }
}
