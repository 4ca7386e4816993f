/**
 * Growth judged against the requests served rather than the clock, with the load as a covariate. When the load
 * changes during a run (a ramp, a cooldown), memory moves with it for two reasons: the load's own working set
 * (buffers, in-flight requests), which comes back when the load falls, and a per-request leak, which does not.
 * Blocks of steady load cannot tell them apart across a ramp, so a per-request leak under changing load was mostly
 * missed. Here the floor of each window of samples is fitted as
 *
 *     floor = a + b · (requests served so far) + c · (load, smoothed with a time constant τ)
 *
 * over every post-warm-up sample, ramps and cooldown included. b is bytes kept per request; c is what the load
 * holds while it lasts. τ (how long memory takes to follow the load) is the one of a few that fits best. The
 * interval for b uses a Newey–West covariance, since neighbouring floors look alike.
 */
import { leastSquares } from '../stats/least-squares.js'
import { studentTQuantile, studentTSf } from '../stats/student-t.js'
import { chooseEnvelopeWindow, gcCycleSamples, windowMinima } from './envelope.js'

/** A memory sample with the load (requests per second) of the interval it closed. */
export interface LoadedPoint {
  tSec: number
  value: number
  load: number
}

/** The per-request growth of one series. */
export interface LoadAdjustedTrend {
  /** Bytes kept per request served, with its 95% interval. */
  bytesPerRequest: number
  bytesPerRequestCi: [number, number]
  /** Two-sided p-value of b = 0 (t on n − k degrees of freedom). */
  pValue: number
  /** The same fit without the first tenth of the floors (memory still settling leans on the early ones): b and its p-value. */
  lateBytesPerRequest: number
  latePValue: number
  /** Mean load over the analysed span, requests per second. */
  meanLoad: number
  /** Time constant with which memory follows the load, seconds (0: at once). */
  lagSec: number
  /** Envelope points fitted. */
  windows: number
  windowSamples: number
  /** False when the load hardly changed and only requests served entered the fit. */
  loadTerm: boolean
}

/** Time constants tried for memory following the load (s). */
export const loadLagsSec = [0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 16] as const
/** Fewest envelope points the fit runs on. */
export const minLoadWindows = 12
/** Share of the first floors the settling check leaves out (as the steady path's first tenth of each block). */
export const settleShare = 0.1
/** The load counts as a covariate only when it spans at least this share of its mean. */
export const minLoadSpread = 0.2

/** The fit, or undefined with too few points, no load, or a design that cannot be solved. */
export function loadAdjustedTrend (points: readonly LoadedPoint[]): LoadAdjustedTrend | undefined {
  const sorted = [...points].filter((p) => Number.isFinite(p.value) && Number.isFinite(p.load) && p.load >= 0).sort((a, b) => a.tSec - b.tSec)
  const first = sorted[0]
  const last = sorted[sorted.length - 1]
  if (first === undefined || last === undefined || sorted.length < minLoadWindows) return undefined
  const served: number[] = []
  let total = 0
  sorted.forEach((p, i) => {
    if (i > 0) total += p.load * (p.tSec - (sorted[i - 1] as LoadedPoint).tSec)
    served.push(total)
  })
  const spanSec = last.tSec - first.tSec
  const meanLoad = spanSec > 0 ? total / spanSec : NaN
  if (!(meanLoad > 0)) return undefined
  const values = sorted.map((p) => p.value)
  // each floor must span a collection cycle, or the sawtooth stays in it
  const cycle = gcCycleSamples(values)
  const byNoise = chooseEnvelopeWindow([sorted], { minWindows: minLoadWindows })
  const windowSamples = Math.min(Math.floor(sorted.length / minLoadWindows), Math.max(byNoise, Math.round(cycle ?? 0)))
  if (windowSamples === 0) return undefined
  const floors = windowMinima(values, windowSamples)
  if (floors.length < minLoadWindows) return undefined
  let best: { lagSec: number, smoothed: number[], fit: NonNullable<ReturnType<typeof leastSquares>>, loadTerm: boolean } | undefined
  for (const lagSec of loadLagsSec) {
    const smoothed = smoothLoad(sorted, lagSec)
    const loads = floors.map((i) => smoothed[i] as number)
    const spread = Math.max(...loads) - Math.min(...loads)
    const loadTerm = spread >= minLoadSpread * meanLoad
    const rows = floors.map((i) => designRow(loadTerm, served[i] as number, smoothed[i] as number))
    const fit = leastSquares(rows, floors.map((i) => values[i] as number))
    if (fit !== undefined && (best === undefined || fit.residualSumOfSquares < best.fit.residualSumOfSquares)) best = { lagSec, smoothed, fit, loadTerm }
    if (!loadTerm) break
  }
  if (best === undefined) return undefined
  // the same fit without the first tenth of the floors: growth that rests on the early points is memory still settling
  const chosen = best
  const late = floors.slice(Math.ceil(floors.length * settleShare))
  const lateRows = late.map((i) => designRow(chosen.loadTerm, served[i] as number, chosen.smoothed[i] as number))
  const lateFit = leastSquares(lateRows, late.map((i) => values[i] as number))
  const lateT = lateFit === undefined ? NaN : (lateFit.coefficients[1] as number) / (lateFit.standardErrors[1] as number)
  const perThousand = best.fit.coefficients[1] as number
  const standardError = best.fit.standardErrors[1] as number
  const df = best.fit.degreesOfFreedom
  const t = standardError > 0 ? perThousand / standardError : perThousand > 0 ? Infinity : perThousand < 0 ? -Infinity : 0
  const half = studentTQuantile(0.975, df) * standardError
  return {
    bytesPerRequest: perThousand / 1000,
    bytesPerRequestCi: [(perThousand - half) / 1000, (perThousand + half) / 1000],
    pValue: Math.min(1, 2 * studentTSf(Math.abs(t), df)),
    latePValue: lateFit === undefined || !Number.isFinite(lateT) ? 1 : Math.min(1, 2 * studentTSf(Math.abs(lateT), lateFit.degreesOfFreedom)),
    lateBytesPerRequest: lateFit === undefined ? NaN : (lateFit.coefficients[1] as number) / 1000,
    meanLoad,
    lagSec: best.lagSec,
    windows: floors.length,
    windowSamples,
    loadTerm: best.loadTerm
  }
}

/** One row of the design: intercept, thousands of requests served, and the (smoothed) load when it changed. */
function designRow (loadTerm: boolean, served: number, load: number): number[] {
  return loadTerm ? [1, served / 1000, load] : [1, served / 1000]
}

/** The load seen through a first-order lag of `lagSec` (the load itself at 0). */
function smoothLoad (points: readonly LoadedPoint[], lagSec: number): number[] {
  const out: number[] = []
  let level = points[0]?.load ?? 0
  points.forEach((p, i) => {
    if (lagSec <= 0) level = p.load
    else if (i > 0) level += (1 - Math.exp(-(p.tSec - (points[i - 1] as LoadedPoint).tSec) / lagSec)) * (p.load - level)
    out.push(level)
  })
  return out
}
