/**
 * A service's ceiling, measured: on the ceiling holds after the search (`capacity.ceilingHolds`, closed-model phases
 * that keep the service busy, as wrk does) the rate of successful answers is the most it can serve. Repeated holds give
 * the ceiling an interval from their own spread, and two services' ceilings a ratio with an interval (Welch's t on the
 * log rates), where the knees alone only have the search's bracket.
 */

import type { CapacityCeiling, CapacityStep } from '../core/result-types.js'
import { meanInterval, welchInterval } from './stats/welch.js'

/** Successful answers per second on each ceiling hold the generator could measure (not at its own ceiling). */
export function ceilingThroughputs (curve: readonly CapacityStep[]): number[] {
  return curve
    .filter((step) => step.overload === true && step.limitedBy !== 'generator')
    .map((step) => step.throughput * (1 - step.errorRate))
    .filter((rate) => rate > 0)
}

/** The ceiling (geometric mean of the holds' rates) with its 95% t interval, from two holds or more. */
export function measuredCeiling (curve: readonly CapacityStep[]): CapacityCeiling | undefined {
  const rates = ceilingThroughputs(curve)
  const fit = meanInterval(rates.map(Math.log))
  if (fit === undefined) return undefined
  return { rps: round1(Math.exp(fit.mean)), ci: [round1(Math.exp(fit.ci[0])), round1(Math.exp(fit.ci[1]))], holds: rates.length }
}

/** new/old ratio of two ceilings with its 95% interval (Welch on the logs), from two holds a side or more. */
export function ceilingRatio (oldCurve: readonly CapacityStep[], newCurve: readonly CapacityStep[]): { ratio: number, ci: [number, number], holds: [number, number] } | undefined {
  const old = ceilingThroughputs(oldCurve)
  const next = ceilingThroughputs(newCurve)
  const fit = welchInterval(old.map(Math.log), next.map(Math.log))
  if (fit === undefined) return undefined
  return { ratio: Math.exp(fit.difference), ci: [Math.exp(fit.ci[0]), Math.exp(fit.ci[1])], holds: [old.length, next.length] }
}

const round1 = (value: number): number => Math.round(value * 10) / 10
