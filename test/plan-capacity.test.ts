import { describe, expect, it } from 'vitest'
import { judgeCapacityStep } from '../src/analysis/capacity-step.js'
import { compareCapacity } from '../src/analysis/compare/single-values.js'
import { measuredCeiling } from '../src/analysis/capacity-ceiling.js'
import type { CapacitySummary, PhaseSummary } from '../src/core/result-types.js'
import { CapacitySearch, ceilingConnections } from '../src/plan/capacity.js'

/** Runs a search against a service whose knee is `knee` req/s. */
function search (settings: ConstructorParameters<typeof CapacitySearch>[0], knee: number): { tried: number[], result: ReturnType<CapacitySearch['result']> } {
  const s = new CapacitySearch(settings)
  const tried: number[] = []
  for (let rate = s.next(); rate !== undefined; rate = s.next()) {
    tried.push(rate)
    s.report(rate <= knee)
    if (tried.length > 60) throw new Error('runaway search')
  }
  return { tried, result: s.result() }
}

describe('capacity search', () => {
  it('linear steps stop at the first failure, once it repeats', () => {
    const { tried, result } = search({ start: 100, step: 100, stepDurationMs: 1000, max: 5000, ceilingHolds: 0 }, 730)
    expect(tried).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 800])
    expect(result).toEqual({ maxRps: 700, limitedBy: 'latency', bracket: [700, 800] })
  })

  it('automatic: doubles, then bisects to within 5%, every failure tried twice', () => {
    const { tried, result } = search({ start: 50, step: undefined, stepDurationMs: 1000, max: 20_000, ceilingHolds: 0 }, 730)
    expect(tried).toEqual([50, 100, 200, 400, 800, 800, 600, 700, 750, 750, 725])
    expect(result).toEqual({ maxRps: 725, limitedBy: 'latency', bracket: [725, 750] })
  })

  it('stops at max when nothing breaks', () => {
    const { tried, result } = search({ start: 100, step: 200, stepDurationMs: 1000, max: 500, ceilingHolds: 0 }, 10_000)
    expect(tried).toEqual([100, 300, 500])
    expect(result.limitedBy).toBe('max')
    expect(result.maxRps).toBe(500)
  })

  it('stops when the generator falls behind three times at a rate, and says so', () => {
    const s = new CapacitySearch({ start: 1000, step: undefined, stepDurationMs: 1000, max: 100_000, ceilingHolds: 0 })
    s.report(true)
    expect(s.next()).toBe(2000)
    for (const attempt of [1, 2, 3]) {
      expect(s.next()).toBe(2000)
      expect(s.attempt).toBe(attempt)
      s.report(false, 'generator')
    }
    expect(s.next()).toBeUndefined()
    expect(s.result()).toEqual({ maxRps: 1000, limitedBy: 'generator', bracket: [1000, 2000] })
  })

  it('after a knee the service set, runs ceilingHolds holds to measure the ceiling; none when the generator set the limit', () => {
    const { tried, result } = search({ start: 50, step: undefined, stepDurationMs: 1000, max: 20_000, ceilingHolds: 3 }, 730)
    // the three holds follow the knee (next() names it while they run)
    expect(tried).toEqual([50, 100, 200, 400, 800, 800, 600, 700, 750, 750, 725, 725, 725, 725])
    // the holds are measurements, not part of the search: the knee stays
    expect(result).toEqual({ maxRps: 725, limitedBy: 'latency', bracket: [725, 750] })
    const s = new CapacitySearch({ start: 1000, step: undefined, stepDurationMs: 1000, max: 100_000, ceilingHolds: 3 })
    for (let i = 0; i < 3; i++) s.report(false, 'generator')
    expect(s.holdingCeiling).toBe(false)
    expect(s.next()).toBeUndefined()
    // they stop when the generator reaches its own ceiling during one
    const t = new CapacitySearch({ start: 1000, step: 1000, stepDurationMs: 1000, max: 100_000, ceilingHolds: 3 })
    t.report(true)
    t.report(false)
    t.report(false)
    expect(t.holdingCeiling).toBe(true)
    expect(t.next()).toBe(1000)
    t.report(true)
    expect(t.holdingCeiling).toBe(true)
    t.report(false, 'generator')
    expect(t.next()).toBeUndefined()
  })

  it('gives a ceiling hold twice the requests in flight at the knee (Little\'s law on the median latency), 8 to 256 connections', () => {
    expect(ceilingConnections(800, 50)).toBe(80)
    expect(ceilingConnections(800, 2)).toBe(8)
    expect(ceilingConnections(20_000, 200)).toBe(256)
    // no latency known: 10 ms
    expect(ceilingConnections(1000, undefined)).toBe(20)
  })

  it('a stall that does not repeat does not end the search: the step is tried again and passes', () => {
    const s = new CapacitySearch({ start: 100, step: 100, stepDurationMs: 1000, max: 400, ceilingHolds: 0 })
    s.report(true)
    s.report(false, 'latency')
    expect(s.next()).toBe(200)
    expect(s.attempt).toBe(2)
    s.report(true)
    expect(s.next()).toBe(300)
    expect(s.attempt).toBe(1)
    s.report(true)
    s.report(true)
    expect(s.result()).toEqual({ maxRps: 400, limitedBy: 'max', bracket: [400, 400] })
  })

  it('a generator that falls behind at the first rate, then keeps up, gives a knee above 0', () => {
    const s = new CapacitySearch({ start: 200, step: 200, stepDurationMs: 1000, max: 600, ceilingHolds: 0 })
    s.report(false, 'generator')
    s.report(false, 'generator')
    s.report(true)
    expect(s.next()).toBe(400)
    s.report(true)
    s.report(false, 'latency')
    s.report(false, 'latency')
    expect(s.result()).toEqual({ maxRps: 400, limitedBy: 'latency', bracket: [400, 600] })
  })

  it('a service that fails the first step is searched below it', () => {
    const { tried, result } = search({ start: 100, step: undefined, stepDurationMs: 1000, max: 1000, ceilingHolds: 0 }, 10)
    expect(tried).toEqual([100, 100, 50, 50, 25, 25, 13, 13, 7])
    expect(result).toEqual({ maxRps: 7, limitedBy: 'latency', bracket: [7, 13] })
  })
})

