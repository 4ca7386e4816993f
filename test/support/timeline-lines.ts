/** Timeline lines for analysis tests: every request answered 200, latencies from a filled histogram. */
import { encodeHistogram, type Histogram } from '../../src/metrics/histogram.js'
import type { TimelineLine } from '../../src/rundir/timeline-line.js'

/** A line of `requests` that all answered 200 over `intervalMs`, ending at `t` seconds after `startMs`. */
export function answeredLine (at: { t: number, startMs: number, target: string, phase: string, intervalMs: number }, requests: number, histogram: Histogram): TimelineLine {
  return {
    t: at.t,
    ts: new Date(at.startMs + at.t * 1000).toISOString(),
    target: at.target,
    phase: at.phase,
    intervalMs: at.intervalMs,
    requests,
    ok: requests,
    failed: 0,
    throughput: requests / (at.intervalMs / 1000),
    latencyMs: { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0 },
    byStatus: { 200: requests },
    byError: {},
    generator: { sent: requests, dropped: 0, late: 0, sendLagMsP99: 0 },
    inFlight: 0,
    hist: encodeHistogram(histogram)
  }
}
