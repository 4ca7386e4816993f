/**
 * Comparing failure rates of old and new with rate tests rather than rank tests (a rank test on mostly-zero error
 * counts sees nothing; Kayenta #426):
 * - the rate ratio by the exact conditional binomial test: given N = failuresNew + failuresOld, failuresNew is
 *   Binomial(N, π) with π = R·eNew/(R·eNew + eOld) for rate ratio R, so a Clopper–Pearson interval for π maps to R;
 * - the difference of failure proportions in points by Newcombe's hybrid score interval.
 * When old has no failures the ratio has no upper bound (and 0/0 when neither has): judge such rates by the difference.
 */

import { type Alternative, binomialTestPValue, clopperPearsonInterval } from './binomial.js'
import { newcombeDifferenceInterval } from './wilson.js'

/** Failures and exposure (requests, or seconds) of old and new. */
export interface FailureCounts {
  failuresOld: number
  exposureOld: number
  failuresNew: number
  exposureNew: number
}

/** The rate ratio new/old with its exact interval and p-value. */
export interface RateRatioResult {
  /** (failuresNew/exposureNew) / (failuresOld/exposureOld): Infinity when only old has none, NaN when neither has any. */
  ratio: number
  /** Exact conditional interval; the upper end is Infinity when old has no failures, the lower 0 when new has none. */
  ci: [number, number]
  /** Exact conditional binomial test of equal rates (1 when there are no failures at all). */
  pValue: number
}

/** A difference in failure proportion, new − old, as a fraction of 1 (0.001 = 0.1 percentage points). */
export interface RateDifferenceResult {
  difference: number
  ci: [number, number]
}

/** Maps π, the share of failures that fell on new, to the rate ratio for the given exposures. */
function ratioFromShare (share: number, exposureOld: number, exposureNew: number): number {
  if (share >= 1) return Infinity
  return share / (1 - share) * (exposureOld / exposureNew)
}

/** Exact conditional test and Clopper–Pearson interval for the Poisson rate ratio new/old. */
export function poissonRateRatio (counts: FailureCounts, confidence = 0.95, alternative: Alternative = 'two-sided'): RateRatioResult {
  const { failuresOld, exposureOld, failuresNew, exposureNew } = counts
  const total = failuresOld + failuresNew
  const ratio = (failuresNew / exposureNew) / (failuresOld / exposureOld)
  if (total === 0) return { ratio: NaN, ci: [0, Infinity], pValue: 1 }
  const nullShare = exposureNew / (exposureNew + exposureOld)
  const [shareLow, shareHigh] = clopperPearsonInterval(failuresNew, total, confidence)
  return {
    ratio,
    ci: [ratioFromShare(shareLow, exposureOld, exposureNew), ratioFromShare(shareHigh, exposureOld, exposureNew)],
    pValue: binomialTestPValue(failuresNew, total, nullShare, alternative)
  }
}

/** Newcombe interval for the failure proportion of new minus that of old. */
export function failureRateDifference (counts: FailureCounts, confidence = 0.95): RateDifferenceResult {
  const { failuresOld, exposureOld, failuresNew, exposureNew } = counts
  return {
    difference: failuresNew / exposureNew - failuresOld / exposureOld,
    ci: newcombeDifferenceInterval(failuresNew, exposureNew, failuresOld, exposureOld, confidence)
  }
}
