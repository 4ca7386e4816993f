/** Per-target series over time, taken from timeline.ndjson lines. */
import type { TimelineLine } from '../../rundir/timeline-line.js'

/** One target's figures per sampling interval, in display units (ms, req/s, MB, %). */
export interface TargetSeries {
  target: string
  /** Seconds since the run started, at the end of each interval. */
  tSec: number[]
  /** Answered requests per second; null when the target took no load in the interval (another target's slice). */
  throughput: Array<number | null>
  /** Latency percentiles in ms; null when nothing was answered. */
  p50: Array<number | null>
  p90: Array<number | null>
  p99: Array<number | null>
  /** Failed requests per second by error kind. */
  errorsPerSec: Map<string, number[]>
  rssMB: Array<number | null>
  cpuPercent: Array<number | null>
  heapMB: Array<number | null>
  /** True when any interval carried a resource sample. */
  sampled: boolean
  hasHeap: boolean
  /** Longest interval seen, seconds: gaps up to a few of these are joined. */
  intervalSec: number
}

const mb = (bytes: number | undefined): number | null => bytes === undefined || !Number.isFinite(bytes) ? null : bytes / 1e6
const finite = (value: unknown): number | null => typeof value === 'number' && Number.isFinite(value) ? value : null

/** Splits timeline lines by target, in time order, with the figures the charts draw. */
export function targetSeries (lines: readonly TimelineLine[], targets: readonly string[]): TargetSeries[] {
  const names = [...targets]
  for (const line of lines) if (!names.includes(line.target)) names.push(line.target)
  return names.map((target) => {
    const own = lines.filter((line) => line.target === target).sort((a, b) => a.t - b.t)
    const errorKinds = new Set<string>()
    for (const line of own) for (const kind of Object.keys(line.byError ?? {})) errorKinds.add(kind)
    const errorsPerSec = new Map<string, number[]>([...errorKinds].map((kind) => [kind, []]))
    const series: TargetSeries = {
      target, tSec: [], throughput: [], p50: [], p90: [], p99: [], errorsPerSec, rssMB: [], cpuPercent: [], heapMB: [], sampled: false, hasHeap: false, intervalSec: 1
    }
    for (const line of own) {
      const seconds = Math.max((finite(line.intervalMs) ?? 1000) / 1000, 1e-3)
      series.intervalSec = Math.max(series.intervalSec, seconds)
      const requests = finite(line.requests) ?? 0
      const answered = requests > 0 && (finite(line.latencyMs?.max) ?? 0) > 0
      series.tSec.push(line.t)
      series.throughput.push(line.phase === 'idle' && requests === 0 ? null : finite(line.throughput))
      series.p50.push(answered ? finite(line.latencyMs.p50) : null)
      series.p90.push(answered ? finite(line.latencyMs.p90) : null)
      series.p99.push(answered ? finite(line.latencyMs.p99) : null)
      for (const [kind, values] of errorsPerSec) values.push((finite(line.byError?.[kind]) ?? 0) / seconds)
      const resources = line.resources
      series.rssMB.push(mb(finite(resources?.rssBytes) ?? undefined))
      series.cpuPercent.push(finite(resources?.cpuPercent))
      series.heapMB.push(mb(finite(resources?.heapBytes) ?? undefined))
      if (resources !== undefined) series.sampled = true
      if (finite(resources?.heapBytes) !== null) series.hasHeap = true
    }
    return series
  })
}

/** The largest t of any line, in seconds (the run's length as the timeline saw it). */
export function timelineDurationSec (lines: readonly TimelineLine[]): number {
  let max = 0
  for (const line of lines) if (line.t > max) max = line.t
  return max
}
