// The paired comparison on slice-structured runs with a drift both services share, AR(1) noise of the machine and
// heavy tails (test/support/slice-runs.ts): A/A runs rarely fail and mostly pass, intervals cover the true effect.
import { describe, expect, it } from 'vitest'
import { timelineMetrics } from '../src/analysis/compare-runs.js'
import type { ComparisonMetric } from '../src/core/result-types.js'
import { demoNoise, demoPhases, noEffect, syntheticRun, type Effect, type Layout } from './support/slice-runs.js'

const layout: Layout = { schedule: 'interleaved', sliceMs: 2500, phases: demoPhases }

function judge (effect: Effect, seed: number): ComparisonMetric[] {
  return timelineMetrics({ lines: syntheticRun(layout, effect, demoNoise, seed), old: 'old', new: 'new', schedule: 'interleaved', phases: demoPhases, intervalMs: 500, sliceMs: 2500, tolerances: {}, seed: 1 })
}

const runs = 100
const tally = (effect: Effect, seed: number): Array<Record<string, ComparisonMetric>> =>
  Array.from({ length: runs }, (_, i) => Object.fromEntries(judge(effect, seed + i).map((metric) => [metric.name, metric])))

describe('paired comparison of slice-structured runs (timing-free, seeded)', () => {
  const aa = tally(noEffect, 100)

  it('A/A: p50 and CPU per request fail at most 5 of 100 runs, and pass in many (an interval as wide as the sky would not)', () => {
    // nominal at most 2.5% one-sided; 5 of 100 is beyond a 2.5% rate's Wilson 95% upper bound
    for (const [name, passing] of [['p50', 80], ['cpuPerRequest', 40]] as const) {
      const failed = aa.filter((run) => run[name]?.verdict === 'fail').length
      const passed = aa.filter((run) => run[name]?.verdict === 'pass').length
      expect(failed, name).toBeLessThanOrEqual(5)
      // CPU per request carries the machine's slice-to-slice noise twice over (8% per slot here): fewer settle in 10 rounds
      expect(passed, name).toBeGreaterThanOrEqual(passing)
    }
    expect(aa.every((run) => run.p50?.pairs === 10)).toBe(true)
  })

  it('a true +5% everywhere: the 95% intervals of p50 cover it in at least 88 of 100 runs, and the estimates centre on it despite the 40% drift', () => {
    const scaled = tally({ body: 1.05, tail: 1.05, cpu: 1.05 }, 500)
    const covered = scaled.filter((run) => (run.p50?.ci[0] ?? NaN) <= 1.05 && 1.05 <= (run.p50?.ci[1] ?? NaN)).length
    expect(covered).toBeGreaterThanOrEqual(88)
    const meanLog = scaled.reduce((sum, run) => sum + Math.log(run.p50?.ratio ?? NaN), 0) / runs
    expect(Math.exp(meanLog)).toBeGreaterThan(1.04)
    expect(Math.exp(meanLog)).toBeLessThan(1.06)
  })

  it('a +15% p50 regression fails in at least 85 of 100 demo-length runs', () => {
    const slower = tally({ body: 1.15, tail: 1, cpu: 1 }, 900)
    expect(slower.filter((run) => run.p50?.verdict === 'fail').length).toBeGreaterThanOrEqual(85)
  })
})

describe('the error rate of a run looked at after every round (--until-settled)', () => {
  const looked = (lines: ReturnType<typeof syntheticRun>): ComparisonMetric | undefined =>
    timelineMetrics({ lines, old: 'old', new: 'new', schedule: 'interleaved', phases: demoPhases, intervalMs: 500, sliceMs: 2500, tolerances: {}, seed: 1, sequential: { plannedLooks: 12, looks: 3 } })
      .find((metric) => metric.name === 'errorRate')

  it('with no failure in any round: Newcombe on the totals with α spent over the looks, never a zero-width interval', () => {
    const metric = looked(syntheticRun(layout, noEffect, demoNoise, 42))
    expect(metric?.method).toMatch(/^Newcombe/)
    expect(metric?.verdict).toBe('pass')
    // 0 of ~9,000 a side at 1 − 0.05/(3·4): the difference's interval has width, on both sides of zero
    expect(metric?.ci[0]).toBeLessThan(0)
    expect(metric?.ci[1]).toBeGreaterThan(0)
  })

  it('with failures: per-round differences under the always-valid confidence sequence', () => {
    const lines = syntheticRun(layout, noEffect, demoNoise, 42).map((line, i) =>
      line.phase === 'steady' && i % 3 === 0 ? { ...line, failed: 2, ok: line.requests - 2, byStatus: { 200: line.requests - 2, 500: 2 } } : line)
    const metric = looked(lines)
    expect(metric?.method).toContain('always-valid confidence sequence')
    expect(metric?.ci[1]).toBeGreaterThan(metric?.ci[0] ?? Infinity)
  })
})
