/** Order statistics and means of a sample. */

/** The q-quantile of ascending-sorted values by linear interpolation (numpy's default, R type 7). */
export function quantileSorted (sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length
  if (n === 0) return NaN
  const position = (n - 1) * Math.min(1, Math.max(0, q))
  const below = Math.floor(position)
  const above = Math.min(n - 1, below + 1)
  const low = sorted[below] ?? NaN
  const high = sorted[above] ?? NaN
  return low + (high - low) * (position - below)
}

/** The q-quantile of values (numpy `quantile`, linear). */
export function quantile (values: ArrayLike<number>, q: number): number {
  return quantileSorted(Float64Array.from(values).sort(), q)
}

/** The median of values (the mean of the two middle values when their number is even). */
export function median (values: ArrayLike<number>): number {
  return quantile(values, 0.5)
}

/** The arithmetic mean of values. */
export function mean (values: ArrayLike<number>): number {
  if (values.length === 0) return NaN
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += values[i] ?? 0
  return sum / values.length
}

/** Rearranges values[lo..hi] so that values[k] is the k-th smallest, smaller ones before it (Hoare's quickselect). */
function selectInPlace (values: Float64Array, k: number): void {
  let lo = 0
  let hi = values.length - 1
  while (hi > lo) {
    const pivot = values[(lo + hi) >>> 1] ?? 0
    let i = lo
    let j = hi
    while (i <= j) {
      while ((values[i] ?? 0) < pivot) i++
      while ((values[j] ?? 0) > pivot) j--
      if (i <= j) {
        const swap = values[i] ?? 0
        values[i++] = values[j] ?? 0
        values[j--] = swap
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return
  }
}

/** The median of a scratch array of numbers (no NaN), which it reorders: the bootstrap's inner loop, without a full sort. */
export function medianInPlace (scratch: Float64Array): number {
  const n = scratch.length
  if (n === 0) return NaN
  const upper = n >>> 1
  selectInPlace(scratch, upper)
  const middle = scratch[upper] ?? NaN
  if (n % 2 === 1) return middle
  // the lower middle is the largest value left of the upper middle
  let lowerMiddle = -Infinity
  for (let i = 0; i < upper; i++) lowerMiddle = Math.max(lowerMiddle, scratch[i] ?? -Infinity)
  return (lowerMiddle + middle) / 2
}
