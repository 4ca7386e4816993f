import { describe, expect, it } from 'vitest'
import type { CheckResult } from '../src/core/result-types.js'
import { createHistogram, encodeHistogram, recordUs } from '../src/metrics/histogram.js'
import { addToBuckets, cumulativeBuckets, emptyLatencyBuckets, latencyBucketBoundsSeconds } from '../src/report/live/latency-buckets.js'
import { checkValue, LiveMetrics } from '../src/report/live/live-metrics.js'
import { liveMetrics } from '../src/report/live/metric-catalog.js'
import { escapeLabelValue, formatSampleValue, renderPrometheusText } from '../src/report/live/prometheus-text.js'
import type { TimelineLine } from '../src/rundir/timeline-line.js'
import { parsePrometheusText } from '../src/sampling/prometheus-text.js'

/** A histogram (µs) holding `valuesUs`. */
function histogramOf (valuesUs: number[]): ReturnType<typeof createHistogram> {
  const histogram = createHistogram()
  for (const value of valuesUs) recordUs(histogram, value)
  return histogram
}

/** A timeline line with the given figures; the rest empty. */
function line (figures: Partial<TimelineLine> & Pick<TimelineLine, 'target' | 'phase'>, latenciesUs: number[] = []): TimelineLine {
  return {
    t: 1,
    ts: '2026-01-01T00:00:01.000Z',
    intervalMs: 1000,
    requests: 0,
    ok: 0,
    failed: 0,
    throughput: 0,
    latencyMs: { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0 },
    byStatus: {},
    byError: {},
    generator: { sent: 0, dropped: 0, late: 0, sendLagMsP99: 0 },
    inFlight: 0,
    hist: encodeHistogram(histogramOf(latenciesUs)),
    ...figures
  }
}

const check = (id: string, status: CheckResult['status'], target?: string): CheckResult => ({ id, status, observed: 0, limit: 0, unit: 'ms', message: '', ...(target === undefined ? {} : { target }) })

// HdrHistogram at 3 significant digits (1 µs … 1 h): values below 2048 µs are exact; 2048–4095 µs in steps of 2 µs,
// so 2500 µs is kept as [2500, 2501]; 3 s falls in steps of 2048 µs, [2 998 272, 3 000 319]; 70 s in steps of
// 65 536 µs, [69 992 448, 70 057 983]. Each counts at the top of its range (HdrHistogram's percentiles do the same).
const latenciesUs = [400, 500, 501, 1500, 2500, 3_000_000, 70_000_000]

describe('latency buckets from an HDR histogram', () => {
  it('count each recorded value at the first bound at or above its highest equivalent value, cumulatively', () => {
    const buckets = emptyLatencyBuckets()
    addToBuckets(buckets, histogramOf(latenciesUs))
    const cumulative = cumulativeBuckets(buckets)
    expect(cumulative.map((bucket) => bucket.le)).toEqual([0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 60])
    // 400 and 500 ≤ 500 µs; 501 ≤ 1 ms; 1500 ≤ 2 ms; 2501 ≤ 5 ms; 3 000 319 µs ≤ 5 s; 70 057 983 µs only in +Inf
    expect(cumulative.map((bucket) => bucket.count)).toEqual([2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6])
    expect(buckets.count).toBe(7)
    expect(buckets.sumUs).toBe(400 + 500 + 501 + 1500 + 2501 + 3_000_319 + 70_057_983)
  })

  it('a value exactly at a bound counts in that bound, one microsecond more does not', () => {
    const buckets = emptyLatencyBuckets()
    addToBuckets(buckets, histogramOf([1000, 1001, 100_000]))
    const byBound = new Map(cumulativeBuckets(buckets).map((bucket) => [bucket.le, bucket.count]))
    expect(byBound.get(0.001)).toBe(1)
    expect(byBound.get(0.002)).toBe(2)
    // 100 000 µs sits in [100 000, 100 063] (steps of 64 µs), whose top is above 0.1 s
    expect(byBound.get(0.1)).toBe(2)
    expect(byBound.get(0.2)).toBe(3)
  })

  it('bounds are log-spaced 1–2–5 from 0.5 ms to 20 s, then 60 s', () => {
    expect(latencyBucketBoundsSeconds[0]).toBe(0.0005)
    expect(latencyBucketBoundsSeconds.at(-1)).toBe(60)
    for (let i = 1; i < latencyBucketBoundsSeconds.length; i++) {
      const ratio = (latencyBucketBoundsSeconds[i] as number) / (latencyBucketBoundsSeconds[i - 1] as number)
      expect(ratio).toBeGreaterThanOrEqual(2)
      expect(ratio).toBeLessThanOrEqual(3)
    }
  })
})

