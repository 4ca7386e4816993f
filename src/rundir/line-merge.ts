/**
 * Timeline lines added together: counters summed and latency histograms merged, the percentiles read from the merged
 * histogram (never averaged). Shards' lines of one interval are merged this way (merge-timelines.ts), and so are one
 * target's consecutive intervals when a long run's timeline is drawn coarser (coarse-timeline.ts).
 */
import { addCounts } from '../metrics/counters.js'
import { addEncoded, createHistogram, decodeIfWhole, encodeHistogram, summarizeMs, type Histogram } from '../metrics/histogram.js'
import type { TimelineLine } from './timeline-line.js'

/** One line being merged: the first line and what the lines added to it bring. */
export interface MergingLine {
  line: TimelineLine
  latency: Histogram
  carried: Map<number, { requests: number, failed: number, latency: Histogram }>
}

/** An encoded histogram read back; an empty one when there is none or it is damaged. */
export const decoded = (encoded: string): Histogram => decodeIfWhole(encoded) ?? createHistogram()

/** Starts a merge from `line` (copied: the line itself is left as it is). */
export function startMerging (line: TimelineLine): MergingLine {
  const carried = new Map((line.carried ?? []).map((part) => [part.slice, { requests: part.requests, failed: part.failed, latency: decoded(part.hist) }]))
  return {
    line: { ...line, byStatus: { ...line.byStatus }, byError: { ...line.byError }, generator: { ...line.generator } },
    latency: decoded(line.hist),
    carried
  }
}

/** Adds `line`'s counters and histograms into `into` (its in-flight count is added: shards run side by side). */
export function addInto (into: MergingLine, line: TimelineLine): void {
  const target = into.line
  const counts = { total: target.requests, ok: target.ok, failed: target.failed, byStatus: target.byStatus, byError: target.byError }
  addCounts(counts, { total: line.requests, ok: line.ok, failed: line.failed, byStatus: line.byStatus, byError: line.byError })
  target.requests = counts.total
  target.ok = counts.ok
  target.failed = counts.failed
  target.generator.sent += line.generator.sent
  target.generator.dropped += line.generator.dropped
  target.generator.late += line.generator.late
  // a merged interval's send lag: the worst shard's p99 (each shard's own is kept in its directory)
  target.generator.sendLagMsP99 = Math.max(target.generator.sendLagMsP99, line.generator.sendLagMsP99)
  target.inFlight += line.inFlight
  addEncoded(into.latency, line.hist)
  for (const part of line.carried ?? []) {
    const existing = into.carried.get(part.slice) ?? { requests: 0, failed: 0, latency: createHistogram() }
    existing.requests += part.requests
    existing.failed += part.failed
    addEncoded(existing.latency, part.hist)
    into.carried.set(part.slice, existing)
  }
}

/** The merged line: throughput and percentiles from the sums and the merged histogram. */
export function finish (merging: MergingLine): TimelineLine {
  const { line, latency, carried } = merging
  const answered = line.requests - line.generator.dropped
  const merged: TimelineLine = {
    ...line,
    throughput: line.intervalMs <= 0 ? 0 : Math.round((answered / line.intervalMs) * 1000 * 100) / 100,
    latencyMs: summarizeMs(latency),
    hist: latency.totalCount === 0 && line.hist === '' ? '' : encodeHistogram(latency)
  }
  delete merged.carried
  if (carried.size > 0) {
    merged.carried = [...carried.entries()].sort(([a], [b]) => a - b).map(([slice, part]) => ({ slice, requests: part.requests, failed: part.failed, hist: encodeHistogram(part.latency) }))
  }
  return merged
}

