/**
 * Classic Prometheus histogram buckets from cutover's HDR histograms: fixed upper bounds in seconds, 1–2–5 steps per
 * decade from 0.5 ms to 20 s, then 60 s. A recorded HDR bucket counts at its highest equivalent value (the value
 * HdrHistogram reports its percentiles at, within 0.1%), so a bucket `le` holds at least q of the requests exactly when
 * result.json's percentile q is at most `le`.
 */
import { compactHistogram } from '../../metrics/histogram-values.js'
import type { Histogram } from '../../metrics/histogram.js'

/** Upper bounds of the latency buckets, in seconds (+Inf follows). */
export const latencyBucketBoundsSeconds: readonly number[] = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 60]

/** The bounds in whole microseconds, as the histograms record. */
const boundsUs = latencyBucketBoundsSeconds.map((seconds) => Math.round(seconds * 1e6))

/** Latency observations counted into the fixed buckets: per-bucket counts (the last one above every bound), their sum and count. */
export interface LatencyBuckets {
  /** Observations in each bucket alone (not cumulative); one more entry than there are bounds, for those above the last. */
  counts: number[]
  /** Sum of the observations in whole microseconds (each at its HDR bucket's highest equivalent value, as in the buckets). */
  sumUs: number
  count: number
}

/** No observations yet. */
export function emptyLatencyBuckets (): LatencyBuckets {
  return { counts: new Array<number>(boundsUs.length + 1).fill(0), sumUs: 0, count: 0 }
}

/** The index of the first bound at or above `valueUs` (bounds.length when above them all). */
function bucketIndex (valueUs: number): number {
  let low = 0
  let high = boundsUs.length
  while (low < high) {
    const middle = (low + high) >> 1
    if ((boundsUs[middle] ?? Infinity) >= valueUs) high = middle
    else low = middle + 1
  }
  return low
}

/** Adds every observation of `histogram` (microseconds) to `buckets`. */
export function addToBuckets (buckets: LatencyBuckets, histogram: Histogram): void {
  if (histogram.totalCount === 0) return
  const compact = compactHistogram(histogram)
  for (let i = 0; i < compact.valuesUs.length; i++) {
    const valueUs = compact.valuesUs[i] as number
    const count = compact.counts[i] as number
    const index = bucketIndex(valueUs)
    buckets.counts[index] = (buckets.counts[index] ?? 0) + count
    buckets.sumUs += valueUs * count
    buckets.count += count
  }
}

/** The cumulative count at each bound, ascending, as the `_bucket` series take them (+Inf is `count`). */
export function cumulativeBuckets (buckets: LatencyBuckets): Array<{ le: number, count: number }> {
  let running = 0
  return latencyBucketBoundsSeconds.map((le, index) => {
    running += buckets.counts[index] ?? 0
    return { le, count: running }
  })
}
