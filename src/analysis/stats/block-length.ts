/**
 * Data-driven block length for the moving-block bootstrap (Politis & White 2004, with the correction of Patton,
 * Politis & White 2009): b = (2G²/D)^(1/3)·n^(1/3), where G and D come from the series' autocovariances through a
 * flat-top lag window. Strongly autocorrelated series get long blocks; independent ones get blocks of about 1.
 */

import { mean } from './summary.js'

/** Sample autocovariance at lag k (divided by n). */
function autocovariance (values: readonly number[], average: number, lag: number): number {
  let sum = 0
  for (let i = 0; i + lag < values.length; i++) sum += ((values[i] ?? 0) - average) * ((values[i + lag] ?? 0) - average)
  return sum / values.length
}

/** The flat-top (trapezoid) lag window of Politis & Romano. */
function flatTop (t: number): number {
  const a = Math.abs(t)
  return a <= 0.5 ? 1 : a <= 1 ? 2 * (1 - a) : 0
}

/** The Politis–White moving-block length for a series, kept within [1, n/3] so each resample holds several blocks. */
export function politisWhiteBlockLength (values: readonly number[]): number {
  const n = values.length
  if (n < 8) return 1
  const average = mean(values)
  const variance = autocovariance(values, average, 0)
  if (!(variance > 0)) return 1
  const maxLag = Math.min(n - 1, Math.ceil(Math.sqrt(n)) + Math.max(5, Math.ceil(Math.sqrt(Math.log10(n)))))
  const correlations: number[] = []
  for (let k = 0; k <= maxLag; k++) correlations.push(autocovariance(values, average, k) / variance)
  // m: the first lag after which K consecutive correlations are insignificant (|ρ| < 2·√(log10 n / n))
  const run = Math.max(5, Math.ceil(Math.sqrt(Math.log10(n))))
  const threshold = 2 * Math.sqrt(Math.log10(n) / n)
  let m = maxLag - run
  for (let k = 1; k + run - 1 <= maxLag; k++) {
    let quiet = true
    for (let j = k; j < k + run; j++) if (Math.abs(correlations[j] ?? 0) >= threshold) quiet = false
    if (quiet) { m = k - 1; break }
  }
  const bigM = Math.min(2 * Math.max(m, 1), maxLag)
  let g = 0
  let spectrumAtZero = 0
  for (let k = -bigM; k <= bigM; k++) {
    const weight = flatTop(k / bigM) * variance * (correlations[Math.abs(k)] ?? 0)
    g += weight * Math.abs(k)
    spectrumAtZero += weight
  }
  // D for the moving-block (and circular) bootstrap: (4/3)·ĝ(0)²
  const d = (4 / 3) * spectrumAtZero * spectrumAtZero
  if (!(d > 0)) return 1
  const length = Math.cbrt(2 * g * g / d) * Math.cbrt(n)
  return Math.min(Math.max(1, Math.round(length)), Math.max(1, Math.floor(n / 3)))
}
