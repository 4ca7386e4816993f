import { describe, expect, it } from 'vitest'
import { sloChecks } from '../src/analysis/slo.js'
import type { TargetSummary } from '../src/core/result-types.js'

const summary = (p50: number, p99: number, late: number, lagP99: number): TargetSummary => ({
  url: 'http://127.0.0.1:1/', histogram: '', phases: [], events: [], startedAt: '', endedAt: '',
  requests: { total: 1000, ok: 990, failed: 10, byStatus: { 200: 990, 500: 10 }, byError: { 'http 500': 10 } },
  throughput: { mean: 100, max: 120 },
  latencyMs: { p50, p90: p99, p95: p99, p99, p999: p99, max: p99, mean: p50 },
  generator: { sent: 1000, dropped: 0, late, behindRate: late / 1000, sendLagMs: { p50: 0.5, p99: lagP99, max: lagP99 } }
})

describe('SLO checks', () => {
  it('pass and fail against each limit, with the observed value and unit', () => {
    const checks = sloChecks('svc', summary(5, 40, 0, 1), { p50: 10, p99: 30, errorRate: 0.005, throughput: 150 })
    expect(checks.map((c) => [c.id, c.status, c.observed, c.limit, c.unit])).toEqual([
      ['generator.late', 'pass', 0, 0.01, 'fraction'],
      ['slo.p50', 'pass', 5, 10, 'ms'],
      ['slo.p99', 'fail', 40, 30, 'ms'],
      ['slo.errorRate', 'fail', 0.01, 0.005, 'fraction'],
      ['slo.throughput', 'fail', 100, 150, 'req/s']
    ])
    expect(checks[3]?.message).toBe('error rate 1.00% > 0.50% (http 500 10)')
  })

  it('a late generator puts a latency failure in doubt only when its lag could explain the excess', () => {
    // 5% late with a 15 ms send-lag p99: a p99 of 40 ms against 30 ms could be the generator
    const doubtful = sloChecks('svc', summary(5, 40, 50, 15), { p99: 30 })
    expect(doubtful.find((c) => c.id === 'generator.late')?.status).toBe('warn')
    expect(doubtful.find((c) => c.id === 'slo.p99')?.status).toBe('inconclusive')
    // the same lateness cannot explain a p99 of 400 ms
    const clear = sloChecks('svc', summary(5, 400, 50, 15), { p99: 30 })
    expect(clear.find((c) => c.id === 'slo.p99')?.status).toBe('fail')
  })

  it('no responses: latency checks are inconclusive', () => {
    const empty = { ...summary(0, 0, 0, 0), requests: { total: 0, ok: 0, failed: 0, byStatus: {}, byError: {} }, generator: { sent: 0, dropped: 0, late: 0, behindRate: 0, sendLagMs: { p50: 0, p99: 0, max: 0 } } }
    expect(sloChecks('svc', empty, { p99: 30, errorRate: 0.01 }).map((c) => c.status)).toEqual(['inconclusive', 'inconclusive'])
  })
})
