/**
 * The timelines of a sharded run as one: each shard's interval is added into the interval of the reference shard (the
 * one that sampled the services) that ended at the nearest moment in the same target, phase and slice. Histograms
 * are merged and counters summed, never percentiles averaged, so the merged figures are exact up to HDR precision.
 */
import { addCounts } from '../metrics/counters.js'
import { createHistogram, decodeIfWhole, encodeHistogram, mergeInto, summarizeMs, type Histogram } from '../metrics/histogram.js'
import type { TimelineLine } from './timeline-line.js'

/** One interval being merged: the reference line and what the other shards add to it. */
interface MergingLine {
  line: TimelineLine
  latency: Histogram
  carried: Map<number, { requests: number, failed: number, latency: Histogram }>
}

const decoded = (encoded: string): Histogram => decodeIfWhole(encoded) ?? createHistogram()

function startMerging (line: TimelineLine): MergingLine {
  const carried = new Map((line.carried ?? []).map((part) => [part.slice, { requests: part.requests, failed: part.failed, latency: decoded(part.hist) }]))
  return {
    line: { ...line, byStatus: { ...line.byStatus }, byError: { ...line.byError }, generator: { ...line.generator } },
    latency: decoded(line.hist),
    carried
  }
}

function addInto (into: MergingLine, line: TimelineLine): void {
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
  mergeInto(into.latency, decoded(line.hist))
  for (const part of line.carried ?? []) {
    const existing = into.carried.get(part.slice) ?? { requests: 0, failed: 0, latency: createHistogram() }
    existing.requests += part.requests
    existing.failed += part.failed
    mergeInto(existing.latency, decoded(part.hist))
    into.carried.set(part.slice, existing)
  }
}

function finish (merging: MergingLine): TimelineLine {
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

const sameInterval = (a: TimelineLine, b: TimelineLine): boolean => a.target === b.target && a.phase === b.phase && a.slice === b.slice
const intervalKey = (line: TimelineLine): string => `${line.target}\u0000${line.phase}\u0000${line.slice ?? ''}`

/**
 * One timeline from the shards' timelines (`reference` first: its intervals, times and resource samples are kept).
 * A line of another shard goes into the reference line of the same target, phase and slice whose end is nearest;
 * one with no such line (a shard that ran on after the reference stopped) is kept as it is.
 */
export function mergeTimelines (reference: readonly TimelineLine[], others: ReadonlyArray<readonly TimelineLine[]>): TimelineLine[] {
  const merging = reference.map(startMerging)
  const byInterval = new Map<string, MergingLine[]>()
  for (const candidate of merging) {
    const key = intervalKey(candidate.line)
    const same = byInterval.get(key)
    if (same === undefined) byInterval.set(key, [candidate])
    else same.push(candidate)
  }
  const extra: MergingLine[] = []
  for (const lines of others) {
    for (const line of lines) {
      let best: MergingLine | undefined
      for (const candidate of byInterval.get(intervalKey(line)) ?? []) {
        if (best === undefined || Math.abs(candidate.line.t - line.t) < Math.abs(best.line.t - line.t)) best = candidate
      }
      if (best !== undefined) {
        addInto(best, line)
        continue
      }
      const alone = extra.find((candidate) => sameInterval(candidate.line, line) && Math.abs(candidate.line.t - line.t) < 0.5)
      if (alone === undefined) {
        // its resource sample belongs to a shard that was not asked to sample
        const { resources: _unsampled, ...rest } = line
        extra.push(startMerging(rest))
      } else {
        addInto(alone, line)
      }
    }
  }
  return [...merging, ...extra].map(finish).sort((a, b) => a.t - b.t)
}
