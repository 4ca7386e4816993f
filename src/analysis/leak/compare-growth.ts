/**
 * Does NEW's memory grow faster than OLD's under the same load? The
 * difference of the two Theil–Sen slopes with a 95% interval built by MOVER
 * (Zou & Donner 2008, "Construction of confidence limits about effect
 * measures"), which combines two asymmetric intervals without assuming they
 * are symmetric. It treats the slopes as independent; targets driven by the
 * same load fluctuate together, so the interval errs on the wide side.
 */
import type { LeakResult } from './types.js'
import { formatRate, formatRateInterval } from './format.js'

/** NEW against OLD. */
export interface GrowthComparison {
  /** true: NEW grows faster (interval above 0 and the difference matters); false: any difference is too small to matter. */
  fasterThanOld: boolean | 'inconclusive'
  /** NEW slope − OLD slope. */
  differenceBytesPerSec: number
  ci: [number, number]
  /** Differences smaller than this do not matter (the larger of the two minimum meaningful growths, unless given). */
  marginBytesPerSec: number
  reason: string
}

/** Compares the growth of two targets' leak results from the same run. */
export function compareGrowth (newResult: LeakResult, oldResult: LeakResult, marginBytesPerSec?: number): GrowthComparison {
  const margin = marginBytesPerSec ?? Math.max(newResult.minGrowthBytesPerSec, oldResult.minGrowthBytesPerSec)
  const [newLow, newHigh] = newResult.slopeCi
  const [oldLow, oldHigh] = oldResult.slopeCi
  const newSlope = newResult.slopeBytesPerSec
  const oldSlope = oldResult.slopeBytesPerSec
  const difference = newSlope - oldSlope
  const low = difference - Math.hypot(newSlope - newLow, oldHigh - oldSlope)
  const high = difference + Math.hypot(newHigh - newSlope, oldSlope - oldLow)
  const ci: [number, number] = [low, high]
  if (![difference, low, high].every(Number.isFinite)) {
    return { fasterThanOld: 'inconclusive', differenceBytesPerSec: difference, ci, marginBytesPerSec: margin, reason: 'one of the targets has too little memory data to compare growth' }
  }
  const signalNote = newResult.signal === oldResult.signal ? '' : ` (NEW measured on ${newResult.signal}, OLD on ${oldResult.signal})`
  const stats = `${formatRate(difference)} (95% CI ${formatRateInterval(low, high)})${signalNote}`
  if (low > 0 && difference >= margin) {
    return { fasterThanOld: true, differenceBytesPerSec: difference, ci, marginBytesPerSec: margin, reason: `NEW's memory grows faster than OLD's by ${stats}` }
  }
  if (high < margin) {
    return { fasterThanOld: false, differenceBytesPerSec: difference, ci, marginBytesPerSec: margin, reason: `NEW's memory grows no faster than OLD's beyond ${formatRate(margin)}: difference ${stats}` }
  }
  return { fasterThanOld: 'inconclusive', differenceBytesPerSec: difference, ci, marginBytesPerSec: margin, reason: `cannot tell whether NEW's memory grows faster than OLD's: difference ${stats}; a longer soak would settle it` }
}
