/**
 * The timelines of a sharded run as one: each shard's interval is added into the interval of the reference shard (the
 * one that sampled the services) that ended at the nearest moment in the same target, phase and slice. Histograms
 * are merged and counters summed, never percentiles averaged, so the merged figures are exact up to HDR precision.
 */
import { startMerging, addInto, finish, type MergingLine } from './line-merge.js'
import type { TimelineLine } from './timeline-line.js'

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
