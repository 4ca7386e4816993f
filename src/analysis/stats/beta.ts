/** The beta distribution: density, CDF, survival function and quantiles (scipy `beta.cdf/sf/ppf/isf`). */

import { binomialDensity, logGamma } from './special.js'

/** Beta(a, b) density at x (as R's `dbeta`, through the binomial density whenever a, b ≥ 1, which avoids cancelling log-gammas). */
export function betaDensity (x: number, a: number, b: number): number {
  if (x < 0 || x > 1) return 0
  if (x === 0) return a < 1 ? Infinity : a === 1 ? b : 0
  if (x === 1) return b < 1 ? Infinity : b === 1 ? a : 0
  if (a < 1 || b < 1) {
    return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - (logGamma(a) + logGamma(b) - logGamma(a + b)))
  }
  return (a + b - 1) * binomialDensity(a - 1, a + b - 2, x)
}

/** The continued fraction of the incomplete beta function (Numerical Recipes `betacf`, modified Lentz). */
function betaContinuedFraction (x: number, a: number, b: number): number {
  const tiny = 1e-300
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - qab * x / qap
  d = Math.abs(d) < tiny ? 1 / tiny : 1 / d
  let h = d
  for (let m = 1; m <= 100_000; m++) {
    const m2 = 2 * m
    let aa = m * (b - m) * x / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d
    c = 1 + aa / c
    if (Math.abs(c) < tiny) c = tiny
    h *= d * c
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d
    c = 1 + aa / c
    if (Math.abs(c) < tiny) c = tiny
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  return h
}

/** Both tails [P(X ≤ x), P(X > x)] of Beta(a, b), each computed directly so a small tail keeps its relative precision. */
function betaTails (x: number, a: number, b: number): [number, number] {
  if (x <= 0) return [0, 1]
  if (x >= 1) return [1, 0]
  // x^a (1-x)^b / B(a, b), the prefactor of the continued fraction
  const front = x * (1 - x) * betaDensity(x, a, b)
  if (x < (a + 1) / (a + b + 2)) {
    const lower = front * betaContinuedFraction(x, a, b) / a
    return [lower, 1 - lower]
  }
  const upper = front * betaContinuedFraction(1 - x, b, a) / b
  return [1 - upper, upper]
}

/** P(X ≤ x) for X ~ Beta(a, b): the regularized incomplete beta function I_x(a, b). */
export function betaCdf (x: number, a: number, b: number): number {
  return betaTails(x, a, b)[0]
}

/** P(X > x) for X ~ Beta(a, b). */
export function betaSf (x: number, a: number, b: number): number {
  return betaTails(x, a, b)[1]
}

/** Solves tail(x) = target for a monotone tail on (0, 1): Newton steps kept inside a shrinking bisection bracket. */
function solveBeta (target: number, a: number, b: number, lowerTail: boolean): number {
  let low = 0
  let high = 1
  let x = a / (a + b)
  for (let iteration = 0; iteration < 300; iteration++) {
    const [cdf, sf] = betaTails(x, a, b)
    // residual > 0 means x is too far right for the lower tail (too far left for the upper)
    const residual = lowerTail ? cdf - target : target - sf
    if (residual === 0) return x
    if (residual > 0) high = x
    else low = x
    const density = betaDensity(x, a, b)
    let next = density > 0 && Number.isFinite(density) ? x - residual / density : NaN
    if (!(next > low && next < high)) next = (low + high) / 2
    if (Math.abs(next - x) <= 1e-16 * Math.max(x, 1e-300) || high - low <= 1e-17 * high) return next
    x = next
  }
  return x
}

/** The x with P(X ≤ x) = p for X ~ Beta(a, b) (scipy `beta.ppf`). */
export function betaQuantile (p: number, a: number, b: number): number {
  if (p <= 0) return 0
  if (p >= 1) return 1
  return solveBeta(p, a, b, true)
}

/** The x with P(X > x) = p for X ~ Beta(a, b) (scipy `beta.isf`), precise when p is small. */
export function betaUpperQuantile (p: number, a: number, b: number): number {
  if (p <= 0) return 1
  if (p >= 1) return 0
  return solveBeta(p, a, b, false)
}
