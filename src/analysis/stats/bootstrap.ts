/**
 * Seeded moving-block bootstrap of a two-sample contrast, statistic(new)/statistic(old) or statistic(new) − statistic(old),
 * for series of per-interval values. Consecutive intervals are autocorrelated (a slow second tends to follow a slow
 * second), so resampling single intervals would understate the spread; resampling runs of `blockLength` consecutive
 * intervals keeps that dependence (Künsch 1989). The interval is the percentile interval of the resampled contrasts.
 *
 * With a few dozen intervals that percentile interval is too narrow: blocks short enough to be numerous miss the
 * correlation that outlasts them, and a handful of independent blocks make a z-interval where a t-interval belongs.
 * So by default the interval is stretched about the estimate (on a log scale for ratios) by
 * √(AR(1) long-run variance / Bartlett variance of blocks of L) × t(nEff − 1)/z, with ρ the rank lag-1
 * autocorrelation of the series and nEff = n(1 − ρ)/(1 + ρ). In simulations of AR(1) log-normal series with 60
 * intervals per side this brings the one-sided miss rate of a 95% interval (nominal 2.5%) from 4–9% to about
 * 3% (2–5% across seeds) for ρ up to 0.7; with ρ = 0.9 it is still 4–7%, as 60 such intervals are worth about 3.
 */

import { ar1BlockVarianceRatio, ar1EffectiveSize, rankLag1Autocorrelation, usableCorrelation } from './autocorrelation.js'
import { politisWhiteBlockLength } from './block-length.js'
import { stretchInterval } from './interval.js'
import { normalQuantile } from './normal.js'
import { seededRandom } from '../../core/random.js'
import { randomIndex } from './random.js'
import { studentTQuantile } from './student-t.js'
import { quantileSorted } from './summary.js'

/** How the two sides' statistics are compared. */
export type Contrast = 'ratio' | 'difference'

/** Options of {@link blockBootstrapContrast}. */
export interface BlockBootstrapOptions {
  /** The summary of one side, e.g. the median; it may reorder the scratch array it is given. */
  statistic: (scratch: Float64Array) => number
  contrast: Contrast
  seed: number
  /** Number of resamples (default 2000). */
  resamples?: number
  confidence?: number
  /** Intervals per block; 1 is the ordinary bootstrap. Default {@link autoBlockLength} of the shorter series. */
  blockLength?: number
  /** Stretch the percentile interval for autocorrelation and few effective intervals, as above (default true). */
  smallSampleCorrection?: boolean
  /** Resample the same time blocks on both sides, for series recorded side by side (needs equal lengths). */
  paired?: boolean
}

/** A bootstrap estimate with its percentile interval. */
export interface BootstrapInterval {
  /** The contrast of the statistics of the samples themselves. */
  estimate: number
  ci: [number, number]
  resamples: number
  blockLength: number
  /** The factor the percentile interval was stretched by (1 when not). */
  widening: number
  /** Mean rank lag-1 autocorrelation of the two series, clamped to [0, 0.95]. */
  lag1Autocorrelation: number
  /** n(1 − ρ)/(1 + ρ) for the shorter series: how many independent intervals the data are worth. */
  effectiveIntervals: number
}

/** Default resample count: enough for stable 2.5% and 97.5% percentiles. */
export const defaultResamples = 2000

/** round(n^(1/3)), at least 1: the rate-optimal order of the block length, with constant 1. */
export function cubeRootBlockLength (n: number): number {
  return Math.max(1, Math.round(Math.cbrt(n)))
}

/** The block length used when none is given: the larger of round(n^(1/3)) and the Politis–White length of either series. */
export function autoBlockLength (oldValues: readonly number[], newValues: readonly number[]): number {
  const n = Math.min(oldValues.length, newValues.length)
  return Math.max(cubeRootBlockLength(n), politisWhiteBlockLength(oldValues), politisWhiteBlockLength(newValues))
}

