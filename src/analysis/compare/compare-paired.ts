/**
 * A metric of new against old from paired rounds: the mean of per-round log(new/old), adjusted for the order of each
 * round, with a t interval (a fixed-length run) or the always-valid confidence sequence (a run that may stop as soon as
 * it settles), judged for non-inferiority on the ratio scale.
 */
import type { Tolerance } from '../../core/units.js'
import { sequentialInterval } from '../stats/confidence-sequence.js'
import { pairedMean } from '../stats/paired-mean.js'
import { studentTQuantile } from '../stats/student-t.js'
import { defaultConfidence } from './defaults.js'
import { formatEffect, formatEffectWithInterval } from './format.js'
import { judgeNonInferiority, limitFor } from './non-inferiority.js'
import type { Contrast } from './rounds.js'
import type { Direction, MetricComparison } from './types.js'

/** Fewest paired rounds (or windows) before a metric is judged at all. */
export const minPairedUnits = 4

/** How an always-valid run is looked at. */
export interface SequentialLooks {
  /** Rounds around which the sequence is narrowest (the run's planned rounds). */
  plannedLooks: number
  /** Looks taken so far, this one included: a test that is not a sequence (the error rate) spends α/(k(k+1)) at look k. */
  looks: number
}

/** What {@link comparePaired} needs. */
export interface PairedInput {
  name: string
  /** One per round (or time window). */
  contrasts: readonly Contrast[]
  /** Old's and new's value over all their compared requests, for people (pooled percentile, ratio of sums…). */
  old: number
  new: number
  direction: Direction
  tolerance: Tolerance
  /** 'rounds' (interleaved slices) or 'windows' (concurrent time windows), for messages. */
  unit: 'rounds' | 'windows'
  /** Seconds one more unit takes (a round: two slices), for the advice on what would settle it. */
  unitSeconds: number
  /** Present when the run was looked at as it went (`--until-settled`): the always-valid interval is used. */
  sequential?: SequentialLooks | undefined
  format: (value: number) => string
  confidence?: number
  /** `difference`: the contrasts are new − old (a failure rate per round), judged in points; default: log ratios. */
  scale?: 'ratio' | 'difference'
}

/** How much more of the paired design would settle an inconclusive verdict, in one short phrase. */
export function settleAdvice (dataFactor: number, units: number, unit: string, unitSeconds: number): string {
  if (Number.isNaN(dataFactor)) return 'more rounds would narrow the interval'
  if (dataFactor > 100) return 'too close to the limit to settle in a feasible run'
  const more = Math.max(1, Math.ceil(units * (dataFactor - 1)))
  const seconds = more * unitSeconds
  const time = seconds >= 90 ? `${Math.ceil(seconds / 60)} min` : `${Math.ceil(seconds)} s`
  return `about ${more} more ${more === 1 ? unit.replace(/s$/, '') : unit} (${time}) would settle it`
}

/** Compares new with old over paired units; see the file comment. */
export function comparePaired (input: PairedInput): MetricComparison {
  const confidence = input.confidence ?? defaultConfidence
  const margin = Math.abs(input.tolerance.fraction)
  const scale = input.scale ?? 'ratio'
  const limit = limitFor(scale, input.direction, margin)
  const n = input.contrasts.length
  const base = { name: input.name, old: input.old, new: input.new, ratio: input.new / input.old, scale, direction: input.direction, limit, n: { old: n, new: n } }
  const sides = `new ${input.format(input.new)} vs old ${input.format(input.old)}`
  if (n < minPairedUnits) {
    const estimate = scale === 'ratio' ? input.new / input.old : input.new - input.old
    const settle = `at least ${minPairedUnits - n} more ${input.unit} are needed`
    return { ...base, estimate, ci: [NaN, NaN], method: `none (${n} paired ${input.unit}, at least ${minPairedUnits} needed)`, verdict: 'inconclusive', message: `${input.name}: ${sides}; inconclusive: ${settle}`, settle }
  }
  const fit = pairedMean(input.contrasts.map((c) => c.value), input.contrasts.map((c) => c.newFirst))
  const alpha = 1 - confidence
  const [low, high] = input.sequential === undefined
    ? [fit.estimate - studentTQuantile(1 - alpha / 2, fit.degreesOfFreedom) * fit.standardError, fit.estimate + studentTQuantile(1 - alpha / 2, fit.degreesOfFreedom) * fit.standardError]
    : sequentialInterval(fit.estimate, fit.standardError * Math.sqrt(n), n, fit.degreesOfFreedom, alpha, input.sequential.plannedLooks)
  const back = (value: number): number => scale === 'ratio' ? Math.exp(value) : value
  const estimate = back(fit.estimate)
  const ci: [number, number] = [back(low), back(high)]
  const judgement = judgeNonInferiority({ estimate, ci, scale, direction: input.direction, margin })
  const interval = input.sequential === undefined ? `t interval (df ${fit.degreesOfFreedom})` : 'always-valid confidence sequence'
  const order = fit.orderAdjusted ? ', ABBA order as covariate' : ''
  const settle = settleAdvice(judgement.dataFactor, n, input.unit, input.unitSeconds)
  const reasons = {
    'within-limit': 'pass: even the worst end of the interval is within the allowed change',
    'beyond-limit': 'fail: new is worse than allowed, and the whole interval is worse than no change',
    'interval-too-wide': `inconclusive: ${settle}`,
    'not-clearly-worse': `inconclusive: ${settle}`,
    'no-estimate': 'inconclusive: no effect could be estimated'
  } as const
  return {
    ...base,
    estimate,
    ci,
    method: `paired by ${input.unit === 'rounds' ? 'round' : 'time window'}: mean ${scale === 'ratio' ? 'log(new/old)' : 'new − old'} over ${n} ${input.unit}${order}, ${Math.round(confidence * 100)}% ${interval}`,
    verdict: judgement.verdict,
    message: `${input.name}: ${sides}, ${formatEffectWithInterval(scale, estimate, ci, confidence)}, allowed ${formatEffect(scale, limit)} — ${reasons[judgement.reason]}`,
    contrasts: input.contrasts.map((contrast) => contrast.value),
    ...(judgement.verdict === 'inconclusive' ? { settle } : {})
  }
}
