/** Welch's two-sample t interval for a difference of means (scipy `ttest_ind(b, a, equal_var=False).confidence_interval()`). */

import { studentTQuantile, studentTSf } from './student-t.js'
import { mean as meanOf } from './summary.js'

/** Mean and unbiased variance. */
function moments (values: readonly number[]): { mean: number, variance: number } {
  const mean = meanOf(values)
  const variance = values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (values.length - 1)
  return { mean, variance }
}

/** mean(b) − mean(a), its standard error and its Welch–Satterthwaite degrees of freedom (n_a + n_b − 2 when both sides are without spread). */
function welchParts (a: readonly number[], b: readonly number[]): { difference: number, se: number, df: number } {
  const ma = moments(a)
  const mb = moments(b)
  const va = ma.variance / a.length
  const vb = mb.variance / b.length
  const se = Math.sqrt(va + vb)
  const df = se === 0 ? a.length + b.length - 2 : (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1))
  return { difference: mb.mean - ma.mean, se, df }
}

/**
 * The difference mean(b) − mean(a) with its two-sided interval at `level`, on Welch–Satterthwaite degrees of freedom;
 * undefined with fewer than two values a side. Equal values on both sides give a zero-width interval.
 */
export function welchInterval (a: readonly number[], b: readonly number[], level = 0.95): { difference: number, ci: [number, number], df: number } | undefined {
  if (a.length < 2 || b.length < 2) return undefined
  const { difference, se, df } = welchParts(a, b)
  if (se === 0) return { difference, ci: [difference, difference], df }
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

/**
 * Welch's two-sample t test of mean(b) − mean(a) (scipy `ttest_ind(b, a, equal_var=False)`): the statistic, its
 * Welch–Satterthwaite degrees of freedom and the two-sided p-value; undefined with fewer than two values a side.
 * Values without spread on both sides give p 0 when the means differ and 1 when they do not.
 */
export function welchTest (a: readonly number[], b: readonly number[]): { difference: number, t: number, df: number, pValue: number } | undefined {
  if (a.length < 2 || b.length < 2) return undefined
  const { difference, se, df } = welchParts(a, b)
  if (se === 0) return { difference, t: difference === 0 ? 0 : Math.sign(difference) * Infinity, df, pValue: difference === 0 ? 1 : 0 }
  const t = difference / se
  return { difference, t, df, pValue: Math.min(1, 2 * studentTSf(Math.abs(t), df)) }
}
