/** Mid-ranks of pooled samples and the sizes of their tie groups, as rank tests need them. */

/** Ranks 1..N of the values, ties sharing the mean of their ranks; `tieSizes` lists each group of equal values larger than one. */
export function midRanks (values: readonly number[]): { ranks: Float64Array, tieSizes: number[] } {
  const order = Array.from(values.keys()).sort((i, j) => (values[i] ?? 0) - (values[j] ?? 0))
  const ranks = new Float64Array(values.length)
  const tieSizes: number[] = []
  let start = 0
  while (start < order.length) {
    let end = start + 1
    while (end < order.length && values[order[end] ?? 0] === values[order[start] ?? 0]) end++
    // positions start..end-1 hold equal values: ranks start+1..end, mean (start + 1 + end) / 2
    const rank = (start + 1 + end) / 2
    for (let i = start; i < end; i++) ranks[order[i] ?? 0] = rank
    if (end - start > 1) tieSizes.push(end - start)
    start = end
  }
  return { ranks, tieSizes }
}

/** Σ (t³ − t) over tie groups: the correction that shrinks a rank statistic's variance when values tie. */
export function tieCorrectionSum (tieSizes: readonly number[]): number {
  return tieSizes.reduce((sum, t) => sum + t * t * t - t, 0)
}

/** The sizes of groups of equal values (larger than one) within one sample. */
export function tieSizesOf (values: readonly number[]): number[] {
  return midRanks(values).tieSizes
}
