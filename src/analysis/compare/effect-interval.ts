/** The effect of new against old, with its confidence interval, by one of the comparison methods. */

import { ar1BlockVarianceRatio, ar1EffectiveSize, rankLag1Autocorrelation, usableCorrelation } from '../stats/autocorrelation.js'
import { blockBootstrapContrast, defaultResamples } from '../stats/bootstrap.js'
import { hodgesLehmannShift } from '../stats/hodges-lehmann.js'
import { stretchInterval } from '../stats/interval.js'
import { mean, medianInPlace } from '../stats/summary.js'
import type { EffectScale } from './types.js'

/**
 * How a metric's per-interval series are compared:
 * - 'bootstrap-median' (default): moving-block bootstrap of median(new) against median(old); robust to a few
 *   spiky intervals and honest about autocorrelation;
 * - 'bootstrap-mean': the same for means (for totals such as CPU seconds or bytes, where every interval counts);
 * - 'hodges-lehmann': the Hodges–Lehmann shift with its rank-inversion interval, on log values for ratios. It is
 *   exact for independent values (per-run summaries of replicated runs); for autocorrelated intervals its interval
 *   is stretched by the AR(1) factor √((1 + ρ)/(1 − ρ)), which is only approximate.
 */
export type CompareMethod = 'bootstrap-median' | 'bootstrap-mean' | 'hodges-lehmann'

/** What {@link effectInterval} needs. */
export interface EffectIntervalInput {
  old: readonly number[]
  new: readonly number[]
  scale: EffectScale
  method: CompareMethod
  seed: number
  confidence: number
  resamples?: number
  /** Resample the same time blocks on both sides (series recorded side by side; lengths must match). */
  paired?: boolean
}

/** An effect estimate, its interval, how they were computed and how much the autocorrelated data are worth. */
export interface EffectInterval {
  estimate: number
  ci: [number, number]
  method: string
  /** Lag-1 autocorrelation of the intervals (mean of both sides, clamped to [0, 0.95]). */
  lag1Autocorrelation: number
  /** How many independent intervals the shorter series is worth, n(1 − ρ)/(1 + ρ). */
  effectiveIntervals: number
}

const percent = (confidence: number): string => `${Math.round(confidence * 1000) / 10}%`

/** Estimates new/old (ratio scale) or new − old (difference scale) with a confidence interval. */
export function effectInterval (input: EffectIntervalInput): EffectInterval {
  const { scale, confidence } = input
  if (input.method === 'hodges-lehmann') return hodgesLehmannEffect(input)
  const useMean = input.method === 'bootstrap-mean'
  const result = blockBootstrapContrast(input.old, input.new, {
    statistic: useMean ? mean : medianInPlace,
    contrast: scale,
    seed: input.seed,
    resamples: input.resamples ?? defaultResamples,
    confidence,
    paired: input.paired
  })
  const pairing = input.paired === true ? ', paired by interval' : ''
  const widened = result.widening === 1 ? '' : ` widened ×${result.widening.toFixed(2)} for autocorrelation ${result.lag1Autocorrelation.toFixed(2)}`
  return {
    estimate: result.estimate,
    ci: result.ci,
    method: `moving-block bootstrap (blocks of ${result.blockLength}, ${result.resamples} resamples${pairing}) ${scale} of ${useMean ? 'means' : 'medians'}, ${percent(confidence)} percentile CI${widened}`,
    lag1Autocorrelation: result.lag1Autocorrelation,
    effectiveIntervals: result.effectiveIntervals
  }
}

function hodgesLehmannEffect (input: EffectIntervalInput): EffectInterval {
  const { scale, confidence } = input
  const rhoOld = rankLag1Autocorrelation(input.old)
  const rhoNew = rankLag1Autocorrelation(input.new)
  const lag1Autocorrelation = usableCorrelation((rhoOld + rhoNew) / 2)
  const effectiveIntervals = ar1EffectiveSize(Math.min(input.old.length, input.new.length), lag1Autocorrelation)
  // the rank interval assumes independent values; AR(1) dependence inflates the variance by (1 + ρ)/(1 − ρ)
  const factor = Math.sqrt(ar1BlockVarianceRatio(lag1Autocorrelation, 1))
  const widened = factor === 1 ? '' : `, widened ×${factor.toFixed(2)} for autocorrelation ${lag1Autocorrelation.toFixed(2)}`
  const shared = { lag1Autocorrelation, effectiveIntervals }
  if (scale === 'difference') {
    const shift = hodgesLehmannShift(input.new, input.old, { confidence })
    return {
      ...shared,
      estimate: shift.estimate,
      ci: stretchInterval(shift.estimate, shift.ci, factor, false),
      method: `Hodges–Lehmann shift, ${shift.method} rank-inversion ${percent(confidence)} CI${widened}`
    }
  }
  if ([...input.old, ...input.new].some((value) => !(value > 0))) {
    return { ...shared, estimate: NaN, ci: [NaN, NaN], method: 'Hodges–Lehmann ratio (needs values > 0)' }
  }
  // a shift of logarithms is a ratio: exp(HL(ln new − ln old)) estimates new/old
  const shift = hodgesLehmannShift(input.new.map(Math.log), input.old.map(Math.log), { confidence })
  const logCi = stretchInterval(shift.estimate, shift.ci, factor, false)
  return {
    ...shared,
    estimate: Math.exp(shift.estimate),
    ci: [Math.exp(logCi[0]), Math.exp(logCi[1])],
    method: `Hodges–Lehmann ratio (shift of log values), ${shift.method} rank-inversion ${percent(confidence)} CI${widened}`
  }
}