// 1,000 sent in 1 s and all answered, unless a test says otherwise
const step = (overrides: Partial<PhaseSummary> & { p99?: number, failed?: number, late?: number, lagP99?: number, dropped?: number }): PhaseSummary => ({
  name: 's', model: 'open', durationMs: 1000, throughput: overrides.throughput ?? 1000, histogram: '',
  requests: { total: 1000, ok: 1000 - (overrides.failed ?? 0), failed: overrides.failed ?? 0, byStatus: {}, byError: {} },
  latencyMs: { p50: 1, p90: 2, p95: 3, p99: overrides.p99 ?? 4, p999: 5, max: 6, mean: 1 },
  generator: { sent: 1000, dropped: overrides.dropped ?? 0, late: overrides.late ?? 0, behindRate: 0, sendLagMs: { p50: 0, p99: overrides.lagP99 ?? 0, max: overrides.lagP99 ?? 0 } }
})

describe('judging a capacity step', () => {
  it('passes within the SLO, defaulting to p99 500 ms and 1% errors', () => {
    expect(judgeCapacityStep(step({}), {}).passed).toBe(true)
    expect(judgeCapacityStep(step({ p99: 600 }), {})).toMatchObject({ passed: false, limitedBy: 'latency' })
    expect(judgeCapacityStep(step({ p99: 600 }), { p99: 1000 }).passed).toBe(true)
    expect(judgeCapacityStep(step({ failed: 11 }), {})).toMatchObject({ passed: false, limitedBy: 'errors' })
  })

  it('fails a step whose service fell behind, however good the latency of the requests it did answer', () => {
    // 1,000 sent in 1 s, 700 answered in the hold (p99 4 ms): 300 outstanding, far over max(5% of 1,000, 2 × 1/ms × 4 ms)
    const behind = { ...step({ throughput: 700 }), requests: { total: 700, ok: 700, failed: 0, byStatus: {}, byError: {} } }
    expect(judgeCapacityStep(behind, {})).toEqual({ passed: false, limitedBy: 'latency', detail: 'the service fell behind: 300 of the 1000 requests sent in the hold were still unanswered at its end (answered 700 of 1000 req/s offered)' })
    // 40 outstanding is within 5% of those sent; with a p99 of 400 ms, 2 × 1/ms × 400 ms = 800 may be in flight
    const inFlight = (total: number, p99: number): PhaseSummary => ({ ...step({ p99 }), requests: { total, ok: total, failed: 0, byStatus: {}, byError: {} } })
    expect(judgeCapacityStep(inFlight(960, 4), {}).passed).toBe(true)
    expect(judgeCapacityStep(inFlight(300, 400), {}).passed).toBe(true)
    expect(judgeCapacityStep(inFlight(100, 400), {}).passed).toBe(false)
  })

  it('blames the service when its errors or its own latency break the SLO, however late the generator was', () => {
    // 2% sent late cannot explain 5% errors, nor a p99 of 900 ms when the send lag is small: the service is saturating
    expect(judgeCapacityStep(step({ late: 20, p99: 900, failed: 50 }), {})).toMatchObject({ passed: false, limitedBy: 'errors' })
    expect(judgeCapacityStep(step({ late: 20, p99: 900, lagP99: 30 }), {})).toMatchObject({ passed: false, limitedBy: 'latency', detail: 'p99 900.0 ms over 500 ms (870.0 ms without the send lag); 2.0% of requests left more than 10 ms late (send lag p99 30 ms)' })
  })

  it('blames the generator when the latency over the SLO is its own send lag, or when it dropped arrivals using most of a core', () => {
    expect(judgeCapacityStep(step({ late: 60, p99: 900, lagP99: 700 }), {})).toMatchObject({ passed: false, limitedBy: 'generator' })
    expect(judgeCapacityStep(step({ late: 60, p99: 900, lagP99: 700 }), {}, { cpuShare: 0.97 })).toMatchObject({
      passed: false, limitedBy: 'generator', detail: "p99 900.0 ms over 500 ms, but 700 ms of it is the generator's send lag, at its own ceiling (the generator used 97% of a core); 6.0% of requests left more than 10 ms late (send lag p99 700 ms)"
    })
    expect(judgeCapacityStep(step({ dropped: 50 }), {})).toMatchObject({ passed: false, limitedBy: 'generator', detail: 'the generator dropped 4.8% of arrivals at its in-flight limit' })
    expect(judgeCapacityStep(step({ dropped: 50 }), {}, { cpuShare: 0.9 })).toMatchObject({ passed: false, limitedBy: 'generator', detail: 'the generator dropped 4.8% of arrivals at its in-flight limit, at its own ceiling (the generator used 90% of a core)' })
    // an idle generator on a busy machine, with a service that kept up: the machine, tried again as the generator's
    expect(judgeCapacityStep(step({ late: 60, p99: 900, lagP99: 700 }), {}, { cpuShare: 0.3 })).toMatchObject({ passed: false, limitedBy: 'generator', detail: expect.stringContaining('on a busy machine (the generator used 30% of a core)') })
  })

  it('blames the service when the generator was waiting on it: arrivals dropped at the in-flight limit, the generator not busy', () => {
    // 1,050 arrivals offered in 1 s, 100 answered a second: the service's queue filled the in-flight limit
    expect(judgeCapacityStep(step({ dropped: 50, throughput: 100 }), {}, { cpuShare: 0.4 })).toMatchObject({
      passed: false, limitedBy: 'latency', detail: 'the service fell behind: 4.8% of arrivals were dropped at the in-flight limit, with that many requests still waiting for an answer (answered 100 of 1050 req/s offered) (the generator used 40% of a core)'
    })
    // late sends whose lag is the whole excess over the SLO are not the service's, whatever it answered: a starved
    // generator stretches the hold and lowers the answered rate too
    expect(judgeCapacityStep(step({ late: 60, p99: 900, lagP99: 700, throughput: 100 }), {}, { cpuShare: 0.4 })).toMatchObject({ passed: false, limitedBy: 'generator' })
  })

  it('passes a step whose sends left late while every request met the SLO: the service held what it was offered', () => {
    const judged = judgeCapacityStep(step({ late: 70, p99: 40, lagP99: 25 }), {})
    expect(judged).toMatchObject({ passed: true })
    expect(judged.detail).toBe('p99 40.0 ms, error rate 0.00%; 7.0% of requests left more than 10 ms late (send lag p99 25 ms)')
  })
})

