/**
 * Did growth level off? A straight line against the best of a family of
 * levelling-off curves (grow-then-flat, and exponential approach); the better
 * the curve fits, the more the growth looks like a cache or warm-up filling up.
 */
import type { TimedValue } from './types.js'
import { olsFit } from './series.js'

/**
 * F above which growth counts as levelled off. The curve is searched, so this
 * is a sup-F statistic: Andrews (1993, Econometrica 61, Table 1; one
 * restriction, 15% trimming) puts its 5% and 1% critical values at 8.85 and
 * 12.35 for white noise (10%: 7.17). 8 sits between the 10% and 5% values:
 * with 10, bench:leaks called 2.2% of filling caches and warm-ups leaks (the
 * goal is at most 2%); with 8, 1.6% and 2.0% on the benchmark's corpus and
 * 1.6% and 1.2% on 500 other seeds per class, for 0.4 points of recall
 * (95.5% → 95.1%; 95.6% → 95.2% on the other seeds).
 */
export const plateauCriticalF = 8

/** Earliest and latest bend of the grow-then-flat line, as shares of the span: at least the last quarter is flat. */
export const bendRange: [number, number] = [0.05, 0.75]

/** Fewer envelope points than this cannot show a bend; the test then reports F = 0. */
export const minPlateauPoints = 8

/** How well the best levelling-off curve beats the straight line. */
export interface PlateauFit {
  /** (SSE_line − SSE_curve) / (SSE_curve / (n − 3)), the variance scaled for residual autocorrelation. */
  f: number
  /** Where the best curve turns flat (s). */
  bendSec: number
  /** Least-squares slope of the straight line, bytes per second. */
  lineSlope: number
  /** Lag-1 autocorrelation of the best curve's residuals. */
  residualAutocorrelation: number
}

interface Shape {
  curve: (tSec: number) => number
  flatFromSec: number
}

/** Fits the line and every levelling-off curve by least squares and returns the F statistic of the best curve. */
export function plateauFit (points: readonly TimedValue[]): PlateauFit {
  const x = points.map((p) => p.tSec)
  const y = points.map((p) => p.value)
  const n = points.length
  const line = olsFit(x, y)
  if (n < minPlateauPoints) return { f: 0, bendSec: x[n - 1] ?? NaN, lineSlope: line.slope, residualAutocorrelation: 0 }
  const sseLine = y.reduce((sum, v, i) => sum + (v - line.intercept - line.slope * (x[i] as number)) ** 2, 0)
  let bestSse = Infinity
  let bendSec = x[n - 1] ?? NaN
  let bestResiduals: number[] = []
  for (const shape of levellingOffShapes(x[0] ?? 0, x[n - 1] ?? 0)) {
    const g = x.map(shape.curve)
    const fit = olsFit(g, y)
    if (!Number.isFinite(fit.slope)) continue
    const residuals = y.map((v, j) => v - fit.intercept - fit.slope * (g[j] as number))
    const sse = residuals.reduce((sum, r) => sum + r * r, 0)
    if (sse < bestSse) {
      bestSse = sse
      bendSec = shape.flatFromSec
      bestResiduals = residuals
    }
  }
  // Autocorrelated residuals (sawtooth left in a narrow envelope) inflate F; scale the
  // variance by the AR(1) long-run factor (1 + ρ)/(1 − ρ), as HAC corrections do.
  const rho = lagOneAutocorrelation(bestResiduals)
  const longRunFactor = rho > 0 ? Math.min(50, (1 + rho) / (1 - rho)) : 1
  const residualVariance = (bestSse / Math.max(1, n - 3)) * longRunFactor
  const f = residualVariance > 0 ? (sseLine - bestSse) / residualVariance : sseLine > bestSse ? Infinity : 0
  return { f, bendSec, lineSlope: line.slope, residualAutocorrelation: rho }
}

/**
 * The curves tried, each fitted as y = a + c·curve(t): a line that turns flat
 * at a bend, and an exponential approach 1 − e^(−(t−t0)/τ) with τ up to a
 * third of the span (so the end grows at under 5% of the start rate), which
 * fits caches that fill ever slower better than a sharp bend does.
 */
function levellingOffShapes (t0: number, t1: number): Shape[] {
  const span = t1 - t0
  const shapes: Shape[] = []
  for (let i = 0; i <= 28; i++) {
    const bend = t0 + (bendRange[0] + ((bendRange[1] - bendRange[0]) * i) / 28) * span
    shapes.push({ curve: (t) => Math.min(t, bend), flatFromSec: bend })
  }
  for (let i = 1; i <= 12; i++) {
    const tau = (span / 3) * (i / 12)
    shapes.push({ curve: (t) => 1 - Math.exp(-(t - t0) / tau), flatFromSec: Math.min(t1, t0 + 3 * tau) })
  }
  return shapes
}

/** Lag-1 autocorrelation of residuals (mean zero by construction of the fit). */
function lagOneAutocorrelation (residuals: readonly number[]): number {
  let num = 0
  let den = 0
  for (let i = 0; i < residuals.length; i++) {
    const r = residuals[i] as number
    den += r * r
    if (i > 0) num += r * (residuals[i - 1] as number)
  }
  return den > 0 ? num / den : 0
}
