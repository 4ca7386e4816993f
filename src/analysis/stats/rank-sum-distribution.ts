/** The exact null distribution of the Mann–Whitney U statistic for two samples without ties. */

/** Largest n1·n2 for which the exact distribution is computed (the work grows as (n1·n2)²/4). */
export const maxExactCells = 10_000

/**
 * P(U = u) for u = 0..n1·n2 when all (n1 + n2)! orderings are equally likely.
 * Uses the recurrence p(u; i, j) = i/(i+j)·p(u − j; i − 1, j) + j/(i+j)·p(u; i, j − 1) on probabilities,
 * which only adds positive terms, so it stays accurate where counts would overflow.
 */
export function rankSumPmf (n1: number, n2: number): Float64Array {
  if (n1 * n2 > maxExactCells) throw new RangeError(`the exact Mann–Whitney distribution is limited to n1·n2 ≤ ${maxExactCells}`)
  // previous[j] holds p(·; i − 1, j); current[j] holds p(·; i, j)
  let previous: Float64Array[] = []
  for (let j = 0; j <= n2; j++) previous.push(Float64Array.of(1))
  for (let i = 1; i <= n1; i++) {
    const current: Float64Array[] = [Float64Array.of(1)]
    for (let j = 1; j <= n2; j++) {
      const pmf = new Float64Array(i * j + 1)
      const fromLeft = previous[j] ?? new Float64Array(0) // p(·; i − 1, j): the largest value is in sample 1, adding j
      const fromBelow = current[j - 1] ?? new Float64Array(0) // p(·; i, j − 1): the largest value is in sample 2
      const wLeft = i / (i + j)
      const wBelow = j / (i + j)
      for (let u = 0; u < fromLeft.length; u++) pmf[u + j] = (pmf[u + j] ?? 0) + wLeft * (fromLeft[u] ?? 0)
      for (let u = 0; u < fromBelow.length; u++) pmf[u] = (pmf[u] ?? 0) + wBelow * (fromBelow[u] ?? 0)
      current.push(pmf)
    }
    previous = current
  }
  return previous[n2] ?? Float64Array.of(1)
}

/** P(U ≤ u) from a pmf. */
export function rankSumCdf (pmf: Float64Array, u: number): number {
  let sum = 0
  for (let v = 0; v <= Math.min(u, pmf.length - 1); v++) sum += pmf[v] ?? 0
  return Math.min(1, sum)
}

/** P(U ≥ u) from a pmf (the distribution is symmetric, but summing the tail directly keeps small p-values exact). */
export function rankSumSf (pmf: Float64Array, u: number): number {
  let sum = 0
  for (let v = pmf.length - 1; v >= Math.max(0, Math.ceil(u)); v--) sum += pmf[v] ?? 0
  return Math.min(1, sum)
}
