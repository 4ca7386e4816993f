/**
 * A long run's timeline drawn with a bounded number of points. The proxy runs for as long as live traffic flows: two
 * lines a second make 170,000 a day, more than a chart can show and more than a refresh should hold in memory. Lines
 * are added as they are read; each target keeps at most `maxPerTarget` points, and when it has more, neighbouring
 * points are joined in pairs, so every point stands for the same number of intervals (1, 2, 4, ...), the way a
 * dashboard widens its step as its time range grows.
 *
 * A joined point is exact: counters summed, latency histograms merged and its percentiles read from the merge (never
 * averaged), its throughput from the summed requests over the summed interval. It ends where its last interval ends
 * and carries that interval's memory sample, with CPU averaged over the joined intervals (weighted by their length).
 * Points of different phases or slices are never joined, so a run with more phase or slice changes than the bound
 * keeps one point per phase or slice (and tries again to join when it has twice as many).
 */
import { addInto, finish, startMerging, type MergingLine } from './line-merge.js'
import type { TimelineLine } from './timeline-line.js'

/** Commands that run for as long as live traffic flows (days): their reports draw a coarse timeline. */
export const longRunningCommands: ReadonlySet<string> = new Set(['proxy', 'rollout'])

/**
 * Points per target the final reports of a long-running command draw: as many as a chart draws per line
 * (downsample.ts), 25 minutes of one-second intervals, a day at 64 s steps. Joining a day's timeline this way took
 * 26 s of one core (two targets, 86,400 one-second intervals each at 2,000 req/s; most of it decoding and adding
 * each interval's histogram).
 */
export const reportPointsPerTarget = 1500

/** One target's points, with how many intervals each holds. */
export interface TargetPoints {
  points: TimelineLine[]
  intervals: number[]
  /** Intervals each point may hold now. */
  width: number
  /** Points past which it halves next: the bound, or twice what a halving could not bring under it. */
  limit: number
}

const joinable = (a: TimelineLine, b: TimelineLine): boolean => a.phase === b.phase && a.slice === b.slice

/** CPU over both intervals, weighted by their length; the later sample otherwise. */
function joinedResources (earlier: TimelineLine, later: TimelineLine): TimelineLine['resources'] {
  const last = later.resources
  const first = earlier.resources
  if (last === undefined || first === undefined) return last ?? first
  const weightFirst = Math.max(0, earlier.intervalMs)
  const weightLast = Math.max(0, later.intervalMs)
  const total = weightFirst + weightLast
  if (total <= 0 || !Number.isFinite(first.cpuPercent) || !Number.isFinite(last.cpuPercent)) return last
  return { ...last, cpuPercent: Math.round(((first.cpuPercent * weightFirst + last.cpuPercent * weightLast) / total) * 100) / 100 }
}

/** Adds the next interval of the same target into a point being joined: from its start to the end of `later`. */
function extend (merging: MergingLine, later: TimelineLine): void {
  const line = merging.line
  const resources = joinedResources(line, later)
  const intervalMs = line.intervalMs + later.intervalMs
  addInto(merging, later)
  line.t = later.t
  line.ts = later.ts
  line.intervalMs = intervalMs
  // in flight at the end of the joined interval, not the sum of two moments
  line.inFlight = later.inFlight
  if (resources === undefined) delete line.resources
  else line.resources = resources
}

/** Two consecutive intervals of one target as one: from the start of `earlier` to the end of `later`. */
export function joinIntervals (earlier: TimelineLine, later: TimelineLine): TimelineLine {
  const merging = startMerging(earlier)
  extend(merging, later)
  return finish(merging)
}

/** A coarse timeline as plain data, to be kept and continued later ({@link CoarseTimeline.state}). */
export interface CoarseState {
  maxPerTarget: number
  targets: Array<[string, TargetPoints]>
}

/** A target's last point while intervals are being added to it: its histogram decoded, percentiles read when it closes. */
interface OpenPoint {
  merging: MergingLine
  intervals: number
}