/** new/old (0/0 counts as no change) or new − old. */
export function contrastOf (contrast: Contrast, oldStatistic: number, newStatistic: number): number {
  if (contrast === 'difference') return newStatistic - oldStatistic
  if (oldStatistic === 0 && newStatistic === 0) return 1
  return newStatistic / oldStatistic
}

/** Fills `target` with blocks of `source` starting at the given block starts. */
function fillFromBlocks (source: Float64Array, starts: Uint32Array, blockLength: number, target: Float64Array): void {
  let filled = 0
  for (const start of starts) {
    for (let k = 0; k < blockLength && filled < target.length; k++) target[filled++] = source[start + k] ?? NaN
  }
}

/** Draws ⌈n / blockLength⌉ block starts uniformly from the n − blockLength + 1 possible ones. */
function drawStarts (random: () => number, n: number, blockLength: number, starts: Uint32Array): void {
  const possible = n - blockLength + 1
  for (let i = 0; i < starts.length; i++) starts[i] = randomIndex(random, possible)
}

/** Moving-block bootstrap percentile interval of statistic(new) against statistic(old). */
export function blockBootstrapContrast (oldValues: readonly number[], newValues: readonly number[], options: BlockBootstrapOptions): BootstrapInterval {
  const oldSource = Float64Array.from(oldValues)
  const newSource = Float64Array.from(newValues)
  if (oldSource.length === 0 || newSource.length === 0) throw new RangeError('a bootstrap needs at least one value on each side')
  if (options.paired === true && oldSource.length !== newSource.length) {
    throw new RangeError(`paired resampling needs series of equal length (old ${oldSource.length}, new ${newSource.length})`)
  }
  const resamples = options.resamples ?? defaultResamples
  const alpha = 1 - (options.confidence ?? 0.95)
  const shorter = Math.min(oldSource.length, newSource.length)
  const blockLength = Math.min(shorter, Math.max(1, Math.round(options.blockLength ?? autoBlockLength(oldValues, newValues))))
  const estimate = contrastOf(options.contrast, options.statistic(oldSource.slice()), options.statistic(newSource.slice()))

  const random = seededRandom(options.seed)
  const oldScratch = new Float64Array(oldSource.length)
  const newScratch = new Float64Array(newSource.length)
  const oldStarts = new Uint32Array(Math.ceil(oldSource.length / blockLength))
  const newStarts = options.paired === true ? oldStarts : new Uint32Array(Math.ceil(newSource.length / blockLength))
  const contrasts = new Float64Array(resamples)
  for (let r = 0; r < resamples; r++) {
    drawStarts(random, oldSource.length, blockLength, oldStarts)
    if (options.paired !== true) drawStarts(random, newSource.length, blockLength, newStarts)
    fillFromBlocks(oldSource, oldStarts, blockLength, oldScratch)
    fillFromBlocks(newSource, newStarts, blockLength, newScratch)
    contrasts[r] = contrastOf(options.contrast, options.statistic(oldScratch), options.statistic(newScratch))
  }
  contrasts.sort()
  let ci: [number, number] = [quantileSorted(contrasts, alpha / 2), quantileSorted(contrasts, 1 - alpha / 2)]
  const rhoOld = rankLag1Autocorrelation(oldValues)
  const rhoNew = rankLag1Autocorrelation(newValues)
  const rho = usableCorrelation((rhoOld + rhoNew) / 2)
  const effectiveIntervals = ar1EffectiveSize(shorter, rho)
  let widening = 1
  if (options.smallSampleCorrection !== false) {
    const varianceRatio = (ar1BlockVarianceRatio(rhoOld, blockLength) + ar1BlockVarianceRatio(rhoNew, blockLength)) / 2
    const degreesOfFreedom = Math.max(1, effectiveIntervals - 1)
    widening = Math.sqrt(varianceRatio) * studentTQuantile(1 - alpha / 2, degreesOfFreedom) / normalQuantile(1 - alpha / 2)
    ci = stretchInterval(estimate, ci, widening, options.contrast === 'ratio')
  }
  return { estimate, ci, resamples, blockLength, widening, lag1Autocorrelation: rho, effectiveIntervals }
}
