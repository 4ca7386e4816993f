/**
 * How much consecutive intervals resemble each other, and what that costs: under an AR(1) model with lag-1
 * correlation ρ, n intervals carry about n(1 − ρ)/(1 + ρ) intervals' worth of information, and a moving-block
 * bootstrap with blocks of L sees only the Bartlett-weighted part of the long-run variance.
 */

import { midRanks } from './ranks.js'

/** Highest lag-1 correlation the corrections use; beyond it a series of this length carries almost nothing. */
const maxCorrelation = 0.95

/**
 * Lag-1 autocorrelation of the series' ranks (robust to a few spikes and to the scale of the values), with the
 * small-sample bias of a lag-1 estimate with unknown mean, −(1 + 4ρ)/n (Marriott & Pope 1954), added back.
 */
export function rankLag1Autocorrelation (values: readonly number[]): number {
  const raw = rawRankLag1Autocorrelation(values)
  return raw + (1 + 4 * raw) / values.length
}

function rawRankLag1Autocorrelation (values: readonly number[]): number {
  if (values.length < 3) return 0
  const ranks = midRanks(values).ranks
  const center = (values.length + 1) / 2
  let products = 0
  let squares = 0
  for (let i = 0; i < ranks.length; i++) {
    const deviation = (ranks[i] ?? center) - center
    squares += deviation * deviation
    if (i + 1 < ranks.length) products += deviation * ((ranks[i + 1] ?? center) - center)
  }
  return squares > 0 ? products / squares : 0
}

/** ρ clamped to [0, 0.95]: negative correlation only makes resampling conservative, so it is not credited. */
export function usableCorrelation (rho: number): number {
  return Number.isFinite(rho) ? Math.min(maxCorrelation, Math.max(0, rho)) : 0
}

/** n(1 − ρ)/(1 + ρ): the number of independent intervals n AR(1) intervals are worth for estimating a mean. */
export function ar1EffectiveSize (n: number, rho: number): number {
  const r = usableCorrelation(rho)
  return n * (1 - r) / (1 + r)
}

/**
 * The long-run variance (1 + ρ)/(1 − ρ) of an AR(1) over the Bartlett-weighted sum 1 + 2·Σ_{k<L} (1 − k/L)·ρ^k that a
 * moving-block bootstrap with blocks of L reproduces (Künsch 1989): the factor by which its variance falls short.
 */
export function ar1BlockVarianceRatio (rho: number, blockLength: number): number {
  const r = usableCorrelation(rho)
  if (r === 0) return 1
  let bartlett = 1
  for (let k = 1; k < blockLength; k++) bartlett += 2 * (1 - k / blockLength) * r ** k
  return Math.max(1, ((1 + r) / (1 - r)) / bartlett)
}
