/**
 * A target's timeline cut into its slices of load: each slice holds every request sent in it (the lines that ran it
 * and the idle lines after it, where its slow requests end), the CPU the service used until its next slice, and its
 * memory under load. The unit of the paired comparison of old and new.
 */
import { compactHistogram, type CompactHistogram } from '../../metrics/histogram-values.js'
import { createHistogram, decodeHistogram, mergeInto, subtractFrom, type Histogram } from '../../metrics/histogram.js'
import type { TimelineLine } from '../../rundir/timeline-line.js'

/** One slice of one target. */
export interface SliceFigures {
  target: string
  /** The phase the slice ran. */
  phase: string
  /** The target's slice number (1, 2, … in the order they ran). */
  slice: number
  /** Seconds from the run's start when the slice's load began. */
  startSec: number
  /** Time under load, in ms. */
  activeMs: number
  /** Arrivals of the slice (all of them: requests that ended while the target was idle, and dropped ones, too). */
  requests: number
  /** Requests actually sent (arrivals less the dropped ones). */
  answered: number
  failed: number
  /** Every request's latency, pooled. */
  latency: CompactHistogram
  /** CPU time of the service from the slice's start until its next slice, in ms; NaN when not sampled. */
  cpuMs: number
  /** Mean resident memory while under load; NaN when not sampled. */
  rssMeanBytes: number
}

/**
 * The slice number of every line: the `slice` the timeline recorded, or, for timelines written before it did, one
 * slice per stretch of active lines of one phase, the idle lines after it included.
 */
function sliceNumbers (lines: readonly TimelineLine[]): number[] {
  let current = 0
  let previous: TimelineLine | undefined
  return lines.map((line) => {
    if (line.slice !== undefined) return line.slice
    const starts = line.phase !== 'idle' && (previous === undefined || previous.phase === 'idle' || previous.phase !== line.phase)
    if (starts) current++
    previous = line
    return current
  })
}

/** Requests of one slice that ended in another slice's line, moved from that line to their own slice. */
interface Moved {
  requests: number
  failed: number
  hist: string
}

/** The carried parts of lines, per slice: what to take out of the slice whose lines hold them, and what to add to the slice they were sent in. */
interface Adjustments {
  add: Moved[]
  remove: Moved[]
}

/** Merges `hist` into (or takes it out of) `target`; a damaged histogram leaves the slice's percentiles a little short. */
function apply (operation: typeof mergeInto, target: Histogram, hist: string): void {
  let histogram: Histogram
  try { histogram = decodeHistogram(hist) } catch { return }
  operation(target, histogram)
}

/**
 * The figures of one group of a target's lines (a slice, or a time window): the first active line names its phase.
 * `adjust` moves requests that ended in this group's lines but were sent in another slice (and back).
 */
export function figuresOf (target: string, slice: number, group: readonly TimelineLine[], adjust: Adjustments = { add: [], remove: [] }): SliceFigures | undefined {
  const active = group.filter((line) => line.phase !== 'idle')
  const first = active[0]
  if (first === undefined) return undefined
  const merged = createHistogram()
  for (const line of group) if (line.hist !== '' && line.requests > 0) apply(mergeInto, merged, line.hist)
  for (const part of adjust.add) apply(mergeInto, merged, part.hist)
  for (const part of adjust.remove) apply(subtractFrom, merged, part.hist)
  const moved = (key: 'requests' | 'failed'): number => adjust.add.reduce((sum, part) => sum + part[key], 0) - adjust.remove.reduce((sum, part) => sum + part[key], 0)
  const sampled = group.every((line) => line.resources !== undefined)
  const underLoad = active.filter((line) => line.resources !== undefined)
  return {
    target,
    phase: first.phase,
    slice,
    startSec: first.t - first.intervalMs / 1000,
    activeMs: active.reduce((sum, line) => sum + line.intervalMs, 0),
    requests: group.reduce((sum, line) => sum + line.requests, 0) + moved('requests'),
    answered: group.reduce((sum, line) => sum + line.requests - line.generator.dropped, 0) + moved('requests'),
    failed: group.reduce((sum, line) => sum + line.failed, 0) + moved('failed'),
    latency: compactHistogram(merged),
    cpuMs: sampled ? group.reduce((sum, line) => sum + ((line.resources?.cpuPercent ?? 0) / 100) * line.intervalMs, 0) : NaN,
    rssMeanBytes: underLoad.length === 0 ? NaN : underLoad.reduce((sum, line) => sum + (line.resources?.rssBytes ?? 0), 0) / underLoad.length
  }
}

/**
 * The slices of `target` in the order they ran (lines before its first slice are left out). A request counts in the
 * slice it was sent in: one that ended while its target was idle is in the idle lines of its slice, and one that ended
 * in a later slice (the same target twice in a row at an ABBA turn, or a request slower than a slice) is moved back
 * from that slice's line, which lists it as carried.
 */
export function slicesOf (lines: readonly TimelineLine[], target: string): SliceFigures[] {
  const own = lines.filter((line) => line.target === target)
  const numbers = sliceNumbers(own)
  const groups = new Map<number, TimelineLine[]>()
  const adjustments = new Map<number, Adjustments>()
  const adjustmentOf = (slice: number): Adjustments => {
    let entry = adjustments.get(slice)
    if (entry === undefined) adjustments.set(slice, entry = { add: [], remove: [] })
    return entry
  }
  own.forEach((line, i) => {
    const slice = numbers[i] as number
    for (const part of line.carried ?? []) {
      adjustmentOf(slice).remove.push(part)
      adjustmentOf(part.slice).add.push(part)
    }
    if (slice <= 0) return
    const group = groups.get(slice) ?? []
    group.push(line)
    groups.set(slice, group)
  })
  const slices: SliceFigures[] = []
  for (const [slice, group] of groups) {
    const figures = figuresOf(target, slice, group, adjustments.get(slice))
    if (figures !== undefined) slices.push(figures)
  }
  return slices.sort((a, b) => a.slice - b.slice)
}
