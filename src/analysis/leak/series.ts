/** Preparing a memory series: restarts, warm-up, coverage, least squares. */
import { medianOf } from './theil-sen.js'

/** An RSS value below this share of the previous one is read as a restart (Coroot's rule). */
export const restartDropRatio = 0.5

/** Share of a series treated as warm-up when no phase names say where warm-up ends. */
export const defaultWarmupFraction = 0.15

/**
 * Splits a time-ordered series at restarts: wherever a sample falls below
 * `dropRatio` × the previous one, and at every reported restart time.
 */
export function splitAtRestarts<T extends { tSec: number }> (
  samples: readonly T[],
  valueOf: (sample: T) => number,
  restartsAtSec: readonly number[] = [],
  dropRatio = restartDropRatio
): T[][] {
  const segments: T[][] = []
  let current: T[] = []
  const pending = [...restartsAtSec].sort((a, b) => a - b)
  let nextRestart = 0
  for (const sample of samples) {
    let boundary = false
    while (nextRestart < pending.length && (pending[nextRestart] as number) <= sample.tSec) {
      boundary = current.length > 0
      nextRestart++
    }
    const previous = current[current.length - 1]
    if (previous !== undefined && valueOf(sample) < dropRatio * valueOf(previous)) boundary = true
    if (boundary && current.length > 0) {
      segments.push(current)
      current = []
    }
    current.push(sample)
  }
  if (current.length > 0) segments.push(current)
  return segments
}

/** The segment covering the most time (the later one on a tie); empty when there is none. */
export function longestSegment<T extends { tSec: number }> (segments: readonly T[][]): T[] {
  let best: T[] = []
  let bestSpan = -1
  for (const segment of segments) {
    const span = (segment[segment.length - 1]?.tSec ?? 0) - (segment[0]?.tSec ?? 0)
    if (span >= bestSpan) {
      best = segment
      bestSpan = span
    }
  }
  return best
}

/** True for phase names meaning warm-up (`warmup`, `warm-up`, `warm_up`, any case). */
export function isWarmupPhase (phase: string | undefined): boolean {
  return phase !== undefined && /^warm[-_ ]?up/i.test(phase)
}

/** True for phase names meaning cooldown (`cooldown`, `cool-down`, `cool_down`, any case). */
export function isCooldownPhase (phase: string | undefined): boolean {
  return phase !== undefined && /^cool[-_ ]?down/i.test(phase)
}

/** What {@link trimWarmup} kept and why. */
export interface WarmupTrim<T> {
  kept: T[]
  trimmedSec: number
  by: 'phase' | 'fraction' | 'none'
}

/**
 * Leaves out warm-up: the samples of a `warmup` phase when phases are named,
 * otherwise the first `fraction` of the time span (15% by default: Clinic trims
 * the ramp before its plateau, and 10–20% covers JIT and cache warm-up in a
 * short soak without costing a long one much).
 */
export function trimWarmup<T extends { tSec: number, phase?: string | undefined }> (
  samples: readonly T[],
  fraction = defaultWarmupFraction
): WarmupTrim<T> {
  const first = samples[0]
  if (first === undefined) return { kept: [], trimmedSec: 0, by: 'none' }
  if (samples.some((s) => s.phase !== undefined)) {
    const kept = samples.filter((s) => !isWarmupPhase(s.phase))
    const trimmedSec = (kept[0]?.tSec ?? first.tSec) - first.tSec
    return { kept, trimmedSec, by: kept.length < samples.length ? 'phase' : 'none' }
  }
  const last = samples[samples.length - 1] as T
  const cut = first.tSec + fraction * (last.tSec - first.tSec)
  const kept = samples.filter((s) => s.tSec >= cut)
  return { kept, trimmedSec: (kept[0]?.tSec ?? cut) - first.tSec, by: fraction > 0 ? 'fraction' : 'none' }
}

/** Median spacing between consecutive times (NaN with fewer than two). */
export function medianIntervalSec (times: readonly number[]): number {
  const gaps: number[] = []
  for (let i = 1; i < times.length; i++) gaps.push((times[i] as number) - (times[i - 1] as number))
  return medianOf(gaps)
}

/** Share of the samples a regular series at the median interval would hold that are present (capped at 1). */
export function sampleCoverage (times: readonly number[], intervalSec = medianIntervalSec(times)): number {
  if (times.length < 2 || !(intervalSec > 0)) return times.length > 0 ? 1 : 0
  const span = (times[times.length - 1] as number) - (times[0] as number)
  return Math.min(1, times.length / (Math.round(span / intervalSec) + 1))
}

/** Ordinary least-squares line y = intercept + slope · x. */
export function olsFit (x: readonly number[], y: readonly number[]): { slope: number, intercept: number } {
  const n = Math.min(x.length, y.length)
  if (n < 2) return { slope: NaN, intercept: n === 1 ? (y[0] as number) : NaN }
  let meanX = 0
  let meanY = 0
  for (let i = 0; i < n; i++) {
    meanX += x[i] as number
    meanY += y[i] as number
  }
  meanX /= n
  meanY /= n
  let sxy = 0
  let sxx = 0
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - meanX
    sxy += dx * ((y[i] as number) - meanY)
    sxx += dx * dx
  }
  const slope = sxx === 0 ? NaN : sxy / sxx
  return { slope, intercept: meanY - slope * meanX }
}
