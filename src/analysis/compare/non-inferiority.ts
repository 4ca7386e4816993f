/**
 * The non-inferiority verdict of new against old from a confidence interval of the effect (new/old or new − old).
 *
 * With `bad end` the interval end on the worse side (the upper end when higher is worse), `limit` the worst
 * acceptable effect (1 + margin, 1 − margin, +margin or −margin) and `no change` 1 for ratios, 0 for differences:
 * - pass: the bad end and the estimate are within the limit: new is shown to be no worse than allowed;
 * - fail: the estimate is beyond the limit AND the whole interval is on the worse side of no change: new is
 *   clearly worse than old, and by more than allowed as far as the data can tell;
 * - inconclusive: anything else. Either the interval straddles the limit with the estimate inside it (too
 *   wide to vouch for new), or the estimate is beyond the limit but the interval still includes no change
 *   (too wide to blame new). More data narrows the interval and settles it.
 *
 * Why this rule: a fail needs the interval to exclude no change, a one-sided test at (1 − confidence)/2, so
 * identical services (A/A) fail at most 2.5% of the time with 95% intervals however little data there is (as far
 * as the interval really covers 95%: the per-interval bootstrap gets about 3%, see stats/bootstrap.ts); and a
 * change beyond the limit fails with probability → 1 as data grow, since the estimate converges beyond the limit
 * and the interval shrinks away from no change. Failing whenever the bad end crosses the limit would fail most
 * A/A runs with little data; failing only when the good end crosses it would miss real regressions unless the
 * data were plentiful.
 */

import type { Verdict } from '../../core/result-types.js'
import type { Direction, EffectScale } from './types.js'

/** An effect and its interval, and what is acceptable. */
export interface NonInferiorityInput {
  estimate: number
  ci: readonly [number, number]
  scale: EffectScale
  direction: Direction
  /** How much worse new may be, as a magnitude: 0.10 for +10% on a ratio, 0.001 for 0.1pp on a difference. */
  margin: number
}

/** Why a verdict was reached. */
export type NonInferiorityReason = 'within-limit' | 'beyond-limit' | 'interval-too-wide' | 'not-clearly-worse' | 'no-estimate'

/** A verdict with its reason and what data would settle an inconclusive one. */
export interface NonInferiorityJudgement {
  verdict: Verdict
  reason: NonInferiorityReason
  limit: number
  /**
   * For an inconclusive verdict, roughly how many times the current data would settle it, assuming the interval
   * narrows as 1/√n around the same estimate (NaN when it cannot be said).
   */
  dataFactor: number
}

/** The worst acceptable effect for a margin: 1 ± margin for ratios, ±margin for differences. */
export function limitFor (scale: EffectScale, direction: Direction, margin: number): number {
  const signed = direction === 'higher-is-worse' ? Math.abs(margin) : -Math.abs(margin)
  return scale === 'ratio' ? Math.max(0, 1 + signed) : signed
}

/** Judges non-inferiority of new against old; see the file comment for the rule. */
export function judgeNonInferiority (input: NonInferiorityInput): NonInferiorityJudgement {
  const { estimate, scale, direction } = input
  const limit = limitFor(scale, direction, input.margin)
  const [low, high] = input.ci
  if ([estimate, low, high].some(Number.isNaN)) return { verdict: 'inconclusive', reason: 'no-estimate', limit, dataFactor: NaN }
  const higherIsWorse = direction === 'higher-is-worse'
  const noChange = scale === 'ratio' ? 1 : 0
  const worse = (a: number, b: number): boolean => higherIsWorse ? a > b : a < b
  const badEnd = higherIsWorse ? high : low
  const goodEnd = higherIsWorse ? low : high
  if (!worse(badEnd, limit) && !worse(estimate, limit)) return { verdict: 'pass', reason: 'within-limit', limit, dataFactor: NaN }
  if (worse(estimate, limit) && worse(goodEnd, noChange)) return { verdict: 'fail', reason: 'beyond-limit', limit, dataFactor: NaN }
  // ratios narrow symmetrically on a log scale
  const t = (value: number): number => scale === 'ratio' ? Math.log(value) : value
  if (!worse(estimate, limit)) {
    return { verdict: 'inconclusive', reason: 'interval-too-wide', limit, dataFactor: settleFactor(t(badEnd) - t(estimate), t(limit) - t(estimate)) }
  }
  return { verdict: 'inconclusive', reason: 'not-clearly-worse', limit, dataFactor: settleFactor(t(estimate) - t(goodEnd), t(estimate) - t(noChange)) }
}

/** (half-width / room)²: the factor by which n must grow for a half-width to fit in the room it has. */
function settleFactor (halfWidth: number, room: number): number {
  const factor = (halfWidth / room) ** 2
  return Number.isFinite(factor) && factor > 0 ? Math.max(1, factor) : NaN
}
