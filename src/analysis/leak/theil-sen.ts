/**
 * Theil–Sen slope with Sen's (1968) distribution-free confidence interval,
 * computed exactly as `scipy.stats.theilslopes(y, x, alpha)` (method 'separate').
 */
import { normalQuantile } from '../stats/normal.js'

/** A Theil–Sen line and its slope interval. */
export interface TheilSenResult {
  /** Median of the pairwise slopes (y units per x unit). */
  slope: number
  /** median(y) − slope · median(x). */
  intercept: number
  /** Lower confidence bound of the slope. */
  lowSlope: number
  /** Upper confidence bound of the slope. */
  highSlope: number
  /** Number of pairwise slopes (pairs with distinct x). */
  pairCount: number
}

/** Options for {@link theilSen}. */
export interface TheilSenOptions {
  /** Confidence level of the interval; 0.95 by default (values below 0.5 are read as 1 − level, as scipy does). */
  confidence?: number
  /** Var(S) to use instead of Sen's eq. 2.6, e.g. a Hamed–Rao-corrected one for autocorrelated series. */
  varianceS?: number
}

/** Median of an array (mean of the two middle values when even); NaN when empty. */
export function medianOf (values: readonly number[]): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return medianOfSorted(sorted)
}

function medianOfSorted (sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Rounds half to even, as numpy.round does. */
export function roundHalfEven (value: number): number {
  const floor = Math.floor(value)
  const diff = value - floor
  if (diff > 0.5) return floor + 1
  if (diff < 0.5) return floor
  return floor % 2 === 0 ? floor : floor + 1
}

/** Σ t(t−1)(2t+5) over groups of tied values, the tie term of Var(S). */
function tieTerm (values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  let total = 0
  let run = 1
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) run++
    else {
      if (run > 1) total += run * (run - 1) * (2 * run + 5)
      run = 1
    }
  }
  return total
}

/** Sen's Var(S) (1968, eq. 2.6) with ties in x and in y removed, as scipy computes it. */
export function senVarianceS (y: readonly number[], x: readonly number[]): number {
  const n = y.length
  return (n * (n - 1) * (2 * n + 5) - tieTerm(x) - tieTerm(y)) / 18
}

/** All pairwise slopes (y_j − y_i)/(x_j − x_i) with x_j > x_i, appended to `into`. */
export function pairwiseSlopes (y: readonly number[], x: readonly number[], into: number[] = []): number[] {
  if (y.length !== x.length) throw new RangeError(`pairwiseSlopes: ${y.length} y values but ${x.length} x values`)
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number
    const yi = y[i] as number
    for (let j = 0; j < x.length; j++) {
      const dx = (x[j] as number) - xi
      if (dx > 0) into.push(((y[j] as number) - yi) / dx)
    }
  }
  return into
}

/**
 * Sen's order-statistic interval from sorted slopes and Var(S): the slopes at
 * ranks round((N ± z·σ)/2), with numpy's round-half-to-even, as scipy does.
 */
export function senInterval (sortedSlopes: readonly number[], varianceS: number, confidence = 0.95): [number, number] {
  let level = confidence
  if (level > 0.5) level = 1 - level
  const z = normalQuantile(level / 2) // negative, as scipy's norm.ppf(alpha / 2)
  const sigma = Math.sqrt(varianceS)
  const count = sortedSlopes.length
  const upperIndex = Math.min(roundHalfEven((count - z * sigma) / 2), count - 1)
  const lowerIndex = Math.max(roundHalfEven((count + z * sigma) / 2) - 1, 0)
  const at = (i: number): number => (Number.isFinite(i) && i >= 0 && i < count ? (sortedSlopes[i] as number) : NaN)
  return [at(lowerIndex), at(upperIndex)]
}

/** Theil–Sen slope, intercept and Sen's confidence interval for y against x. */
export function theilSen (y: readonly number[], x: readonly number[], options: TheilSenOptions = {}): TheilSenResult {
  const slopes = pairwiseSlopes(y, x)
  if (slopes.length === 0) return { slope: NaN, intercept: NaN, lowSlope: NaN, highSlope: NaN, pairCount: 0 }
  slopes.sort((a, b) => a - b)
  const slope = medianOfSorted(slopes)
  const [lowSlope, highSlope] = senInterval(slopes, options.varianceS ?? senVarianceS(y, x), options.confidence)
  return { slope, intercept: medianOf(y) - slope * medianOf(x), lowSlope, highSlope, pairCount: slopes.length }
}

/**
 * Theil–Sen over blocks: the median of the slopes between points of the same
 * block only (the seasonal Kendall slope of Hirsch, Slack & Smith 1982), so
 * level shifts between blocks do not count as trend. The interval uses the
 * summed Var(S) of the blocks. The intercept is that of the longest block.
 */
export function blockedTheilSen (blocks: ReadonlyArray<{ y: readonly number[], x: readonly number[] }>, varianceS: number, confidence = 0.95): TheilSenResult {
  const slopes: number[] = []
  for (const block of blocks) pairwiseSlopes(block.y, block.x, slopes)
  if (slopes.length === 0) return { slope: NaN, intercept: NaN, lowSlope: NaN, highSlope: NaN, pairCount: 0 }
  slopes.sort((a, b) => a - b)
  const slope = medianOfSorted(slopes)
  const [lowSlope, highSlope] = senInterval(slopes, varianceS, confidence)
  const longest = blocks.reduce((best, block) => (block.x.length > best.x.length ? block : best))
  return { slope, intercept: medianOf(longest.y) - slope * medianOf(longest.x), lowSlope, highSlope, pairCount: slopes.length }
}