/** A timeline with at most `maxPerTarget` points per target (see the file's comment). */
export class CoarseTimeline {
  private readonly targets: Map<string, TargetPoints>
  /** Each target's open point: not in its `points` until {@link settle} (each interval is decoded once, the point encoded once). */
  private readonly open = new Map<string, OpenPoint>()

  constructor (readonly maxPerTarget: number, from?: CoarseState) {
    if (!Number.isInteger(maxPerTarget) || maxPerTarget < 2) throw new Error(`maxPerTarget must be an integer of at least 2, not ${maxPerTarget}`)
    this.targets = new Map(from?.maxPerTarget === maxPerTarget ? from.targets : [])
  }

  /** Its points as plain data: a new CoarseTimeline given it goes on from here. */
  get state (): CoarseState {
    this.settle()
    return { maxPerTarget: this.maxPerTarget, targets: [...this.targets.entries()] }
  }

  /** Adds the next line (lines of one target come in time order). */
  add (line: TimelineLine): void {
    let own = this.targets.get(line.target)
    if (own === undefined) {
      own = { points: [], intervals: [], width: 1, limit: this.maxPerTarget }
      this.targets.set(line.target, own)
    }
    let open = this.open.get(line.target)
    if (open === undefined && own.width > 1) {
      // the last point has room: reopen it
      const last = own.points.length - 1
      const lastPoint = own.points[last]
      if (lastPoint !== undefined && (own.intervals[last] as number) < own.width && joinable(lastPoint, line)) {
        open = { merging: startMerging(lastPoint), intervals: own.intervals[last] as number }
        own.points.pop()
        own.intervals.pop()
        this.open.set(line.target, open)
      }
    }
    if (open !== undefined && open.intervals < own.width && joinable(open.merging.line, line)) {
      extend(open.merging, line)
      open.intervals++
      return
    }
    this.close(line.target, own)
    if (own.width > 1) this.open.set(line.target, { merging: startMerging(line), intervals: 1 })
    else {
      own.points.push(line)
      own.intervals.push(1)
    }
    if (own.points.length + (this.open.has(line.target) ? 1 : 0) > own.limit) {
      this.close(line.target, own)
      this.halve(own)
    }
  }

  /** Moves `target`'s open point, if any, into its points. */
  private close (target: string, own: TargetPoints): void {
    const open = this.open.get(target)
    if (open === undefined) return
    own.points.push(finish(open.merging))
    own.intervals.push(open.intervals)
    this.open.delete(target)
  }

  /** Every open point into its target's points. */
  private settle (): void {
    for (const [target, own] of this.targets) this.close(target, own)
  }
  /** Doubles the width and joins neighbouring points that fit in it. */
  private halve (own: TargetPoints): void {
    own.width *= 2
    const points: TimelineLine[] = []
    const intervals: number[] = []
    for (let i = 0; i < own.points.length; i++) {
      const point = own.points[i] as TimelineLine
      const next = own.points[i + 1]
      const held = own.intervals[i] as number
      const nextHeld = own.intervals[i + 1] ?? 0
      if (next !== undefined && held + nextHeld <= own.width && joinable(point, next)) {
        points.push(joinIntervals(point, next))
        intervals.push(held + nextHeld)
        i++
      } else {
        points.push(point)
        intervals.push(held)
      }
    }
    own.points = points
    own.intervals = intervals
    // points of different phases or slices could not all be joined: try again when there are twice as many
    own.limit = points.length > this.maxPerTarget ? 2 * points.length : this.maxPerTarget
  }

  /** How many intervals each point of `target` stands for now (1 until the bound is first reached). */
  widthOf (target: string): number {
    return this.targets.get(target)?.width ?? 1
  }

  /** The points of every target, in time order. */
  lines (): TimelineLine[] {
    this.settle()
    const all: TimelineLine[] = []
    for (const own of this.targets.values()) all.push(...own.points)
    return all.sort((a, b) => a.t - b.t)
  }
}
