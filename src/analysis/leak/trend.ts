/**
 * The trend of one memory series over blocks of steady load: lower envelope,
 * Mann–Kendall summed over blocks (each with the Hamed–Rao correction),
 * Theil–Sen over within-block pairs, and the shape of the longest block.
 */
import type { TimedValue } from './types.js'
import { chooseEnvelopeWindow, lowerEnvelope, pooledNoise } from './envelope.js'
import { hamedRaoMannKendall, mannKendallZ } from './mann-kendall.js'
import { twoSidedNormalPValue } from './normal.js'
import { plateauFit, type PlateauFit } from './plateau.js'
import { olsFit } from './series.js'
import { blockedTheilSen, type TheilSenResult } from './theil-sen.js'

/** Fewest envelope points the trend tests run on: enough for Mann–Kendall to reach p < 0.001 and for the plateau test to have a tail. */
export const minEnvelopeWindows = 12
/** Blocks with fewer envelope points than this are left out (they say little about a within-block trend). */
export const minBlockWindows = 3
/** The Hamed–Rao lag screen needs this many points to mean anything; shorter blocks keep the plain variance. */
export const minPointsForAutocorrelation = 10
/** Share of each block's first envelope points the settling check leaves out. */
export const settleFraction = 0.1
/** Share of the longest block at its end whose slope is reported against the overall slope (Coroot uses the last quarter of an hour). */
export const tailFraction = 1 / 3

/** What the trend tests found in one series. */
export interface TrendAnalysis {
  windowSamples: number
  /** Envelope of each block that was used. */
  envelopes: TimedValue[][]
  /** Envelope points over all blocks. */
  windows: number
  /** Mann–Kendall S summed over blocks, its variance (Hamed–Rao-corrected, never narrowed), z and two-sided p. */
  s: number
  varianceS: number
  z: number
  pValue: number
  /** z and p of the same test with the first tenth of each block left out. */
  lateZ: number
  latePValue: number
  /** varianceS over the uncorrected variance. */
  varianceFactor: number
  /** Theil–Sen over within-block pairs (bytes per second) with Sen's interval from varianceS. */
  theilSen: TheilSenResult
  /** Least-squares slope of the last third of the longest block, bytes per second. */
  tailSlopeBytesPerSec: number
  /** Tail slope / overall Theil–Sen slope; NaN when the overall slope is not positive. */
  tailToOverallRatio: number
  /** Envelope noise (successive differences within blocks), bytes. */
  noiseBytes: number
  /** Straight line against levelling-off curves, on the longest block. */
  plateau: PlateauFit
  /** The longest block's envelope (where shape and fitted line come from). */
  longest: TimedValue[]
}

/** Runs the trend tests, or returns undefined when the blocks hold fewer than {@link minEnvelopeWindows} envelope points. */
export function analyseTrend (blocks: ReadonlyArray<readonly TimedValue[]>): TrendAnalysis | undefined {
  const windowSamples = chooseEnvelopeWindow(blocks, { minWindows: minEnvelopeWindows, minBlockWindows })
  if (windowSamples === 0) return undefined
  const envelopes = blocks.map((block) => lowerEnvelope(block, windowSamples)).filter((e) => e.length >= minBlockWindows)
  const windows = envelopes.reduce((sum, e) => sum + e.length, 0)
  if (windows < minEnvelopeWindows) return undefined
  const { s, varianceS, plainVariance, z } = blockedMannKendall(envelopes)
  // The same test without each block's first tenth: growth that rests on a few low early points is memory still settling.
  const late = blockedMannKendall(envelopes.map((e) => e.slice(Math.ceil(settleFraction * e.length))))
  const theilSen = blockedTheilSen(envelopes.map((e) => ({ y: e.map((p) => p.value), x: e.map((p) => p.tSec) })), varianceS)
  const longest = envelopes.reduce((best, e) => (e.length > best.length ? e : best))
  const tailSlopeBytesPerSec = tailSlope(longest)
  return {
    windowSamples,
    envelopes,
    windows,
    s,
    varianceS,
    z,
    pValue: twoSidedNormalPValue(z),
    lateZ: late.z,
    latePValue: twoSidedNormalPValue(late.z),
    varianceFactor: plainVariance > 0 ? varianceS / plainVariance : 1,
    theilSen,
    tailSlopeBytesPerSec,
    tailToOverallRatio: theilSen.slope > 0 ? tailSlopeBytesPerSec / theilSen.slope : NaN,
    noiseBytes: pooledNoise(envelopes.map((e) => e.map((p) => p.value))),
    plateau: plateauFit(longest),
    longest
  }
}

/** Mann–Kendall summed over blocks (Hirsch–Slack): S and Var(S) add up; each block's Var(S) gets its Hamed–Rao factor. */
export function blockedMannKendall (envelopes: ReadonlyArray<readonly TimedValue[]>): { s: number, varianceS: number, plainVariance: number, z: number } {
  let s = 0
  let plainVariance = 0
  let varianceS = 0
  for (const envelope of envelopes) {
    if (envelope.length < 2) continue
    const mk = hamedRaoMannKendall(envelope.map((p) => p.value))
    // Never let negative autocorrelation narrow the interval: in short series the lag screen is too noisy to trust.
    const factor = envelope.length >= minPointsForAutocorrelation ? Math.max(1, mk.correctionFactor) : 1
    s += mk.s
    plainVariance += mk.uncorrectedVarianceS
    varianceS += mk.uncorrectedVarianceS * factor
  }
  return { s, varianceS, plainVariance, z: mannKendallZ(s, varianceS) }
}

/** Least-squares slope over the last third of an envelope's span (at least four points). */
export function tailSlope (envelope: readonly TimedValue[]): number {
  const last = envelope[envelope.length - 1]
  const first = envelope[0]
  if (last === undefined || first === undefined) return NaN
  const cut = last.tSec - tailFraction * (last.tSec - first.tSec)
  let tail = envelope.filter((p) => p.tSec >= cut)
  if (tail.length < 4) tail = envelope.slice(-4)
  return olsFit(tail.map((p) => p.tSec), tail.map((p) => p.value)).slope
}
