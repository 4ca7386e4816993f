import type { ResourceSample } from './sampler.js'

/** The `resources` block of a target in result.json. */
export interface ResourceSummary {
  /** Number of samples taken. */
  samples: number
  rssPeakBytes: number
  rssMeanBytes: number
  /** Mean of the samples' CPU percent (of one core); samples are evenly spaced, so this is the time average. */
  cpuMeanPercent: number
  /** Only when some sample carried a heap figure. */
  heapPeakBytes?: number
}

/** Peak and mean of a target's samples; undefined when there are none. */
export function summarizeResources (samples: readonly ResourceSample[]): ResourceSummary | undefined {
  if (samples.length === 0) return undefined
  let rssPeakBytes = 0
  let rssSumBytes = 0
  let cpuSumPercent = 0
  let heapPeakBytes: number | undefined
  for (const sample of samples) {
    rssPeakBytes = Math.max(rssPeakBytes, sample.rssBytes)
    rssSumBytes += sample.rssBytes
    cpuSumPercent += sample.cpuPercent
    if (sample.heapBytes !== undefined) heapPeakBytes = Math.max(heapPeakBytes ?? 0, sample.heapBytes)
  }
  const summary: ResourceSummary = {
    samples: samples.length,
    rssPeakBytes,
    rssMeanBytes: rssSumBytes / samples.length,
    cpuMeanPercent: cpuSumPercent / samples.length
  }
  if (heapPeakBytes !== undefined) summary.heapPeakBytes = heapPeakBytes
  return summary
}
