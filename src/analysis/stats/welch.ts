/** Welch's two-sample t interval for a difference of means (scipy `ttest_ind(b, a, equal_var=False).confidence_interval()`). */

import { studentTQuantile } from './student-t.js'
import { mean as meanOf } from './summary.js'

/** Mean and unbiased variance. */
function moments (values: readonly number[]): { mean: number, variance: number } {
  const mean = meanOf(values)
  const variance = values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (values.length - 1)
  return { mean, variance }
}

/**
 * The difference mean(b) − mean(a) with its two-sided interval at `level`, on Welch–Satterthwaite degrees of freedom;
 * undefined with fewer than two values a side. Equal values on both sides give a zero-width interval.
 */
export function welchInterval (a: readonly number[], b: readonly number[], level = 0.95): { difference: number, ci: [number, number], df: number } | undefined {
  if (a.length < 2 || b.length < 2) return undefined
  const ma = moments(a)
  const mb = moments(b)
  const va = ma.variance / a.length
  const vb = mb.variance / b.length
  const difference = mb.mean - ma.mean
  const se = Math.sqrt(va + vb)
  if (se === 0) return { difference, ci: [difference, difference], df: a.length + b.length - 2 }
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1))
  const half = studentTQuantile(0.5 + level / 2, df) * se
  return { difference, ci: [difference - half, difference + half], df }
}

/** The mean of `values` with its two-sided t interval at `level`; undefined with fewer than two values. */
export function meanInterval (values: readonly number[], level = 0.95): { mean: number, ci: [number, number] } | undefined {
  if (values.length < 2) return undefined
  const { mean, variance } = moments(values)
  const half = studentTQuantile(0.5 + level / 2, values.length - 1) * Math.sqrt(variance / values.length)
  return { mean, ci: [mean - half, mean + half] }
}
