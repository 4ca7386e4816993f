import type { IntervalSnapshot } from '../metrics/recorder.js'
import type { ResourceSample } from '../sampling/sampler.js'

/** One line of timeline.ndjson: one target, one sampling interval. */
export interface TimelineLine {
  /** Seconds since this target's load started, at the end of the interval. */
  t: number
  ts: string
  target: string
  phase: string
  intervalMs: number
  requests: number
  ok: number
  failed: number
  throughput: number
  latencyMs: IntervalSnapshot['latencyMs']
  byStatus: Record<string, number>
  byError: Record<string, number>
  generator: { sent: number, dropped: number, late: number, sendLagMsP99: number }
  inFlight: number
  /** Encoded latency histogram of the interval (µs), mergeable. */
  hist: string
  /** CPU and memory of the service at the end of the interval, when sampled. */
  resources?: ResourceSample
  /**
   * The target's slice of load (counted from 1) the interval's requests were sent in: the slice running, or, while the
   * target is idle between slices, the last one. Absent in runs written before cutover 0.2.
   */
  slice?: number
  /** Requests that ended in this interval but were sent in an earlier slice: already in the figures above. */
  carried?: Array<{ slice: number, requests: number, failed: number, hist: string }>
}

/** The timeline line for one interval snapshot. */
export function timelineLine (target: string, snapshot: IntervalSnapshot, loadStartMs: number, epochOffsetMs: number, resources?: ResourceSample): TimelineLine {
  const intervalMs = snapshot.endMs - snapshot.startMs
  const answered = snapshot.counts.total - snapshot.generator.dropped
  return {
    t: Math.round((snapshot.endMs - loadStartMs)) / 1000,
    ts: new Date(snapshot.endMs + epochOffsetMs).toISOString(),
    target,
    phase: snapshot.phase,
    intervalMs: Math.round(intervalMs),
    requests: snapshot.counts.total,
    ok: snapshot.counts.ok,
    failed: snapshot.counts.failed,
    throughput: intervalMs <= 0 ? 0 : Math.round((answered / intervalMs) * 1000 * 100) / 100,
    latencyMs: snapshot.latencyMs,
    byStatus: snapshot.counts.byStatus,
    byError: snapshot.counts.byError,
    generator: { sent: snapshot.generator.sent, dropped: snapshot.generator.dropped, late: snapshot.generator.late, sendLagMsP99: snapshot.sendLagMs.p99 },
    inFlight: snapshot.inFlight,
    hist: snapshot.histogram,
    ...(resources === undefined ? {} : { resources }),
    slice: snapshot.slice,
    ...(snapshot.carried.length === 0 ? {} : { carried: snapshot.carried.map((part) => ({ slice: part.slice, requests: part.requests, failed: part.failed, hist: part.histogram })) })
  }
}
