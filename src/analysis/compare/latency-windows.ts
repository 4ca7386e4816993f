/** Per-interval series of a timeline for the unpaired comparison and baselines: latency windows, CPU per request. */
import { createHistogram, decodeHistogram, mergeInto, type Histogram } from '../../metrics/histogram.js'
import { compactHistogram, type CompactHistogram } from '../../metrics/histogram-values.js'
import type { TimelineLine } from '../../rundir/timeline-line.js'

/** Intervals with fewer requests say little about CPU per request and are left out of that series. */
export const minRequestsPerInterval = 10

/** Requests a latency window should hold: enough that each window's tail is not a single request. */
export const windowRequests = 200

/**
 * Consecutive intervals of one phase merged into windows of at least 200 requests; windows never span phases.
 * Each full window is handed to `take` (which must copy what it keeps) before the histogram is reused.
 */
export function mergeLatencyWindows<T> (lines: readonly TimelineLine[], take: (merged: Histogram) => T): T[] {
  const windows: T[] = []
  const merged = createHistogram()
  let phase = ''
  const close = (): void => {
    if (merged.totalCount >= windowRequests) windows.push(take(merged))
    merged.reset()
  }
  for (const line of lines) {
    if (line.phase !== phase) {
      close()
      phase = line.phase
    }
    if (line.hist === '' || line.requests === 0) continue
    try {
      mergeInto(merged, decodeHistogram(line.hist))
    } catch {
      continue
    }
    if (merged.totalCount >= windowRequests) close()
  }
  close()
  return windows
}

/** The latency windows of `lines`, compact for the bootstrap. */
export function latencyWindows (lines: readonly TimelineLine[]): CompactHistogram[] {
  return mergeLatencyWindows(lines, compactHistogram)
}

/** CPU ms per request of an interval; NaN when it was not sampled or saw too few requests to say. */
export const cpuMsPerRequest = (line: TimelineLine): number =>
  line.resources === undefined || line.requests < minRequestsPerInterval ? NaN : (line.resources.cpuPercent / 100) * line.intervalMs / line.requests
