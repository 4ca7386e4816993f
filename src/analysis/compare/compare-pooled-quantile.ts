import type { Tolerance } from '../../core/units.js'
import { pooledPercentileUs, type CompactHistogram } from '../../metrics/histogram-values.js'
import { autoBlockLength } from '../stats/bootstrap.js'
import { stretchInterval } from '../stats/interval.js'
import { normalQuantile } from '../stats/normal.js'
import { seededRandom } from '../../core/random.js'
import { studentTQuantile } from '../stats/student-t.js'
import { defaultConfidence, minIntervals } from './defaults.js'
import { formatEffect, formatEffectWithInterval, moreDataAdvice } from './format.js'
import { judgeNonInferiority, limitFor } from './non-inferiority.js'
import type { MetricComparison } from './types.js'

/** What {@link comparePooledQuantile} needs: each side's latency as a series of window histograms. */
export interface PooledQuantileInput {
  name: string
  percentile: number
  old: readonly CompactHistogram[]
  new: readonly CompactHistogram[]
  tolerance: Tolerance
  seed: number
  resamples?: number
  confidence?: number
}

/** Windows re-expressed on one shared, sorted grid of values, so a resample is a sum of count arrays. */
class WindowGrid {
  readonly valuesUs: Float64Array
  private readonly indexed: Array<{ at: Int32Array, counts: Float64Array }>

  constructor (windows: readonly CompactHistogram[]) {
    const distinct = new Set<number>()
    for (const window of windows) for (const value of window.valuesUs) distinct.add(value)
    this.valuesUs = Float64Array.from(distinct).sort()
    const position = new Map<number, number>()
    this.valuesUs.forEach((value, i) => position.set(value, i))
    this.indexed = windows.map((window) => ({ at: Int32Array.from(window.valuesUs, (value) => position.get(value) ?? 0), counts: window.counts }))
  }

  /** The percentile of a moving-block resample of the windows. */
  resamplePercentile (percentile: number, blockLength: number, random: () => number, scratch: Float64Array): number {
    scratch.fill(0)
    const n = this.indexed.length
    let total = 0
    let picked = 0
    while (picked < n) {
      const start = Math.floor(random() * Math.max(1, n - blockLength + 1))
      for (let i = start; i < start + blockLength && picked < n; i++, picked++) {
        const window = this.indexed[i]
        if (window === undefined) continue
        for (let j = 0; j < window.at.length; j++) {
          const count = window.counts[j] as number
          scratch[window.at[j] as number] = (scratch[window.at[j] as number] as number) + count
          total += count
        }
      }
    }
    const rank = Math.max(1, Math.ceil((percentile / 100) * total))
    let seen = 0
    for (let i = 0; i < scratch.length; i++) {
      seen += scratch[i] as number
      if (seen >= rank) return this.valuesUs[i] as number
    }
    return NaN
  }
}

const quantileOf = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const position = (sorted.length - 1) * q
  const low = Math.floor(position)
  const high = Math.ceil(position)
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low)
}

/**
 * A latency percentile of new against old, each taken over all its requests (the pooled histogram), with a
 * moving-block bootstrap over windows of consecutive intervals for the interval. Pooling thousands of requests
 * makes p99 precise where the median of per-window p99s, each from a few hundred requests, is not.
 */
export function comparePooledQuantile (input: PooledQuantileInput): MetricComparison {
  const confidence = input.confidence ?? defaultConfidence
  const margin = Math.abs(input.tolerance.fraction)
  const direction = 'higher-is-worse'
  const scale = 'ratio'
  const limit = limitFor(scale, direction, margin)
  const oldMs = pooledPercentileUs(input.old, input.percentile) / 1000
  const newMs = pooledPercentileUs(input.new, input.percentile) / 1000
  const estimate = newMs / oldMs
  const n = { old: input.old.length, new: input.new.length }
  const base = { name: input.name, old: oldMs, new: newMs, ratio: estimate, estimate, scale, direction, limit, n } as const
  const side = (ms: number): string => Number.isFinite(ms) ? `${ms.toFixed(2)} ms` : 'no responses'
  const sides = `new ${side(newMs)} vs old ${side(oldMs)}`
  if (n.old < minIntervals || n.new < minIntervals) {
    const short = Math.max(minIntervals - n.old, minIntervals - n.new)
    return { ...base, ci: [NaN, NaN], method: 'none (too few windows)', verdict: 'inconclusive', message: `${input.name}: ${sides}; only ${n.old} old and ${n.new} new windows of requests, at least ${minIntervals} per side are needed — run about ${short} more windows' worth of load` }
  }
  const random = seededRandom(input.seed)
  const perWindow = (windows: readonly CompactHistogram[]): number[] => windows.map((w) => pooledPercentileUs([w], input.percentile))
  const blockOld = autoBlockLength(perWindow(input.old), perWindow(input.old))
  const blockNew = autoBlockLength(perWindow(input.new), perWindow(input.new))
  const resamples = input.resamples ?? 1000
  const gridOld = new WindowGrid(input.old)
  const gridNew = new WindowGrid(input.new)
  const scratchOld = new Float64Array(gridOld.valuesUs.length)
  const scratchNew = new Float64Array(gridNew.valuesUs.length)
  const ratios: number[] = []
  for (let r = 0; r < resamples; r++) {
    const o = gridOld.resamplePercentile(input.percentile, blockOld, random, scratchOld)
    const w = gridNew.resamplePercentile(input.percentile, blockNew, random, scratchNew)
    if (o > 0 && Number.isFinite(w)) ratios.push(w / o)
  }
  const tail = (1 - confidence) / 2
  const raw: [number, number] = ratios.length === 0 ? [NaN, NaN] : [quantileOf(ratios, tail), quantileOf(ratios, 1 - tail)]
  // a percentile bootstrap over few clusters covers too little: widen it as a t interval would be, on the log scale
  const fewer = Math.min(n.old, n.new)
  const widening = (studentTQuantile(1 - tail, fewer - 1) / normalQuantile(1 - tail)) * Math.sqrt(fewer / (fewer - 1))
  const ci = stretchInterval(estimate, raw, widening, true)
  const judgement = judgeNonInferiority({ estimate, ci, scale, direction, margin })
  const windows = Math.min(n.old, n.new)
  const advice = moreDataAdvice(judgement.dataFactor, windows, 'windows')
  const reasons = {
    'within-limit': 'pass: even the worst end of the interval is within the allowed change',
    'beyond-limit': 'fail: new is clearly worse than old, by more than allowed',
    'interval-too-wide': `inconclusive: the estimate is within the limit but the interval reaches ${formatEffect(scale, ci[1])}; ${advice}`,
    'not-clearly-worse': `inconclusive: the estimate is beyond the limit but the interval still includes no change; ${advice}`,
    'no-estimate': 'inconclusive: no effect could be estimated'
  } as const
  return {
    ...base,
    ci,
    method: `p${input.percentile} of all requests pooled; moving-block bootstrap over ${n.old}/${n.new} windows (blocks of ${blockOld}/${blockNew}, ${resamples} resamples), ${Math.round(confidence * 100)}% percentile CI widened ×${widening.toFixed(2)} for few windows`,
    verdict: judgement.verdict,
    message: `${input.name}: ${sides}, ${formatEffectWithInterval(scale, estimate, ci, confidence)}, allowed ${formatEffect(scale, limit)} — ${reasons[judgement.reason]}`,
    ...(judgement.verdict === 'inconclusive' ? { settle: advice } : {})
  }
}
