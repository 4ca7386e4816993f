/** The standard normal distribution: CDF, survival function and quantile, accurate to about 1e-14 relative. */

const sqrtPi = Math.sqrt(Math.PI)

/** erf(x) for 0 ≤ x < 2 by the all-positive series e^{-x²}·Σ (2x²)^k·x / (2k+1)!! (Abramowitz & Stegun 7.1.6). */
function erfSeries (x: number): number {
  const twoXSquared = 2 * x * x
  let term = x
  let sum = x
  for (let k = 1; k < 200; k++) {
    term *= twoXSquared / (2 * k + 1)
    sum += term
    if (term < sum * 1e-17) break
  }
  return (2 / sqrtPi) * Math.exp(-x * x) * sum
}

/** erfc(x) for x ≥ 2 by its continued fraction (A&S 7.1.14), evaluated with the modified Lentz method. */
function erfcContinuedFraction (x: number): number {
  const tiny = 1e-300
  let f = x
  let c = x
  let d = 0
  for (let k = 1; k < 5000; k++) {
    const a = k / 2
    d = x + a * d
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d
    c = x + a / c
    if (Math.abs(c) < tiny) c = tiny
    const delta = c * d
    f *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  return Math.exp(-x * x) / (sqrtPi * f)
}

/** The complementary error function erfc(x) = 1 − erf(x). */
export function erfc (x: number): number {
  if (Number.isNaN(x)) return NaN
  if (x < 0) return 2 - erfc(-x)
  if (x < 2) return 1 - erfSeries(x)
  if (x > 27) return 0
  return erfcContinuedFraction(x)
}

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf (z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2)
}

/** P(Z > z) for a standard normal Z, accurate in the far upper tail. */
export function normalSf (z: number): number {
  return 0.5 * erfc(z / Math.SQRT2)
}

// Acklam's rational approximation (relative error 1.15e-9), then polished by Halley steps on normalCdf.
const a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00] as const
const b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01] as const
const c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00] as const
const d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00] as const

function acklam (p: number): number {
  const low = 0.02425
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  }
  if (p > 1 - low) return -acklam(1 - p)
  const q = p - 0.5
  const r = q * q
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
}

/** The z with P(Z ≤ z) = p (scipy `norm.ppf`, R `qnorm`). */
export function normalQuantile (p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  // work in the lower half, where p itself carries full precision
  if (p > 0.5) return -normalQuantile(1 - p)
  let z = acklam(p)
  for (let step = 0; step < 3; step++) {
    const error = normalCdf(z) - p
    const u = error * Math.sqrt(2 * Math.PI) * Math.exp(z * z / 2)
    const next = z - u / (1 + z * u / 2)
    if (next === z) break
    z = next
  }
  return z
}