describe('the exposition text of a small run', () => {
  const live = new LiveMetrics()
  live.addLine(line({
    target: 'new',
    phase: 'steady',
    requests: 8,
    ok: 5,
    failed: 3,
    byStatus: { 200: 5, 503: 1 },
    byError: { 'http 503': 1, timeout: 1, dropped: 1 },
    generator: { sent: 7, dropped: 1, late: 2, sendLagMsP99: 12 },
    inFlight: 2,
    resources: { rssBytes: 52_428_800, cpuPercent: 150, heapBytes: 10_000_000 }
  }, latenciesUs))
  live.judged([check('slo.p99', 'pass', 'new'), check('slo.errorRate', 'fail', 'new'), check('compare.p99', 'inconclusive', 'new'), check('generator.late', 'warn', 'new')], 'fail')

  it('is exactly this', () => {
    const bucket = (le: string, count: number): string => `cutover_request_duration_seconds_bucket{target="new",phase="steady",le="${le}"} ${count}`
    expect(live.render()).toBe([
      '# HELP cutover_requests_total Requests that ended, by HTTP status; status "none" for requests without an HTTP answer (refused, reset, timeout, dropped arrivals).',
      '# TYPE cutover_requests_total counter',
      'cutover_requests_total{target="new",phase="steady",status="200"} 5',
      'cutover_requests_total{target="new",phase="steady",status="503"} 1',
      // 8 requests, 6 with an HTTP status: the timeout and the dropped arrival had none
      'cutover_requests_total{target="new",phase="steady",status="none"} 2',
      '# HELP cutover_request_errors_total Failed requests by kind (refused, reset, timeout, http 503, expectation, dropped, cut off...), as result.json requests.byError.',
      '# TYPE cutover_request_errors_total counter',
      'cutover_request_errors_total{target="new",phase="steady",kind="dropped"} 1',
      'cutover_request_errors_total{target="new",phase="steady",kind="http 503"} 1',
      'cutover_request_errors_total{target="new",phase="steady",kind="timeout"} 1',
      '# HELP cutover_request_duration_seconds Latency from each request\'s intended send time, in seconds; bucket counts taken from the run\'s HDR histograms.',
      '# TYPE cutover_request_duration_seconds histogram',
      bucket('0.0005', 2), bucket('0.001', 3), bucket('0.002', 4), bucket('0.005', 5), bucket('0.01', 5), bucket('0.02', 5), bucket('0.05', 5),
      bucket('0.1', 5), bucket('0.2', 5), bucket('0.5', 5), bucket('1', 5), bucket('2', 5), bucket('5', 6), bucket('10', 6), bucket('20', 6),
      bucket('60', 6), bucket('+Inf', 7),
      // 73 063 704 µs: the sum of the values above at the top of their HDR ranges
      'cutover_request_duration_seconds_sum{target="new",phase="steady"} 73.063704',
      'cutover_request_duration_seconds_count{target="new",phase="steady"} 7',
      '# HELP cutover_requests_in_flight Requests outstanding at the end of the last sampling interval.',
      '# TYPE cutover_requests_in_flight gauge',
      'cutover_requests_in_flight{target="new"} 2',
      '# HELP cutover_arrivals_sent_total Planned arrivals the load generator sent.',
      '# TYPE cutover_arrivals_sent_total counter',
      'cutover_arrivals_sent_total{target="new",phase="steady"} 7',
      '# HELP cutover_arrivals_dropped_total Planned arrivals not sent because maxInFlight requests were outstanding.',
      '# TYPE cutover_arrivals_dropped_total counter',
      'cutover_arrivals_dropped_total{target="new",phase="steady"} 1',
      '# HELP cutover_arrivals_late_total Arrivals sent more than 10 ms after their intended time.',
      '# TYPE cutover_arrivals_late_total counter',
      'cutover_arrivals_late_total{target="new",phase="steady"} 2',
      '# HELP cutover_target_cpu_ratio CPU the target\'s processes used over the last sampling interval, in cores (1 = one core busy).',
      '# TYPE cutover_target_cpu_ratio gauge',
      'cutover_target_cpu_ratio{target="new"} 1.5',
      '# HELP cutover_target_rss_bytes Resident memory of the target (process tree, cgroup or its own exporter), in bytes.',
      '# TYPE cutover_target_rss_bytes gauge',
      'cutover_target_rss_bytes{target="new"} 52428800',
      '# HELP cutover_target_heap_used_bytes Used JavaScript heap of the target, when sampled (start.heap, or a Prometheus monitor).',
      '# TYPE cutover_target_heap_used_bytes gauge',
      'cutover_target_heap_used_bytes{target="new"} 10000000',
      '# HELP cutover_check_passed Each check on what was measured so far: 1 pass (or warn), 0 fail, NaN inconclusive.',
      '# TYPE cutover_check_passed gauge',
      'cutover_check_passed{check="slo.p99",target="new"} 1',
      'cutover_check_passed{check="slo.errorRate",target="new"} 0',
      'cutover_check_passed{check="compare.p99",target="new"} NaN',
      'cutover_check_passed{check="generator.late",target="new"} 1',
      '# HELP cutover_verdict_passed The run\'s verdict so far: 1 pass, 0 fail, NaN inconclusive.',
      '# TYPE cutover_verdict_passed gauge',
      'cutover_verdict_passed 0',
      '# HELP cutover_run_finished 1 once the run ended and the checks are result.json\'s final ones, else 0.',
      '# TYPE cutover_run_finished gauge',
      'cutover_run_finished 0',
      ''
    ].join('\n'))
  })

  it('reads back whole with the parser the Prometheus sampler uses, every family typed as the catalogue says', () => {
    const parsed = parsePrometheusText(live.render())
    expect(parsed.problems).toEqual([])
    for (const definition of Object.values(liveMetrics)) {
      if (definition.name === liveMetrics.memoryLimit.name) continue
      expect(parsed.types.get(definition.name)).toBe(definition.type)
    }
    const nan = parsed.series.find((series) => series.name === 'cutover_check_passed' && series.labels.check === 'compare.p99')
    expect(nan?.value).toBeNaN()
    const inf = parsed.series.find((series) => series.name === 'cutover_request_duration_seconds_bucket' && series.labels.le === '+Inf')
    expect(inf?.value).toBe(7)
  })
})

