/** Confusion counts, precision/recall/F1 with Wilson intervals, and quantiles for the leak benchmark. */
import { quantile } from '../../src/analysis/stats/summary.js'
import { wilsonInterval } from '../../src/analysis/stats/wilson.js'

/** Counts of one rule's answers against the labels. */
export interface Confusion {
  tp: number
  fn: number
  fp: number
  tn: number
}

/** Precision, recall and F1 of a confusion table, with 95% Wilson intervals for precision and recall. */
export interface Accuracy {
  precision: number
  precisionCi: [number, number]
  recall: number
  recallCi: [number, number]
  f1: number
  falsePositiveRate: number
  falsePositiveCi: [number, number]
}

/** Counts from (label, flagged) pairs. */
export function confusionOf (pairs: Iterable<{ leak: boolean, flagged: boolean }>): Confusion {
  const c: Confusion = { tp: 0, fn: 0, fp: 0, tn: 0 }
  for (const { leak, flagged } of pairs) {
    if (leak) flagged ? c.tp++ : c.fn++
    else flagged ? c.fp++ : c.tn++
  }
  return c
}

/** The figures of a confusion table; NaN where a denominator is zero. */
export function accuracyOf (c: Confusion): Accuracy {
  const flagged = c.tp + c.fp
  const positives = c.tp + c.fn
  const negatives = c.fp + c.tn
  const precision = flagged > 0 ? c.tp / flagged : NaN
  const recall = positives > 0 ? c.tp / positives : NaN
  const f1 = 2 * c.tp + c.fp + c.fn > 0 ? (2 * c.tp) / (2 * c.tp + c.fp + c.fn) : NaN
  return {
    precision,
    precisionCi: flagged > 0 ? wilsonInterval(c.tp, flagged) : [NaN, NaN],
    recall,
    recallCi: positives > 0 ? wilsonInterval(c.tp, positives) : [NaN, NaN],
    f1,
    falsePositiveRate: negatives > 0 ? c.fp / negatives : NaN,
    falsePositiveCi: negatives > 0 ? wilsonInterval(c.fp, negatives) : [NaN, NaN]
  }
}

/** k of n as a proportion with its 95% Wilson interval. */
export function proportion (k: number, n: number): { value: number, ci: [number, number] } {
  return n > 0 ? { value: k / n, ci: wilsonInterval(k, n) } : { value: NaN, ci: [NaN, NaN] }
}

/** Median and 90th percentile (linear interpolation) of values; NaN when empty. */
export function medianP90 (values: readonly number[]): { median: number, p90: number } {
  return values.length === 0 ? { median: NaN, p90: NaN } : { median: quantile(values, 0.5), p90: quantile(values, 0.9) }
}
