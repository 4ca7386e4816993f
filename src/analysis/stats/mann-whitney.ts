/** The Mann–Whitney U (Wilcoxon rank-sum) test, matching `scipy.stats.mannwhitneyu` for its 'asymptotic' and 'exact' methods. */

import type { Alternative } from './binomial.js'
import { normalSf } from './normal.js'
import { maxExactCells, rankSumPmf, rankSumSf } from './rank-sum-distribution.js'
import { midRanks, tieCorrectionSum } from './ranks.js'

/** How the p-value is computed: as scipy's `method` ('auto' = exact when a sample has ≤ 8 values and nothing ties). */
export type MannWhitneyMethod = 'auto' | 'exact' | 'asymptotic'

/** Options of {@link mannWhitneyU}; the defaults are scipy's. */
export interface MannWhitneyOptions {
  alternative?: Alternative
  method?: MannWhitneyMethod
  /** Subtract ½ from |U − mean| in the normal approximation (scipy `use_continuity`, default true). */
  continuity?: boolean
}

/** What {@link mannWhitneyU} found: U of the first sample, the p-value and how it was computed. */
export interface MannWhitneyResult {
  /** U1 = R1 − n1(n1 + 1)/2: the number of pairs where the first sample is larger, ties counting ½. */
  u: number
  pValue: number
  /** The method used; 'exact' falls back to 'asymptotic' when values tie or the samples are too large. */
  method: 'exact' | 'asymptotic'
  /** The standardized statistic of the normal approximation (NaN for the exact method). */
  z: number
}

/** The tie-corrected standard deviation of U under the null: √(n1·n2/12·((N + 1) − Σ(t³ − t)/(N(N − 1)))). */
export function rankSumSigma (n1: number, n2: number, tieSum: number): number {
  const n = n1 + n2
  return Math.sqrt(n1 * n2 / 12 * ((n + 1) - tieSum / (n * (n - 1))))
}

/** Mann–Whitney U test of x against y: 'greater' asks whether x tends to be larger than y. */
export function mannWhitneyU (x: readonly number[], y: readonly number[], options: MannWhitneyOptions = {}): MannWhitneyResult {
  const n1 = x.length
  const n2 = y.length
  if (n1 === 0 || n2 === 0) throw new RangeError('Mann–Whitney needs at least one value in each sample')
  const alternative = options.alternative ?? 'two-sided'
  const { ranks, tieSizes } = midRanks([...x, ...y])
  let rankSum = 0
  for (let i = 0; i < n1; i++) rankSum += ranks[i] ?? 0
  const u1 = rankSum - n1 * (n1 + 1) / 2
  const u2 = n1 * n2 - u1
  // as scipy: every alternative becomes an upper-tail probability of some U
  const [u, factor] = alternative === 'greater' ? [u1, 1] : alternative === 'less' ? [u2, 1] : [Math.max(u1, u2), 2]
  const requested = options.method ?? 'auto'
  const ties = tieSizes.length > 0
  const exactPossible = !ties && n1 * n2 <= maxExactCells
  const exact = requested === 'exact' ? exactPossible : requested === 'auto' && exactPossible && (n1 <= 8 || n2 <= 8)
  if (exact) {
    const pValue = Math.min(1, factor * rankSumSf(rankSumPmf(n1, n2), u))
    return { u: u1, pValue, method: 'exact', z: NaN }
  }
  const sigma = rankSumSigma(n1, n2, tieCorrectionSum(tieSizes))
  const numerator = u - n1 * n2 / 2 - ((options.continuity ?? true) ? 0.5 : 0)
  const z = numerator / sigma
  const pValue = Math.min(1, Math.max(0, factor * normalSf(z)))
  return { u: u1, pValue, method: 'asymptotic', z }
}
