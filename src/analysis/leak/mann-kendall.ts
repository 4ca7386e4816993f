/**
 * The Mann–Kendall trend test, plain (Kendall 1975) and with the Hamed–Rao (1998)
 * variance correction for autocorrelated series. Order-based: only the sequence matters.
 */
import { normalQuantile } from '../stats/normal.js'
import { twoSidedNormalPValue } from './normal.js'
import { medianOf } from './theil-sen.js'

/** Outcome of a Mann–Kendall test. */
export interface MannKendallResult {
  /** Number of values. */
  n: number
  /** S = Σ_{i<j} sign(x_j − x_i). */
  s: number
  /** Var(S) with the tie correction (and, for Hamed–Rao, times n/n*). */
  varianceS: number
  /** Continuity-corrected normal score: (S − sign(S)) / √Var(S). */
  z: number
  /** Two-sided p-value of z. */
  pValue: number
  /** Kendall's tau-a against time: S / (n(n−1)/2). */
  tau: number
  /** Kendall's tau-b against time, as scipy.stats.kendalltau reports it. */
  tauB: number
}

/** Hamed–Rao result: the plain statistics with the corrected variance and its ingredients. */
export interface HamedRaoResult extends MannKendallResult {
  /** Var(S) before correction. */
  uncorrectedVarianceS: number
  /** n/n* = 1 + 2/(n(n−1)(n−2)) · Σ_{significant i} (n−i)(n−i−1)(n−i−2)·ρ_i. */
  correctionFactor: number
  /** Lags whose rank autocorrelation fell outside ±z_{1−α/2}/√n. */
  significantLags: number[]
}

/** Mann–Kendall S statistic. */
export function mannKendallS (values: readonly number[]): number {
  let s = 0
  for (let i = 0; i < values.length - 1; i++) {
    const vi = values[i] as number
    for (let j = i + 1; j < values.length; j++) s += Math.sign((values[j] as number) - vi)
  }
  return s
}

/** Sizes of the groups of equal values (only groups of two or more). */
export function tieGroupSizes (values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b)
  const sizes: number[] = []
  let run = 1
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) run++
    else {
      if (run > 1) sizes.push(run)
      run = 1
    }
  }
  return sizes
}

/** Var(S) under no trend, with the tie correction: [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18. */
export function mannKendallVariance (values: readonly number[]): number {
  const n = values.length
  let ties = 0
  for (const t of tieGroupSizes(values)) ties += t * (t - 1) * (2 * t + 5)
  return (n * (n - 1) * (2 * n + 5) - ties) / 18
}

/** Continuity-corrected Z score of S. */
export function mannKendallZ (s: number, varianceS: number): number {
  if (s === 0 || !(varianceS > 0)) return 0
  return (s - Math.sign(s)) / Math.sqrt(varianceS)
}

function summarize (values: readonly number[], s: number, varianceS: number): MannKendallResult {
  const n = values.length
  const pairs = (n * (n - 1)) / 2
  let tiedPairs = 0
  for (const t of tieGroupSizes(values)) tiedPairs += (t * (t - 1)) / 2
  const z = mannKendallZ(s, varianceS)
  return {
    n,
    s,
    varianceS,
    z,
    pValue: twoSidedNormalPValue(z),
    tau: pairs === 0 ? 0 : s / pairs,
    tauB: pairs === tiedPairs ? 0 : s / Math.sqrt(pairs * (pairs - tiedPairs))
  }
}

/** Plain Mann–Kendall test (independent observations assumed). */
export function mannKendall (values: readonly number[]): MannKendallResult {
  return summarize(values, mannKendallS(values), mannKendallVariance(values))
}

/** Sample autocorrelation at lags 0..maxLag (biased estimator, denominator n, as statsmodels' acf). */
export function autocorrelation (values: readonly number[], maxLag: number): number[] {
  const n = values.length
  const mean = values.reduce((sum, v) => sum + v, 0) / n
  const centred = values.map((v) => v - mean)
  const acov = (lag: number): number => {
    let sum = 0
    for (let i = 0; i + lag < n; i++) sum += (centred[i] as number) * (centred[i + lag] as number)
    return sum / n
  }
  const c0 = acov(0)
  const result: number[] = []
  for (let lag = 0; lag <= maxLag; lag++) result.push(c0 === 0 ? (lag === 0 ? 1 : 0) : acov(lag) / c0)
  return result
}

/** Average ranks (1-based), ties sharing the mean of their positions, as scipy.stats.rankdata. */
export function averageRanks (values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v)
  const ranks: number[] = new Array<number>(values.length).fill(0)
  let start = 0
  while (start < order.length) {
    let end = start
    while (end + 1 < order.length && order[end + 1]?.v === order[start]?.v) end++
    const rank = (start + end) / 2 + 1
    for (let k = start; k <= end; k++) ranks[(order[k] as { i: number }).i] = rank
    start = end + 1
  }
  return ranks
}

/** Sen's slope per step of the index: the median of (x_j − x_i)/(j − i) over i < j. */
export function senSlopePerIndex (values: readonly number[]): number {
  const slopes: number[] = []
  for (let i = 0; i < values.length - 1; i++) {
    for (let j = i + 1; j < values.length; j++) slopes.push(((values[j] as number) - (values[i] as number)) / (j - i))
  }
  return medianOf(slopes)
}

/**
 * Mann–Kendall with the Hamed & Rao (1998, J. Hydrology 204) variance correction:
 * detrend by Sen's slope, rank, keep the rank autocorrelations outside the
 * ±z_{1−α/2}/√n band, and multiply Var(S) by n/n*. Matches pymannkendall's
 * `hamed_rao_modification_test` (all lags, α = 0.05).
 */
export function hamedRaoMannKendall (values: readonly number[], alpha = 0.05, maxLag?: number): HamedRaoResult {
  const n = values.length
  const s = mannKendallS(values)
  const plainVariance = mannKendallVariance(values)
  if (n < 3) {
    return { ...summarize(values, s, plainVariance), uncorrectedVarianceS: plainVariance, correctionFactor: 1, significantLags: [] }
  }
  const slope = senSlopePerIndex(values)
  const detrended = values.map((v, i) => v - (i + 1) * slope)
  const ranks = averageRanks(detrended)
  const lastLag = Math.min(maxLag ?? n - 1, n - 1)
  const rho = autocorrelation(ranks, lastLag)
  const bound = -normalQuantile(alpha / 2) / Math.sqrt(n)
  let weighted = 0
  const significantLags: number[] = []
  for (let lag = 1; lag <= lastLag; lag++) {
    const r = rho[lag] as number
    if (r > bound || r < -bound) {
      significantLags.push(lag)
      weighted += (n - lag) * (n - lag - 1) * (n - lag - 2) * r
    }
  }
  const correctionFactor = 1 + (2 / (n * (n - 1) * (n - 2))) * weighted
  return {
    ...summarize(values, s, plainVariance * correctionFactor),
    uncorrectedVarianceS: plainVariance,
    correctionFactor,
    significantLags
  }
}
