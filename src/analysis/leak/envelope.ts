/** The lower envelope of a memory series: the floor garbage collection returns to. */
import type { TimedValue } from './types.js'
import { olsFit } from './series.js'
import { medianOf } from './theil-sen.js'

/**
 * Minimum of each window of `windowSamples` consecutive samples, stamped with
 * the window's centre time. Windows are aligned to the end of the series, so a
 * partial window is dropped at the start (where warm-up was) rather than at the
 * end (where a leak shows best).
 */
export function lowerEnvelope (points: readonly TimedValue[], windowSamples: number): TimedValue[] {
  const k = Math.max(1, Math.floor(windowSamples))
  return windowMinima(points.map((p) => p.value), k).map((at, w, all) => {
    // windows are aligned to the end: window w of n ends (n − 1 − w) windows before the last sample
    const end = points.length - (all.length - 1 - w) * k
    const first = points[end - k] as TimedValue
    const last = points[end - 1] as TimedValue
    return { tSec: (first.tSec + last.tSec) / 2, value: (points[at] as TimedValue).value }
  })
}

/** Index of the lowest value of each window of `k` consecutive values, windows aligned to the end (a partial window is dropped at the start). */
export function windowMinima (values: readonly number[], k: number): number[] {
  const out: number[] = []
  for (let end = values.length; end - k >= 0; end -= k) {
    let at = end - k
    for (let i = end - k + 1; i < end; i++) if ((values[i] as number) < (values[at] as number)) at = i
    out.push(at)
  }
  return out.reverse()
}

/**
 * Noise scale of a series from its successive differences (von Neumann):
 * the root mean square of the differences around their median, over √2.
 * A trend shifts every difference equally and drops out; a GC sawtooth the
 * window missed shows up in full.
 */
export function successiveDifferenceNoise (values: readonly number[]): number {
  return values.length < 3 ? NaN : pooledNoise([values])
}

/** Options for {@link chooseEnvelopeWindow}. */
export interface WindowChoiceOptions {
  /** Fewest envelope points (over all blocks) the trend tests may run on. */
  minWindows: number
  /** Most envelope points worth computing (caps the O(n²) Theil–Sen). */
  maxWindows?: number
  /** Blocks yielding fewer envelope points than this are not counted. */
  minBlockWindows?: number
  /** Smallest window to consider. */
  minWindowSamples?: number
}

/**
 * Picks the envelope window that makes the slope most precise: the k that
 * minimises noise(k)·√((1+ρ)/(1−ρ))/√Sxx(k), with Sxx = Σ k²·m(m²−1)/12 over
 * blocks of m windows, the noise pooled from successive differences within
 * blocks, and ρ the lag-1 autocorrelation left around a line (a sawtooth the
 * windows did not cut is strongly autocorrelated). Too small a window leaves
 * GC sawtooth in the envelope; too large a window wastes points. Returns 0
 * when even k = 1 gives too few windows.
 */
export function chooseEnvelopeWindow (blocks: ReadonlyArray<readonly TimedValue[]>, options: WindowChoiceOptions): number {
  const minBlock = options.minBlockWindows ?? 3
  const usable = (k: number): number[] => blocks.map((b) => Math.floor(b.length / k)).filter((m) => m >= minBlock)
  const total = (k: number): number => usable(k).reduce((sum, m) => sum + m, 0)
  const points = blocks.reduce((sum, b) => sum + b.length, 0)
  const minK = Math.max(options.minWindowSamples ?? 1, Math.ceil(points / (options.maxWindows ?? 400)))
  let bestK = 0
  let bestScore = Infinity
  for (let k = minK; total(k) >= options.minWindows; k++) {
    const envelopes = blocks.map((b) => lowerEnvelope(b, k)).filter((e) => e.length >= minBlock)
    const noise = pooledNoise(envelopes.map((e) => e.map((p) => p.value)))
    const sxx = envelopes.reduce((sum, e) => sum + (k * k * e.length * (e.length * e.length - 1)) / 12, 0)
    const rho = detrendedLagOneAutocorrelation(envelopes)
    const score = (noise * Math.sqrt(rho > 0 ? Math.min(20, (1 + rho) / (1 - rho)) : 1)) / Math.sqrt(sxx)
    if (score < bestScore || bestK === 0) {
      bestScore = score
      bestK = k
    }
  }
  return bestK
}

/** Lag-1 autocorrelation of the residuals from a least-squares line through each block, pooled. */
export function detrendedLagOneAutocorrelation (blocks: ReadonlyArray<readonly TimedValue[]>): number {
  let num = 0
  let den = 0
  for (const block of blocks) {
    const fit = olsFit(block.map((p) => p.tSec), block.map((p) => p.value))
    if (!Number.isFinite(fit.slope)) continue
    let previous: number | undefined
    for (const p of block) {
      const r = p.value - fit.intercept - fit.slope * p.tSec
      den += r * r
      if (previous !== undefined) num += r * previous
      previous = r
    }
  }
  return den > 0 ? num / den : 0
}

/** {@link successiveDifferenceNoise} pooled over blocks: differences are only taken within a block. */
export function pooledNoise (blocks: ReadonlyArray<readonly number[]>): number {
  const diffs: number[] = []
  for (const values of blocks) {
    for (let i = 1; i < values.length; i++) diffs.push((values[i] as number) - (values[i - 1] as number))
  }
  if (diffs.length < 2) return NaN
  const centre = medianOf(diffs)
  let sumSquares = 0
  for (const d of diffs) sumSquares += (d - centre) ** 2
  return Math.sqrt(sumSquares / diffs.length / 2)
}

/**
 * Samples per garbage-collection cycle: the median gap between sharp drops (a successive difference more than
 * four robust standard deviations below the typical one). Undefined when fewer than three drops show (a smooth
 * series, or RSS).
 */
export function gcCycleSamples (values: readonly number[]): number | undefined {
  const diffs: number[] = []
  for (let i = 1; i < values.length; i++) diffs.push((values[i] as number) - (values[i - 1] as number))
  if (diffs.length < 4) return undefined
  const centre = medianOf(diffs)
  const spread = 1.4826 * medianOf(diffs.map((d) => Math.abs(d - centre)))
  const drops: number[] = []
  diffs.forEach((d, i) => { if (d < 0 && d < centre - 4 * spread) drops.push(i) })
  if (drops.length < 3) return undefined
  return medianOf(drops.slice(1).map((at, i) => at - (drops[i] as number)))
}