describe('counters', () => {
  it('add up across intervals and never go down; a new phase starts its own series', () => {
    const live = new LiveMetrics()
    const readings: Array<Map<string, number>> = []
    const read = (): void => {
      const parsed = parsePrometheusText(live.render())
      expect(parsed.problems).toEqual([])
      const counters = parsed.series.filter((series) => parsed.types.get(series.name) === 'counter' || /_(bucket|sum|count)$/.test(series.name))
      readings.push(new Map(counters.map((series) => [`${series.name}${JSON.stringify(series.labels)}`, series.value])))
    }
    const interval = (phase: string, ok: number, failed: number, latencies: number[]): TimelineLine => line({
      target: 'old', phase, requests: ok + failed, ok, failed, byStatus: { 200: ok }, byError: failed === 0 ? {} : { reset: failed },
      generator: { sent: ok + failed, dropped: 0, late: 1, sendLagMsP99: 0 }
    }, latencies)
    live.addLine(interval('warm', 3, 0, [1000, 2000, 3000]))
    read()
    live.addLine(interval('warm', 2, 1, [4000, 5000]))
    read()
    live.addLine(interval('steady', 4, 0, [100, 200, 300, 400]))
    read()
    const last = readings.at(-1) as Map<string, number>
    expect(last.get('cutover_requests_total{"target":"old","phase":"warm","status":"200"}')).toBe(5)
    expect(last.get('cutover_requests_total{"target":"old","phase":"warm","status":"none"}')).toBe(1)
    expect(last.get('cutover_request_errors_total{"target":"old","phase":"warm","kind":"reset"}')).toBe(1)
    expect(last.get('cutover_arrivals_late_total{"target":"old","phase":"warm"}')).toBe(2)
    expect(last.get('cutover_request_duration_seconds_count{"target":"old","phase":"warm"}')).toBe(5)
    // 1000 + 2000 + 3001 + 4001 + 5003 µs: 3000 and 4000 in steps of 2 µs, 5000 in steps of 4 µs, at the top of their ranges
    expect(last.get('cutover_request_duration_seconds_sum{"target":"old","phase":"warm"}')).toBe(0.015005)
    expect(last.get('cutover_request_duration_seconds_bucket{"target":"old","phase":"warm","le":"0.002"}')).toBe(2)
    expect(last.get('cutover_requests_total{"target":"old","phase":"steady","status":"200"}')).toBe(4)
    expect(last.get('cutover_request_duration_seconds_bucket{"target":"old","phase":"steady","le":"0.0005"}')).toBe(4)
    for (let i = 1; i < readings.length; i++) {
      for (const [series, value] of readings[i - 1] as Map<string, number>) expect((readings[i] as Map<string, number>).get(series)).toBeGreaterThanOrEqual(value)
    }
  })

  it('an interval that sent and ended nothing starts no series, but its gauges count', () => {
    const live = new LiveMetrics()
    live.addLine(line({ target: 'new', phase: 'idle', inFlight: 0, resources: { rssBytes: 1000, cpuPercent: 0 } }))
    const parsed = parsePrometheusText(live.render())
    expect(parsed.series.map((series) => series.name)).toEqual(['cutover_requests_in_flight', 'cutover_target_cpu_ratio', 'cutover_target_rss_bytes', 'cutover_run_finished'])
  })
})

