import { describe, expect, it } from 'vitest'
import { judgeNonInferiority, limitFor } from '../src/analysis/compare/non-inferiority.js'

// The rule (src/analysis/compare/non-inferiority.ts): pass when the bad end and the estimate are within the limit;
// fail when the estimate is beyond it and the whole interval is worse than no change; inconclusive otherwise.
describe('non-inferiority verdict', () => {
  const latency = { scale: 'ratio', direction: 'higher-is-worse', margin: 0.10 } as const

  it.each([
    ['within the margin', 1.02, [0.98, 1.07], 'pass', 'within-limit'],
    ['on the limit counts as within', 1.1, [1.0, 1.1], 'pass', 'within-limit'],
    ['the whole interval beyond the limit', 1.2, [1.12, 1.3], 'fail', 'beyond-limit'],
    ['estimate beyond, interval clear of no change', 1.15, [1.02, 1.3], 'fail', 'beyond-limit'],
    ['estimate beyond, interval includes no change', 1.15, [0.95, 1.4], 'inconclusive', 'not-clearly-worse'],
    ['estimate within, bad end beyond', 1.05, [0.97, 1.14], 'inconclusive', 'interval-too-wide'],
    ['new better: interval below no change', 0.8, [0.7, 0.9], 'pass', 'within-limit']
  ] as const)('latency, +10 percent allowed: %s', (_case, estimate, ci, verdict, reason) => {
    expect(judgeNonInferiority({ ...latency, estimate, ci })).toMatchObject({ verdict, reason, limit: 1.1 })
  })

  it('says how much more data would settle an inconclusive verdict (interval narrowing as 1/√n on a log scale)', () => {
    // (ln 1.14 − ln 1.05)² / (ln 1.10 − ln 1.05)² = (0.0822381 / 0.0465200)²
    const wide = judgeNonInferiority({ ...latency, estimate: 1.05, ci: [0.97, 1.14] })
    expect(wide.dataFactor).toBeCloseTo((Math.log(1.14 / 1.05) / Math.log(1.10 / 1.05)) ** 2, 12)
    expect(wide.dataFactor).toBeCloseTo(3.1251, 4)
    // (ln 1.15 − ln 0.95)² / (ln 1.15)²
    const unclear = judgeNonInferiority({ ...latency, estimate: 1.15, ci: [0.95, 1.4] })
    expect(unclear.dataFactor).toBeCloseTo((Math.log(1.15 / 0.95) / Math.log(1.15)) ** 2, 12)
    expect(judgeNonInferiority({ ...latency, estimate: 1.02, ci: [0.98, 1.07] }).dataFactor).toBeNaN()
  })

  it.each([
    ['steady', 0.99, [0.96, 1.02], 'pass'],
    ['clearly lower', 0.90, [0.86, 0.94], 'fail'],
    ['possibly lower', 0.97, [0.93, 1.01], 'inconclusive'],
    ['higher is fine', 1.3, [1.2, 1.4], 'pass']
  ] as const)('throughput, −5 percent allowed (lower is worse): %s', (_case, estimate, ci, verdict) => {
    const judged = judgeNonInferiority({ scale: 'ratio', direction: 'lower-is-worse', margin: 0.05, estimate, ci })
    expect(judged.verdict).toBe(verdict)
    expect(judged.limit).toBeCloseTo(0.95, 15)
  })

  it.each([
    ['within', 0.0002, [-0.0003, 0.0008], 'pass'],
    ['beyond', 0.003, [0.0014, 0.0052], 'fail'],
    ['unclear', 0.0015, [-0.0007, 0.0044], 'inconclusive']
  ] as const)('error rate +0.1pp on the difference: %s', (_case, estimate, ci, verdict) => {
    expect(judgeNonInferiority({ scale: 'difference', direction: 'higher-is-worse', margin: 0.001, estimate, ci }).verdict).toBe(verdict)
  })

  it('a margin is a magnitude: its sign does not flip the direction', () => {
    expect(limitFor('ratio', 'lower-is-worse', -0.05)).toBeCloseTo(0.95, 15)
    expect(limitFor('ratio', 'lower-is-worse', 0.05)).toBeCloseTo(0.95, 15)
    expect(limitFor('ratio', 'higher-is-worse', -0.1)).toBeCloseTo(1.1, 15)
    expect(limitFor('difference', 'lower-is-worse', 0.02)).toBe(-0.02)
    expect(limitFor('ratio', 'lower-is-worse', 1.5)).toBe(0)
  })

  it('a zero margin becomes a plain one-sided test', () => {
    const zero = { scale: 'ratio', direction: 'higher-is-worse', margin: 0 } as const
    expect(judgeNonInferiority({ ...zero, estimate: 1.01, ci: [0.99, 1.03] }).verdict).toBe('inconclusive')
    expect(judgeNonInferiority({ ...zero, estimate: 1.02, ci: [1.01, 1.03] }).verdict).toBe('fail')
    expect(judgeNonInferiority({ ...zero, estimate: 0.98, ci: [0.97, 1.0] }).verdict).toBe('pass')
  })

  it('no estimate, no verdict', () => {
    expect(judgeNonInferiority({ ...latency, estimate: NaN, ci: [NaN, NaN] })).toMatchObject({ verdict: 'inconclusive', reason: 'no-estimate' })
  })
})
