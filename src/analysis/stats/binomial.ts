/** The binomial distribution, the exact binomial test and the Clopper–Pearson interval (scipy `binom`, `binomtest`). */

import { betaCdf, betaQuantile, betaSf, betaUpperQuantile } from './beta.js'
import { binomialDensity } from './special.js'

/** Which way a test looks: any difference, or only one side. */
export type Alternative = 'two-sided' | 'less' | 'greater'

/** P(X = k) for X ~ Binomial(n, p). */
export function binomialPmf (k: number, n: number, p: number): number {
  if (!Number.isInteger(k) || k < 0 || k > n) return 0
  return binomialDensity(k, n, p)
}

/** P(X ≤ k) for X ~ Binomial(n, p), as the incomplete beta I_{1−p}(n − k, k + 1). */
export function binomialCdf (k: number, n: number, p: number): number {
  const whole = Math.floor(k)
  if (whole < 0) return 0
  if (whole >= n) return 1
  return betaSf(p, whole + 1, n - whole)
}

/** P(X > k) for X ~ Binomial(n, p). */
export function binomialSf (k: number, n: number, p: number): number {
  const whole = Math.floor(k)
  if (whole < 0) return 1
  if (whole >= n) return 0
  return betaCdf(p, whole + 1, n - whole)
}

/** scipy's `_binary_search_for_binom_tst`: the i in [lo, hi] with f(i) ≤ target < f(i + 1), for f ascending there. */
function searchAscending (f: (i: number) => number, target: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2)
    const value = f(mid)
    if (value < target) lo = mid + 1
    else if (value > target) hi = mid - 1
    else return mid
  }
  return f(lo) <= target ? lo : lo - 1
}

/** p-value of the exact binomial test of k successes in n trials against probability p (scipy `binomtest(k, n, p).pvalue`). */
export function binomialTestPValue (k: number, n: number, p: number, alternative: Alternative = 'two-sided'): number {
  if (alternative === 'less') return binomialCdf(k, n, p)
  if (alternative === 'greater') return binomialSf(k - 1, n, p)
  // two-sided: the outcomes no more likely than k (scipy's rule, with its 1e-7 relative slack)
  const limit = binomialPmf(k, n, p) * (1 + 1e-7)
  if (k === p * n) return 1
  let pValue: number
  if (k < p * n) {
    const ix = searchAscending((i) => -binomialPmf(i, n, p), -limit, Math.ceil(p * n), n)
    const y = n - ix + (limit === binomialPmf(ix, n, p) ? 1 : 0)
    pValue = binomialCdf(k, n, p) + binomialSf(n - y, n, p)
  } else {
    const ix = searchAscending((i) => binomialPmf(i, n, p), limit, 0, Math.floor(p * n))
    pValue = binomialCdf(ix, n, p) + binomialSf(k - 1, n, p)
  }
  return Math.min(1, pValue)
}

/** Exact (Clopper–Pearson) interval for a binomial proportion from k of n (scipy `binomtest(k, n).proportion_ci('exact')`). */
export function clopperPearsonInterval (k: number, n: number, confidence = 0.95): [number, number] {
  const tail = (1 - confidence) / 2
  const low = k === 0 ? 0 : betaQuantile(tail, k, n - k + 1)
  const high = k === n ? 1 : betaUpperQuantile(tail, k + 1, n - k)
  return [low, high]
}
