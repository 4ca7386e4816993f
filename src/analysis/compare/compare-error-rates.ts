/** Compares the failure rate of new against old with rate tests, and judges it against a tolerance. */

import type { Tolerance } from '../../core/units.js'
import { clopperPearsonInterval } from '../stats/binomial.js'
import { type FailureCounts, failureRateDifference, poissonRateRatio } from '../stats/rate-test.js'
import { defaultConfidence, defaultTolerances } from './defaults.js'
import { formatEffect, formatEffectWithInterval, formatRate, moreDataAdvice } from './format.js'
import { judgeNonInferiority, limitFor } from './non-inferiority.js'
import type { MetricComparison } from './types.js'

/** Failed and total requests of each side. */
export interface CompareErrorRatesInput {
  name?: string
  failedOld: number
  totalOld: number
  failedNew: number
  totalNew: number
  /** Default +0.1pp: in points, judged on the difference new − old; a relative tolerance is judged on the rate ratio. */
  tolerance?: Tolerance
  confidence?: number
}

/**
 * Compares failure rates. A tolerance in points is judged on Newcombe's interval for the difference, which works
 * with zero failures on either side. A relative tolerance is judged on the exact conditional (Clopper–Pearson)
 * interval of the rate ratio; when old had no failures that ratio has no upper bound, so new can fail (when its
 * failures alone are significant) but not pass, except that zero failures on both sides passes: nothing got worse.
 */
export function compareErrorRates (input: CompareErrorRatesInput): MetricComparison {
  const name = input.name ?? 'errorRate'
  const tolerance = input.tolerance ?? defaultTolerances.errorRate
  const confidence = input.confidence ?? defaultConfidence
  const { failedOld, totalOld, failedNew, totalNew } = input
  for (const [failed, total] of [[failedOld, totalOld], [failedNew, totalNew]] as const) {
    if (!Number.isInteger(failed) || !Number.isInteger(total) || failed < 0 || failed > total) {
      throw new RangeError(`${name}: failed and total requests must be whole numbers with 0 ≤ failed ≤ total (got ${failed} of ${total})`)
    }
  }
  const scale = tolerance.kind === 'relative' ? 'ratio' : 'difference'
  const margin = Math.abs(tolerance.fraction)
  const direction = 'higher-is-worse'
  const limit = limitFor(scale, direction, margin)
  const rateOld = failedOld / totalOld
  const rateNew = failedNew / totalNew
  const base = { name, old: rateOld, new: rateNew, ratio: rateNew / rateOld, scale, direction, limit, n: { old: totalOld, new: totalNew } } as const
  const sides = `new ${formatRate(rateNew)} (${failedNew} of ${totalNew}) vs old ${formatRate(rateOld)} (${failedOld} of ${totalOld})`
  if (!(totalOld > 0 && totalNew > 0)) {
    return { ...base, estimate: NaN, ci: [NaN, NaN], method: 'none', verdict: 'inconclusive', message: `${name}: ${totalOld > 0 ? 'new' : 'old'} answered no requests, so failure rates cannot be compared` }
  }
  const counts: FailureCounts = { failuresOld: failedOld, exposureOld: totalOld, failuresNew: failedNew, exposureNew: totalNew }
  const pct = `${Math.round(confidence * 1000) / 10}%`
  const effect = scale === 'difference'
    ? { ...failureRateDifference(counts, confidence), method: `Newcombe hybrid score (Wilson) ${pct} CI of the failure-rate difference new − old` }
    : { ...poissonRateRatio(counts, confidence), method: `exact conditional binomial test, Clopper–Pearson ${pct} CI of the failure-rate ratio new/old` }
  const estimate = 'difference' in effect ? effect.difference : effect.ratio
  const change = `${name}: ${sides}, ${formatEffectWithInterval(scale, estimate, effect.ci, confidence)}, allowed ${formatEffect(scale, limit)}`
  const result = { ...base, estimate, ci: effect.ci, method: effect.method }

  if (scale === 'ratio' && failedOld === 0) {
    const bound = (failed: number, total: number): string => formatRate(clopperPearsonInterval(failed, total, confidence)[1])
    if (failedNew === 0) {
      return { ...result, verdict: 'pass', message: `${name}: neither side failed (0 of ${totalOld} old, 0 of ${totalNew} new): nothing got worse — pass (the ratio is 0/0; each rate is below ${bound(0, totalOld)} and ${bound(0, totalNew)} at ${pct})` }
    }
    const judged = judgeNonInferiority({ estimate, ci: effect.ci, scale, direction, margin })
    const tail = judged.verdict === 'fail'
      ? 'fail: old had no failures and new\'s are too many to be chance'
      : 'inconclusive: old had no failures, so no relative change can be bounded; a tolerance in points (e.g. +0.1pp) judges rates this low'
    const lowerBound = formatEffect('ratio', effect.ci[0])
    return { ...result, verdict: judged.verdict, message: `${name}: ${sides}; the ratio has no upper bound as old had no failures (lower ${pct} bound ${lowerBound}) — ${tail}` }
  }

  const judgement = judgeNonInferiority({ estimate, ci: effect.ci, scale, direction, margin })
  const requests = Math.min(totalOld, totalNew)
  const reasons = {
    'within-limit': 'pass: even the worst end of the interval is within the allowed change',
    'beyond-limit': 'fail: new fails clearly more often than old, by more than allowed',
    'interval-too-wide': `inconclusive: the interval reaches ${formatEffect(scale, effect.ci[1])}; ${moreDataAdvice(judgement.dataFactor, requests, 'requests')}`,
    'not-clearly-worse': `inconclusive: the estimate is beyond the limit but the interval still includes no change; ${moreDataAdvice(judgement.dataFactor, requests, 'requests')}`,
    'no-estimate': 'inconclusive: no failures on either side, so no ratio can be estimated'
  } as const
  return { ...result, verdict: judgement.verdict, message: `${change} — ${reasons[judgement.reason]}`, ...(judgement.verdict === 'inconclusive' ? { settle: moreDataAdvice(judgement.dataFactor, requests, 'requests') } : {}) }
}
