import type { Histogram } from './histogram.js'

/** A histogram as its recorded values and their counts, ascending: small enough to merge many times in a bootstrap. */
export interface CompactHistogram {
  valuesUs: Float64Array
  counts: Float64Array
  total: number
}

/** The non-empty buckets of `histogram`, ascending. */
export function compactHistogram (histogram: Histogram): CompactHistogram {
  const values: number[] = []
  const counts: number[] = []
  const iterator = (histogram as unknown as { recordedValuesIterator: { reset: () => void, hasNext: () => boolean, next: () => { valueIteratedTo: number, countAtValueIteratedTo: number } } }).recordedValuesIterator
  iterator.reset()
  while (iterator.hasNext()) {
    const step = iterator.next()
    values.push(step.valueIteratedTo)
    counts.push(step.countAtValueIteratedTo)
  }
  return { valuesUs: Float64Array.from(values), counts: Float64Array.from(counts), total: counts.reduce((a, b) => a + b, 0) }
}

/** The `percentile` of several compact histograms pooled together, in microseconds (NaN when they are empty). */
export function pooledPercentileUs (parts: readonly CompactHistogram[], percentile: number): number {
  let size = 0
  let total = 0
  for (const part of parts) {
    size += part.valuesUs.length
    total += part.total
  }
  if (total === 0) return NaN
  const order = new Float64Array(size)
  const weight = new Map<number, number>()
  let i = 0
  for (const part of parts) {
    for (let j = 0; j < part.valuesUs.length; j++) {
      const value = part.valuesUs[j] as number
      const before = weight.get(value)
      if (before === undefined) order[i++] = value
      weight.set(value, (before ?? 0) + (part.counts[j] as number))
    }
  }
  const sorted = order.subarray(0, i).sort()
  // the smallest value whose cumulative count reaches the rank, as HdrHistogram does
  const rank = Math.max(1, Math.ceil((percentile / 100) * total))
  let seen = 0
  for (const value of sorted) {
    seen += weight.get(value) ?? 0
    if (seen >= rank) return value
  }
  return sorted[sorted.length - 1] ?? NaN
}