describe('checks and the verdict', () => {
  it('1 for pass and warn, 0 for fail, NaN for inconclusive', () => {
    expect([checkValue('pass'), checkValue('warn'), checkValue('fail')]).toEqual([1, 1, 0])
    expect(checkValue('inconclusive')).toBeNaN()
  })

  it('the final checks replace the live ones, later live judgements are ignored, and the run shows finished', () => {
    const live = new LiveMetrics()
    live.judged([check('slo.p99', 'inconclusive', 'old'), check('compare.p50', 'inconclusive', 'new')], 'inconclusive')
    expect(live.render()).toContain('cutover_verdict_passed NaN\n')
    live.finish({ checks: [check('slo.p99', 'pass', 'old'), check('baseline.p99', 'fail')], verdict: 'fail' })
    live.judged([check('slo.p99', 'fail', 'old')], 'fail')
    const text = live.render()
    expect(text).toContain('cutover_check_passed{check="slo.p99",target="old"} 1\n')
    // a check without a target has no target label; a check no longer judged is gone
    expect(text).toContain('cutover_check_passed{check="baseline.p99"} 0\n')
    expect(text).not.toContain('compare.p50')
    expect(text).toContain('cutover_verdict_passed 0\n')
    expect(text).toContain('cutover_run_finished 1\n')
    expect(live.finished).toBe(true)
  })

  it('a second check with the same id and target is left out (a duplicate series fails the whole scrape)', () => {
    const live = new LiveMetrics()
    live.judged([check('leak', 'pass', 'new'), check('leak', 'fail', 'new')], 'fail')
    expect(live.render().match(/cutover_check_passed\{/g)).toHaveLength(1)
  })
})

describe('values and labels', () => {
  it('NaN, infinities and numbers as Prometheus reads them', () => {
    expect([NaN, Infinity, -Infinity, 0, 1.5, 52428800, 1e-7, 0.1 + 0.2].map(formatSampleValue)).toEqual(['NaN', '+Inf', '-Inf', '0', '1.5', '52428800', '1e-7', '0.30000000000000004'])
    for (const text of ['NaN', '+Inf', '-Inf', '1e-7']) {
      const value = parsePrometheusText(`x ${text}\n`).series[0]?.value
      expect(Object.is(value, Number(text.replace('Inf', 'Infinity'))) || (Number.isNaN(value) && text === 'NaN')).toBe(true)
    }
  })

  it('escapes backslash, double quote and line feed in label values, and they read back as written', () => {
    const phase = 'a "quoted" \\ path\nnext'
    expect(escapeLabelValue(phase)).toBe('a \\"quoted\\" \\\\ path\\nnext')
    const live = new LiveMetrics()
    live.addLine(line({ target: 'né', phase, requests: 1, ok: 1, byStatus: { 200: 1 }, generator: { sent: 1, dropped: 0, late: 0, sendLagMsP99: 0 } }, [1000]))
    const text = live.render()
    expect(text).toContain('cutover_requests_total{target="né",phase="a \\"quoted\\" \\\\ path\\nnext",status="200"} 1\n')
    const parsed = parsePrometheusText(text)
    expect(parsed.problems).toEqual([])
    expect(parsed.series.filter((series) => series.labels.phase !== undefined).every((series) => series.labels.phase === phase)).toBe(true)
  })

  it('escapes HELP text and leaves out families without series and labels without values', () => {
    const text = renderPrometheusText([
      { definition: { name: 'a_total', type: 'counter', help: 'back \\ slash\nnew line', labels: ['x', 'y'] }, series: [{ labels: { x: '1', y: undefined }, value: 2 }] },
      { definition: { name: 'b', type: 'gauge', help: 'empty', labels: [] }, series: [] }
    ])
    expect(text).toBe('# HELP a_total back \\\\ slash\\nnew line\n# TYPE a_total counter\na_total{x="1"} 2\n')
    expect(parsePrometheusText(text).help.get('a_total')).toBe('back \\ slash\nnew line')
  })
})
