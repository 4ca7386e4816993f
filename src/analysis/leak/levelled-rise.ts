/**
 * Growth that came and stopped: memory that rose after warm-up (a cache filling, a pool sizing itself) and has been
 * flat since. Its overall slope is too small to matter, so the trend tests call it stable; the rise itself is worth
 * saying, and `saturating` says it.
 */
import { medianOf } from './theil-sen.js'
import type { TimedValue } from './types.js'

/** A rise smaller than this many times the envelope's noise, or than {@link minRiseBytes}, is not reported. */
export const riseNoiseFactor = 6
/** The smallest rise called levelled growth. */
export const minRiseBytes = 2e6
/** Share of the rise that must be reached within the first third of the analysed time: it came early and stopped. */
export const earlyShare = 0.8

/**
 * The rise and when it levelled off, from the lower envelope's points (every block, in time order), or undefined
 * when the floor did not rise by more than noise, or still rose late in the run.
 */
export function levelledRise (envelopes: ReadonlyArray<readonly TimedValue[]>, noiseBytes: number): { riseBytes: number, flatFromSec: number } | undefined {
  const points = envelopes.flat().sort((a, b) => a.tSec - b.tSec)
  if (points.length < 9) return undefined
  const third = Math.floor(points.length / 3)
  const start = medianOf(points.slice(0, 3).map((p) => p.value))
  const middle = medianOf(points.slice(third, 2 * third).map((p) => p.value))
  const end = medianOf(points.slice(2 * third).map((p) => p.value))
  const riseBytes = end - start
  if (!(riseBytes >= Math.max(minRiseBytes, riseNoiseFactor * (Number.isFinite(noiseBytes) ? noiseBytes : 0)))) return undefined
  if (middle - start < earlyShare * riseBytes) return undefined
  const flatFrom = points.find((p) => p.value >= start + 0.9 * riseBytes)
  return { riseBytes, flatFromSec: flatFrom?.tSec ?? points[third]?.tSec ?? NaN }
}
