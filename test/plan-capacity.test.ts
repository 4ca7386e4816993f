import { describe, expect, it } from 'vitest'
import { judgeCapacityStep } from '../src/analysis/capacity-step.js'
import type { PhaseSummary } from '../src/core/result-types.js'
import { CapacitySearch } from '../src/plan/capacity.js'

/** Runs a search against a service whose knee is `knee` req/s. */
function search (settings: ConstructorParameters<typeof CapacitySearch>[0], knee: number): { tried: number[], result: ReturnType<CapacitySearch['result']> } {
  const s = new CapacitySearch(settings)
  const tried: number[] = []
  for (let rate = s.next(); rate !== undefined; rate = s.next()) {
    tried.push(rate)
    s.report(rate <= knee)
    if (tried.length > 50) throw new Error('runaway search')
  }
  return { tried, result: s.result() }
}

describe('capacity search', () => {
  it('linear steps stop at the first failure', () => {
    const { tried, result } = search({ start: 100, step: 100, stepDurationMs: 1000, max: 5000 }, 730)
    expect(tried).toEqual([100, 200, 300, 400, 500, 600, 700, 800])
    expect(result).toEqual({ maxRps: 700, limitedBy: 'latency', bracket: [700, 800] })
  })

  it('automatic: doubles, then bisects to within 5%', () => {
    const { tried, result } = search({ start: 50, step: undefined, stepDurationMs: 1000, max: 20_000 }, 730)
    expect(tried).toEqual([50, 100, 200, 400, 800, 600, 700, 750, 725])
    expect(result).toEqual({ maxRps: 725, limitedBy: 'latency', bracket: [725, 750] })
  })

  it('stops at max when nothing breaks', () => {
    const { tried, result } = search({ start: 100, step: 200, stepDurationMs: 1000, max: 500 }, 10_000)
    expect(tried).toEqual([100, 300, 500])
    expect(result.limitedBy).toBe('max')
    expect(result.maxRps).toBe(500)
  })

  it('stops at once when the generator falls behind, and says so', () => {
    const s = new CapacitySearch({ start: 1000, step: undefined, stepDurationMs: 1000, max: 100_000 })
    s.report(true)
    expect(s.next()).toBe(2000)
    s.report(false, 'generator')
    expect(s.next()).toBeUndefined()
    expect(s.result()).toEqual({ maxRps: 1000, limitedBy: 'generator', bracket: [1000, 2000] })
  })

  it('a service that fails the first step is searched below it', () => {
    const { tried, result } = search({ start: 100, step: undefined, stepDurationMs: 1000, max: 1000 }, 10)
    expect(tried).toEqual([100, 50, 25, 13, 7])
    expect(result).toEqual({ maxRps: 7, limitedBy: 'latency', bracket: [7, 13] })
  })
})

const step = (overrides: Partial<PhaseSummary> & { p99?: number, failed?: number, late?: number }): PhaseSummary => ({
  name: 's', model: 'open', durationMs: 1000, throughput: 100, histogram: '',
  requests: { total: 1000, ok: 1000 - (overrides.failed ?? 0), failed: overrides.failed ?? 0, byStatus: {}, byError: {} },
  latencyMs: { p50: 1, p90: 2, p95: 3, p99: overrides.p99 ?? 4, p999: 5, max: 6, mean: 1 },
  generator: { sent: 1000, dropped: 0, late: overrides.late ?? 0, behindRate: 0, sendLagMs: { p50: 0, p99: 0, max: 0 } }
})

describe('judging a capacity step', () => {
  it('passes within the SLO, defaulting to p99 500 ms and 1% errors', () => {
    expect(judgeCapacityStep(step({}), {}).passed).toBe(true)
    expect(judgeCapacityStep(step({ p99: 600 }), {})).toMatchObject({ passed: false, limitedBy: 'latency' })
    expect(judgeCapacityStep(step({ p99: 600 }), { p99: 1000 }).passed).toBe(true)
    expect(judgeCapacityStep(step({ failed: 11 }), {})).toMatchObject({ passed: false, limitedBy: 'errors' })
  })

  it('blames the generator, not the service, when requests left late', () => {
    expect(judgeCapacityStep(step({ late: 20, p99: 900, failed: 50 }), {})).toMatchObject({ passed: false, limitedBy: 'generator' })
  })
})
