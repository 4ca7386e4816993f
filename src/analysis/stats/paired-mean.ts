/**
 * The mean of paired contrasts (log new/old per round), with the order of each round as a covariate when the rounds
 * alternate (ABBA: old first, then new first). A drift that both services share adds +δ to rounds where new ran second
 * and −δ where it ran first; regressing the contrasts on the order (±1) takes that out of the estimate and out of its
 * variance, and the intercept is the effect with the order averaged out. Without both orders it is the plain mean.
 *
 * The noise of a machine carries over from one slice to the next, so neighbouring rounds are a little alike; their
 * lag-1 autocovariance, when positive, is added to the variance (γ0 + 2γ1, the variance of a mean of an MA(1) series),
 * so the interval does not claim more than the rounds hold. (Synthetic demo-like runs: 88% coverage of a nominal 95%
 * without it.)
 */

/** A paired mean with its standard error. */
export interface PairedMean {
  /** The effect: the intercept at order 0 (or the mean when there is no order). */
  estimate: number
  /** Its standard error (NaN with too few contrasts). */
  standardError: number
  /** Degrees of freedom of the residual variance: n − 2 with the order covariate, n − 1 without. */
  degreesOfFreedom: number
  /** Standard deviation of one contrast around the fit, lag-1 autocovariance included: √(γ0 + 2·max(0, γ1)). */
  residualSd: number
  n: number
  /** True when the order entered as a covariate. */
  orderAdjusted: boolean
}

/**
 * The mean of `contrasts` (one per round), adjusted for `newFirst` (whether new ran first in that round) when both orders
 * occur and there are at least 4 rounds. Reference: scipy.stats.linregress(order, contrasts) → intercept and
 * intercept_stderr (tests), or the one-sample mean and its standard error.
 */
export function pairedMean (contrasts: readonly number[], newFirst?: readonly boolean[]): PairedMean {
  const n = contrasts.length
  const order = newFirst?.map((first) => first ? 1 : -1)
  const orderSum = order?.reduce((sum, s) => sum + s, 0) ?? n
  const adjusted = order !== undefined && order.length === n && Math.abs(orderSum) < n && n >= 4
  if (!adjusted) {
    const mean = contrasts.reduce((sum, d) => sum + d, 0) / n
    const sd = Math.sqrt(withCarryOver(contrasts.map((d) => d - mean), n - 1))
    return { estimate: mean, standardError: sd / Math.sqrt(n), degreesOfFreedom: n - 1, residualSd: sd, n, orderAdjusted: false }
  }
  // ordinary least squares of d on (1, s) with s = ±1: X'X = [[n, S], [S, n]], S = Σs
  const sumD = contrasts.reduce((sum, d) => sum + d, 0)
  const sumSD = contrasts.reduce((sum, d, i) => sum + d * (order[i] as number), 0)
  const determinant = n * n - orderSum * orderSum
  const intercept = (n * sumD - orderSum * sumSD) / determinant
  const slope = (n * sumSD - orderSum * sumD) / determinant
  const residualVariance = withCarryOver(contrasts.map((d, i) => d - intercept - slope * (order[i] as number)), n - 2)
  return {
    estimate: intercept,
    standardError: Math.sqrt(residualVariance * n / determinant),
    degreesOfFreedom: n - 2,
    residualSd: Math.sqrt(residualVariance),
    n,
    orderAdjusted: true
  }
}

/** γ0 + 2·max(0, γ1) of residuals, each autocovariance over `degreesOfFreedom`; NaN without any. */
function withCarryOver (residuals: readonly number[], degreesOfFreedom: number): number {
  if (!(degreesOfFreedom >= 1)) return NaN
  let gamma0 = 0
  let gamma1 = 0
  residuals.forEach((r, i) => {
    gamma0 += r * r
    if (i > 0) gamma1 += r * (residuals[i - 1] as number)
  })
  return (gamma0 + 2 * Math.max(0, gamma1)) / degreesOfFreedom
}
