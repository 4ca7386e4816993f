/**
 * What `cutover run --metrics` serves, kept as the run goes: counters that only grow, summed from the timeline's
 * intervals; gauges that hold each target's last in-flight count and resource sample; the checks as last judged.
 */
import type { CheckResult, CheckStatus, RunResult, Verdict } from '../../core/result-types.js'
import { decodeIfWhole } from '../../metrics/histogram.js'
import type { TimelineLine } from '../../rundir/timeline-line.js'
import { addToBuckets, cumulativeBuckets, emptyLatencyBuckets, type LatencyBuckets } from './latency-buckets.js'
import { liveMetrics } from './metric-catalog.js'
import { renderPrometheusText, type MetricFamily, type ScalarSeries } from './prometheus-text.js'

/** Status label of requests that ended without an HTTP answer (refused, reset, timeout, dropped arrivals). */
export const noAnswerStatus = 'none'

/** One target's counters in one phase, over the run so far. */
interface PhaseCounters {
  target: string
  phase: string
  byStatus: Map<string, number>
  byError: Map<string, number>
  sent: number
  dropped: number
  late: number
  latency: LatencyBuckets
}

/** One target's last gauge values (undefined until a sample carried them). */
interface TargetGauges {
  inFlight: number
  cpuRatio?: number
  rssBytes?: number
  heapBytes?: number
  memoryLimitBytes?: number
}

/** A check's gauge value: 1 pass (a warning does not fail the run), 0 fail, NaN inconclusive. */
export function checkValue (status: CheckStatus | Verdict): number {
  return status === 'pass' || status === 'warn' ? 1 : status === 'fail' ? 0 : NaN
}

function add (counts: Map<string, number>, key: string, n: number): void {
  if (n !== 0) counts.set(key, (counts.get(key) ?? 0) + n)
}

const byKey = <T>(entries: Map<string, T>): Array<[string, T]> => [...entries].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)

/** The live state of one run's metrics; feed it timeline lines and judged checks, render it on every scrape. */
export class LiveMetrics {
  private readonly phases = new Map<string, PhaseCounters>()
  private readonly targets = new Map<string, TargetGauges>()
  private checks: readonly CheckResult[] = []
  private verdict: Verdict | undefined
  private final = false

  /** True once {@link finish} set result.json's checks. */
  get finished (): boolean {
    return this.final
  }

  /** Adds one closed interval of one target: its counts to the counters of its phase, its in-flight count and sample to the gauges. */
  addLine (line: TimelineLine): void {
    this.updateGauges(line)
    // an interval with nothing sent or ended (a target waiting for its first slice) starts no series
    if (line.requests === 0 && line.generator.sent === 0 && line.generator.dropped === 0) return
    const key = `${line.target}\u0000${line.phase}`
    let counters = this.phases.get(key)
    if (counters === undefined) {
      counters = { target: line.target, phase: line.phase, byStatus: new Map(), byError: new Map(), sent: 0, dropped: 0, late: 0, latency: emptyLatencyBuckets() }
      this.phases.set(key, counters)
    }
    let answered = 0
    for (const [status, n] of Object.entries(line.byStatus)) {
      add(counters.byStatus, status, n)
      answered += n
    }
    add(counters.byStatus, noAnswerStatus, line.requests - answered)
    for (const [kind, n] of Object.entries(line.byError)) add(counters.byError, kind, n)
    counters.sent += line.generator.sent
    counters.dropped += line.generator.dropped
    counters.late += line.generator.late
    const histogram = decodeIfWhole(line.hist)
    if (histogram !== undefined) addToBuckets(counters.latency, histogram)
  }

  /** The target's in-flight count and last resource sample. */
  private updateGauges (line: TimelineLine): void {
    const gauges = this.targets.get(line.target) ?? { inFlight: 0 }
    gauges.inFlight = line.inFlight
    const sample = line.resources
    if (sample !== undefined) {
      gauges.cpuRatio = sample.cpuPercent / 100
      gauges.rssBytes = sample.rssBytes
      if (sample.heapBytes !== undefined) gauges.heapBytes = sample.heapBytes
      if (sample.memoryLimitBytes !== undefined) gauges.memoryLimitBytes = sample.memoryLimitBytes
    }
    this.targets.set(line.target, gauges)
  }

  /** The checks as judged on what was measured so far; ignored once the run's final checks are set. */
  judged (checks: readonly CheckResult[], verdict: Verdict): void {
    if (this.final) return
    this.checks = checks
    this.verdict = verdict
  }

  /** Sets result.json's checks and verdict, the final values, and marks the run finished. */
  finish (result: Pick<RunResult, 'checks' | 'verdict'>): void {
    this.checks = result.checks
    this.verdict = result.verdict
    this.final = true
  }

  /** Every metric family with its series now, in the catalogue's order. */
  families (): MetricFamily[] {
    const phases = [...this.phases.values()]
    const targets = [...this.targets]
    const perPhase = (value: (counters: PhaseCounters) => number): ScalarSeries[] => phases.map((c) => ({ labels: { target: c.target, phase: c.phase }, value: value(c) }))
    const perTarget = (value: (gauges: TargetGauges) => number | undefined): ScalarSeries[] => targets.flatMap(([target, gauges]) => {
      const gauge = value(gauges)
      return gauge === undefined ? [] : [{ labels: { target }, value: gauge }]
    })
    return [
      { definition: liveMetrics.requests, series: phases.flatMap((c) => byKey(c.byStatus).map(([status, value]) => ({ labels: { target: c.target, phase: c.phase, status }, value }))) },
      { definition: liveMetrics.errors, series: phases.flatMap((c) => byKey(c.byError).map(([kind, value]) => ({ labels: { target: c.target, phase: c.phase, kind }, value }))) },
      {
        definition: liveMetrics.duration,
        series: phases.map((c) => ({ labels: { target: c.target, phase: c.phase }, buckets: cumulativeBuckets(c.latency), sum: c.latency.sumUs / 1e6, count: c.latency.count }))
      },
      { definition: liveMetrics.inFlight, series: perTarget((g) => g.inFlight) },
      { definition: liveMetrics.sent, series: perPhase((c) => c.sent) },
      { definition: liveMetrics.dropped, series: perPhase((c) => c.dropped) },
      { definition: liveMetrics.late, series: perPhase((c) => c.late) },
      { definition: liveMetrics.cpu, series: perTarget((g) => g.cpuRatio) },
      { definition: liveMetrics.rss, series: perTarget((g) => g.rssBytes) },
      { definition: liveMetrics.heap, series: perTarget((g) => g.heapBytes) },
      { definition: liveMetrics.memoryLimit, series: perTarget((g) => g.memoryLimitBytes) },
      { definition: liveMetrics.check, series: this.checkSeries() },
      { definition: liveMetrics.verdict, series: this.verdict === undefined ? [] : [{ labels: {}, value: checkValue(this.verdict) }] },
      { definition: liveMetrics.finished, series: [{ labels: {}, value: this.final ? 1 : 0 }] }
    ]
  }

  /** One series per check and target; a second check with the same pair is left out (a scrape with a duplicate series fails whole). */
  private checkSeries (): ScalarSeries[] {
    const seen = new Set<string>()
    return this.checks.flatMap((check) => {
      const key = `${check.id}\u0000${check.target ?? ''}`
      if (seen.has(key)) return []
      seen.add(key)
      return [{ labels: { check: check.id, target: check.target }, value: checkValue(check.status) }]
    })
  }

  /** The Prometheus text exposition now. */
  render (): string {
    return renderPrometheusText(this.families())
  }
}
