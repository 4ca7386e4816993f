/** Student's t distribution quantile (scipy `t.ppf`), through the incomplete beta function. */

import { betaCdf, betaQuantile } from './beta.js'
import { normalQuantile, normalSf } from './normal.js'

/** The t with P(T ≤ t) = p for T ~ Student's t with `df` degrees of freedom (df > 0, possibly fractional). */
export function studentTQuantile (p: number, df: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(df > 0)) return NaN
  if (p === 0.5) return 0
  if (!Number.isFinite(df)) return normalQuantile(p)
  // P(|T| > t) = I_{df/(df + t²)}(df/2, 1/2)
  const twoSided = 2 * Math.min(p, 1 - p)
  const x = betaQuantile(twoSided, df / 2, 0.5)
  const t = Math.sqrt(df * (1 - x) / x)
  return p < 0.5 ? -t : t
}

/** P(T > t) for T ~ Student's t with `df` degrees of freedom (scipy `t.sf`). */
export function studentTSf (t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN
  if (!Number.isFinite(df)) return normalSf(t)
  if (t === Infinity) return 0
  if (t === -Infinity) return 1
  const tail = 0.5 * betaCdf(df / (df + t * t), df / 2, 0.5)
  return t >= 0 ? tail : 1 - tail
}