describe('comparing knees', () => {
  const knee = (maxRps: number, limitedBy: CapacitySummary['limitedBy'], bracket: [number, number], generatorCeilingRps?: number): CapacitySummary =>
    ({ maxRps, limitedBy, bracket, curve: [], ...(generatorCeilingRps === undefined ? {} : { generatorCeilingRps }) })
  const tolerance = { kind: 'relative', fraction: -0.05 } as const

  it('is inconclusive, with a reason and no interval, when a knee is only a lower bound (never "0 vs 0, 0 … 2e11×")', () => {
    const metric = compareCapacity(knee(0, 'generator', [0, 200], 180), knee(0, 'generator', [0, 200], 185), tolerance)
    expect(metric.verdict).toBe('inconclusive')
    expect(metric.ci.every((x) => Number.isNaN(x))).toBe(true)
    expect(metric.message).toBe("capacity: new 0 req/s vs old 0 req/s — inconclusive: old's knee is only a lower bound: the load generator fell behind at 200 req/s before old broke its SLO (it got 180 req/s answered at most)")
    expect(metric.settle).toBe('run cutover on a machine of its own, or with more CPU')
    const capped = compareCapacity(knee(2000, 'latency', [2000, 2100]), knee(5000, 'max', [5000, 5000]), tolerance)
    expect(capped.verdict).toBe('inconclusive')
    expect(capped.message).toMatch(/new's knee is only a lower bound: it held every rate up to the search's max of 5000 req\/s$/)
    expect(capped.settle).toBe('raise capacity.max')
  })

  it('judges two measured knees on the ratio, with the brackets as its interval', () => {
    const metric = compareCapacity(knee(1000, 'latency', [1000, 1100]), knee(500, 'latency', [500, 550]), tolerance)
    expect(metric.verdict).toBe('fail')
    expect(metric.ratio).toBe(0.5)
    expect(metric.ci).toEqual([500 / 1100, 550 / 1000])
  })

  it('judges the ceilings the ceiling holds measured, with a Welch interval from their spread (scipy 1.17.1)', () => {
    const hold = (throughput: number, errorRate = 0): CapacitySummary['curve'][number] => ({ rate: throughput, throughput, p99Ms: 40, errorRate, passed: true, overload: true, connections: 32 })
    // a hold where the generator was at its own ceiling measures nothing; errors do not count as answers
    const oldCurve = [hold(812), hold(798), hold(1610, 0.5), { ...hold(400), passed: false, limitedBy: 'generator' as const }, { rate: 900, throughput: 900, p99Ms: 700, errorRate: 0, passed: false }]
    const newCurve = [hold(668), hold(655), hold(671)]
    // log throughputs [812, 798, 805]: scipy.stats.t.interval(0.95, 2, loc=mean, scale=sem) → exp: 787.777…, 822.558…; mean 804.98
    expect(measuredCeiling(oldCurve)).toEqual({ rps: 805, ci: [787.8, 822.6], holds: 3 })
    const old: CapacitySummary = { maxRps: 800, limitedBy: 'latency', bracket: [800, 850], curve: oldCurve, ceiling: measuredCeiling(oldCurve) }
    const next: CapacitySummary = { maxRps: 650, limitedBy: 'latency', bracket: [650, 700], curve: newCurve, ceiling: measuredCeiling(newCurve) }
    const metric = compareCapacity(old, next, tolerance)
    // scipy.stats.ttest_ind(log new, log old, equal_var=False).confidence_interval(0.95) → exp: 0.80425, 0.84762; ratio 0.82565
    expect(metric.ratio).toBeCloseTo(0.8256484321837713, 10)
    expect(metric.ci[0]).toBeCloseTo(0.8042466056466364, 6)
    expect(metric.ci[1]).toBeCloseTo(0.8476197832621472, 6)
    expect(metric.verdict).toBe('fail')
    expect(metric.message).toBe('capacity: new 665 req/s vs old 805 req/s at their ceilings (-17.4%, 95% CI 0.804–0.848× from 3 and 3 ceiling holds; knees 650 vs 800 req/s), allowed −5% — fail')
    // one measured hold a side is not enough: the brackets again
    expect(compareCapacity({ ...old, curve: oldCurve.slice(0, 1), ceiling: undefined }, next, tolerance).ci).toEqual([650 / 850, 700 / 800])
  })
})
