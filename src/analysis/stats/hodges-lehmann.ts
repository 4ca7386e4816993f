/**
 * The Hodges–Lehmann shift between two samples and its distribution-free confidence interval, from inverting the
 * Wilcoxon rank-sum test: the interval's ends are the pairwise differences at the test's critical ranks.
 * Matches R's `wilcox.test(new, old, conf.int = TRUE)` (R ≥ 4.0, `digits.rank = Inf`).
 */

import { normalQuantile } from './normal.js'
import { rankSumSigma } from './mann-whitney.js'
import { rankSumCdf, rankSumPmf } from './rank-sum-distribution.js'
import { midRanks, tieCorrectionSum, tieSizesOf } from './ranks.js'
import { quantileSorted } from './summary.js'

/** The most pairwise differences this will sort; summarise per interval before comparing larger samples. */
export const maxPairwiseDifferences = 4_000_000

/** Options of {@link hodgesLehmannShift}. */
export interface ShiftOptions {
  confidence?: number
  /** 'auto' is R's rule: exact when both samples have fewer than 50 values and nothing ties, else the normal approximation. */
  method?: 'auto' | 'exact' | 'normal'
  /** Continuity correction of the normal approximation (R's `correct`, default true). */
  continuity?: boolean
}

/** A shift of `new` relative to `old` (new − old) with its confidence interval. */
export interface ShiftEstimate {
  /** Median of all pairwise differences new[i] − old[j]. */
  estimate: number
  ci: [number, number]
  /** 'exact' uses the Mann–Whitney distribution; 'normal' its tie-corrected normal approximation. */
  method: 'exact' | 'normal'
  /** The coverage the chosen order statistics really have (exact method; equals the requested level otherwise). */
  achievedConfidence: number
  /** 1-based ranks k such that ci = [D(k), D(mn + 1 − k)] among the sorted differences D. */
  criticalRank: number
}

/** All differences a[i] − b[j], ascending. */
export function sortedPairwiseDifferences (a: readonly number[], b: readonly number[]): Float64Array {
  if (a.length * b.length > maxPairwiseDifferences) {
    throw new RangeError(`${a.length}×${b.length} pairwise differences exceed ${maxPairwiseDifferences}; summarise per interval first`)
  }
  const differences = new Float64Array(a.length * b.length)
  let k = 0
  for (const ai of a) for (const bj of b) differences[k++] = ai - bj
  return differences.sort()
}

/** R's `qwilcox(p, m, n)`: the smallest u with P(U ≤ u) ≥ p (less a 10-ulp fuzz). */
function rankSumQuantile (pmf: Float64Array, p: number): number {
  const target = p - 10 * Number.EPSILON
  let cumulative = 0
  for (let u = 0; u < pmf.length; u++) {
    cumulative += pmf[u] ?? 0
    if (cumulative >= target) return u
  }
  return pmf.length - 1
}

/** Hodges–Lehmann estimate of the shift new − old and its rank-inversion confidence interval. */
export function hodgesLehmannShift (newValues: readonly number[], oldValues: readonly number[], options: ShiftOptions = {}): ShiftEstimate {
  const m = newValues.length
  const n = oldValues.length
  if (m === 0 || n === 0) throw new RangeError('a shift needs at least one value in each sample')
  const confidence = options.confidence ?? 0.95
  const alpha = 1 - confidence
  const differences = sortedPairwiseDifferences(newValues, oldValues)
  const cells = m * n
  const estimate = quantileSorted(differences, 0.5)
  const pooledTies = midRanks([...newValues, ...oldValues]).tieSizes.length > 0
  const requested = options.method ?? 'auto'
  const exact = requested === 'exact' ? !pooledTies : requested === 'auto' && !pooledTies && m < 50 && n < 50
  let rank: number
  let achievedConfidence = confidence
  if (exact) {
    const pmf = rankSumPmf(m, n)
    rank = Math.max(1, rankSumQuantile(pmf, alpha / 2))
    achievedConfidence = 1 - 2 * rankSumCdf(pmf, rank - 1)
  } else {
    // between differences, new − d and old only tie within each sample, so those ties set the variance
    const sigma = rankSumSigma(m, n, tieCorrectionSum(tieSizesOf(newValues)) + tieCorrectionSum(tieSizesOf(oldValues)))
    const correction = (options.continuity ?? true) ? 0.5 : 0
    // the standardized rank sum crosses z at the k-th smallest difference, k = ⌈mn/2 − zσ − ½⌉ (with the ½ correction)
    const z = -normalQuantile(alpha / 2)
    rank = Math.min(cells, Math.max(1, Math.ceil(cells / 2 - z * sigma - correction)))
  }
  const low = differences[rank - 1] ?? NaN
  const high = differences[cells - rank] ?? NaN
  return { estimate, ci: [low, high], method: exact ? 'exact' : 'normal', achievedConfidence, criticalRank: rank }
}
