/** Log-gamma and Loader's saddle-point binomial density: the building blocks of exact binomial and beta probabilities. */

const lanczos = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
] as const
const lnSqrt2Pi = 0.5 * Math.log(2 * Math.PI)

/** ln Γ(x) for x > 0 (Lanczos, g = 7; about 1e-15 relative). */
export function logGamma (x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  const shifted = x - 1
  let sum = lanczos[0]
  for (let i = 1; i < lanczos.length; i++) sum += (lanczos[i] ?? 0) / (shifted + i)
  const t = shifted + 7.5
  return lnSqrt2Pi + (shifted + 0.5) * Math.log(t) - t + Math.log(sum)
}

/** ln n! exactly rounded for n ≤ 20 (n! is exact in a double up to 22!), log-gamma above. */
function logFactorial (n: number): number {
  if (Number.isInteger(n) && n >= 0 && n <= 20) {
    let product = 1
    for (let i = 2; i <= n; i++) product *= i
    return Math.log(product)
  }
  return logGamma(n + 1)
}

/** Stirling's error ln n! − [(n + ½) ln n − n + ln √(2π)] (Loader 2000; R's `stirlerr`). */
export function stirlingError (n: number): number {
  if (n === 0) return 0
  if (n <= 15) return logFactorial(n) - (n + 0.5) * Math.log(n) + n - lnSqrt2Pi
  const nn = n * n
  const s0 = 1 / 12
  const s1 = 1 / 360
  const s2 = 1 / 1260
  const s3 = 1 / 1680
  const s4 = 1 / 1188
  if (n > 500) return (s0 - s1 / nn) / n
  if (n > 80) return (s0 - (s1 - s2 / nn) / nn) / n
  if (n > 35) return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n
  return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n
}

/** The deviance term x·ln(x/μ) + μ − x, computed without cancellation when x ≈ μ (Loader 2000; R's `bd0`). */
export function binomialDeviance (x: number, mean: number): number {
  if (Math.abs(x - mean) < 0.1 * (x + mean)) {
    let v = (x - mean) / (x + mean)
    let sum = (x - mean) * v
    let term = 2 * x * v
    v *= v
    for (let j = 1; j < 1000; j++) {
      term *= v
      const next = sum + term / (2 * j + 1)
      if (next === sum) return next
      sum = next
    }
    return sum
  }
  return x * Math.log(x / mean) + mean - x
}

/** P(X = x) for X ~ Binomial(n, p), x and n possibly non-integer (R's `dbinom_raw`, relative error about 1e-15). */
export function binomialDensity (x: number, n: number, p: number): number {
  const q = 1 - p
  if (p === 0) return x === 0 ? 1 : 0
  if (q === 0) return x === n ? 1 : 0
  if (x === 0) {
    if (n === 0) return 1
    return Math.exp(p < 0.1 ? -binomialDeviance(n, n * q) - n * p : n * Math.log(q))
  }
  if (x === n) return Math.exp(q < 0.1 ? -binomialDeviance(n, n * p) - n * q : n * Math.log(p))
  if (x < 0 || x > n) return 0
  const logCore = stirlingError(n) - stirlingError(x) - stirlingError(n - x) - binomialDeviance(x, n * p) - binomialDeviance(n - x, n * q)
  const logScale = Math.log(2 * Math.PI) + Math.log(x) + Math.log1p(-x / n)
  return Math.exp(logCore - 0.5 * logScale)
}
