/** Score intervals for one proportion (Wilson) and for the difference of two (Newcombe's hybrid score). */

import { normalQuantile } from './normal.js'

/** Wilson score interval for k of n (scipy `binomtest(k, n).proportion_ci(method='wilson')`); exact 0 or 1 at k = 0 or n. */
export function wilsonInterval (k: number, n: number, confidence = 0.95): [number, number] {
  if (n <= 0) return [0, 1]
  const z = normalQuantile(0.5 + 0.5 * confidence)
  const p = k / n
  const denominator = 2 * (n + z * z)
  const center = (2 * n * p + z * z) / denominator
  const halfWidth = z / denominator * Math.sqrt(4 * n * p * (1 - p) + z * z)
  return [k === 0 ? 0 : center - halfWidth, k === n ? 1 : center + halfWidth]
}

/**
 * Newcombe's hybrid score interval (method 10, Newcombe 1998, Statistics in Medicine 17:873) for p1 − p2 with
 * p1 = k1/n1 and p2 = k2/n2: it combines the two Wilson intervals, and stays sensible when a count is 0.
 */
export function newcombeDifferenceInterval (k1: number, n1: number, k2: number, n2: number, confidence = 0.95): [number, number] {
  const p1 = k1 / n1
  const p2 = k2 / n2
  const [low1, high1] = wilsonInterval(k1, n1, confidence)
  const [low2, high2] = wilsonInterval(k2, n2, confidence)
  const difference = p1 - p2
  return [
    difference - Math.sqrt((p1 - low1) ** 2 + (high2 - p2) ** 2),
    difference + Math.sqrt((high1 - p1) ** 2 + (p2 - low2) ** 2)
  ]
}
