import { describe, expect, it } from 'vitest'
import { compareErrorRates } from '../src/analysis/compare/compare-error-rates.js'
import { compareMetric } from '../src/analysis/compare/compare-metric.js'
import { defaultTolerances, metricDirections, minIntervals } from '../src/analysis/compare/defaults.js'
import { hodgesLehmannShift } from '../src/analysis/stats/hodges-lehmann.js'
import { seededRandom } from '../src/core/random.js'
import { standardNormal } from '../src/analysis/stats/random.js'

/** Per-interval values level·exp(σ·x) with x an AR(1) series of unit variance (φ = 0.5). */
function series (seed: number, n: number, level: number, sigma: number, phi = 0.5): number[] {
  const random = seededRandom(seed)
  const values: number[] = []
  let x = standardNormal(random)
  for (let i = 0; i < n; i++) {
    if (i > 0) x = phi * x + Math.sqrt(1 - phi * phi) * standardNormal(random)
    values.push(level * Math.exp(sigma * x))
  }
  return values
}

const p99 = { name: 'p99', direction: 'higher-is-worse', tolerance: defaultTolerances.p99, seed: 7 } as const
const throughput = { name: 'throughput', direction: 'lower-is-worse', tolerance: defaultTolerances.throughput, seed: 7 } as const

describe('defaults', () => {
  it('tolerances and directions when the scenario gives none', () => {
    expect(defaultTolerances).toEqual({
      p50: { kind: 'relative', fraction: 0.10 },
      p95: { kind: 'relative', fraction: 0.10 },
      p99: { kind: 'relative', fraction: 0.10 },
      throughput: { kind: 'relative', fraction: -0.05 },
      errorRate: { kind: 'points', fraction: 0.001 },
      cpuPerRequest: { kind: 'relative', fraction: 0.10 },
      rssMean: { kind: 'relative', fraction: 0.10 },
      rssPeak: { kind: 'relative', fraction: 0.10 }
    })
    expect(metricDirections.throughput).toBe('lower-is-worse')
    expect(metricDirections.p99).toBe('higher-is-worse')
    expect(minIntervals).toBe(10)
  })
})

describe('compareMetric', () => {
  it('latency: a clear 25% regression fails, with the effect and interval in the message', () => {
    const result = compareMetric({ ...p99, old: series(1, 60, 120, 0.1), new: series(2, 60, 150, 0.1) })
    expect(result.verdict).toBe('fail')
    expect(result.scale).toBe('ratio')
    expect(result.limit).toBeCloseTo(1.1, 15)
    expect(result.ci[0]).toBeGreaterThan(1)
    expect(result.estimate).toBe(result.new / result.old)
    expect(result.n).toEqual({ old: 60, new: 60 })
    expect(result.method).toMatch(/^moving-block bootstrap \(blocks of \d+, 2000 resamples\) ratio of medians, 95% percentile CI/)
    expect(result.message).toMatch(/^p99: new \d+ vs old \d+, \+\d+\.\d% \(95% CI \+\d+\.\d% to \+\d+\.\d%\), allowed \+10\.0% — fail/)
  })

  it('is a pure function of its inputs and seed', () => {
    const input = { ...p99, old: series(3, 40, 120, 0.2), new: series(4, 40, 125, 0.2) }
    expect(compareMetric(input)).toEqual(compareMetric(input))
  })

  it('throughput: lower is worse, −5% allowed', () => {
    const old = series(5, 60, 1000, 0.03)
    expect(compareMetric({ ...throughput, old, new: series(6, 60, 900, 0.03) })).toMatchObject({ verdict: 'fail', direction: 'lower-is-worse' })
    expect(compareMetric({ ...throughput, old, new: series(7, 60, 995, 0.03) }).verdict).toBe('pass')
    expect(compareMetric({ ...throughput, old, new: series(8, 60, 1300, 0.03) }).verdict).toBe('pass')
    expect(compareMetric({ ...throughput, old, new: series(6, 60, 900, 0.03) }).limit).toBeCloseTo(0.95, 15)
  })

  it('too few intervals: inconclusive, saying how many more are needed', () => {
    const result = compareMetric({ ...p99, old: series(9, 6, 120, 0.1), new: series(10, 60, 200, 0.1) })
    expect(result.verdict).toBe('inconclusive')
    expect(result.n).toEqual({ old: 6, new: 60 })
    expect(result.message).toBe('p99: only 6 old and 60 new intervals with data; at least 10 per side are needed to judge it — run at least 4 more intervals')
    expect(Number.isFinite(result.ci[0])).toBe(true)
    const single = compareMetric({ ...p99, old: [120], new: [130, 140] })
    expect(single.ci.every(Number.isNaN)).toBe(true)
    expect(single.verdict).toBe('inconclusive')
  })

  it('intervals without a value are dropped before counting', () => {
    const old = [...series(11, 9, 120, 0.1), NaN, NaN, Infinity]
    const result = compareMetric({ ...p99, old, new: series(12, 12, 120, 0.1) })
    expect(result.n.old).toBe(9)
    expect(result.verdict).toBe('inconclusive')
  })

  it('noisy short series: inconclusive with an estimate of the data that would settle it', () => {
    const result = compareMetric({ ...p99, old: series(13, 15, 120, 0.3), new: series(14, 15, 120, 0.3) })
    expect(result.verdict).toBe('inconclusive')
    expect(result.message).toMatch(/roughly [\d.]+× the data \(about [\d,]+ intervals per side\) would likely settle it/)
  })

  it('Hodges–Lehmann on log values estimates the ratio as exp(shift)', () => {
    const old = series(15, 30, 120, 0.1, 0)
    const next = series(16, 30, 126, 0.1, 0)
    const result = compareMetric({ ...p99, old, new: next, method: 'hodges-lehmann' })
    const shift = hodgesLehmannShift(next.map(Math.log), old.map(Math.log))
    expect(result.estimate).toBeCloseTo(Math.exp(shift.estimate), 14)
    expect(result.ci[0]).toBeLessThanOrEqual(Math.exp(shift.ci[0]) + 1e-12)
    expect(result.ci[1]).toBeGreaterThanOrEqual(Math.exp(shift.ci[1]) - 1e-12)
    expect(result.method).toMatch(/^Hodges–Lehmann ratio \(shift of log values\), exact rank-inversion 95% CI/)
    expect(compareMetric({ ...p99, old: [0, ...old], new: next, method: 'hodges-lehmann' }).verdict).toBe('inconclusive')
  })

  it('a tolerance in points judges the difference of a fraction-valued metric', () => {
    const old = series(17, 60, 0.002, 0.1)
    const result = compareMetric({ name: 'timeoutShare', old, new: series(18, 60, 0.0022, 0.1), direction: 'higher-is-worse', tolerance: { kind: 'points', fraction: 0.001 }, seed: 1 })
    expect(result).toMatchObject({ scale: 'difference', limit: 0.001, verdict: 'pass' })
    expect(result.message).toMatch(/allowed \+0\.100pp — pass/)
  })

  it('pairing by interval cancels what both sides share, and drops an interval missing on either side', () => {
    const shared = series(19, 60, 1, 0.3)
    const old = shared.map((v, i) => 120 * v * (1 + 0.01 * Math.sin(i)))
    const next = shared.map((v, i) => 126 * v * (1 + 0.01 * Math.cos(i)))
    const paired = compareMetric({ ...p99, old, new: next, pairing: 'by-interval' })
    const independent = compareMetric({ ...p99, old, new: next })
    expect(paired.ci[1] - paired.ci[0]).toBeLessThan((independent.ci[1] - independent.ci[0]) / 3)
    expect(paired.verdict).toBe('pass')
    expect(paired.method).toContain('paired by interval')
    const gappy = compareMetric({ ...p99, old: [NaN, ...old.slice(1)], new: next, pairing: 'by-interval' })
    expect(gappy.n).toEqual({ old: 59, new: 59 })
    expect(() => compareMetric({ ...p99, old, new: next.slice(1), pairing: 'by-interval' })).toThrow(RangeError)
  })
})

describe('compareErrorRates', () => {
  // Interval values: newcombe(...) and rr(...) of test/stats-rate-test.test.ts (scipy 1.17.1)
  it('default +0.1pp: no failures on either side passes on the difference', () => {
    const result = compareErrorRates({ failedOld: 0, totalOld: 20_000, failedNew: 0, totalNew: 20_000 })
    expect(result).toMatchObject({ verdict: 'pass', scale: 'difference', limit: 0.001, estimate: 0 })
    expect(result.ratio).toBeNaN()
    // Wilson upper end for 0 of n is z²/(n + z²): norm.ppf(0.975)**2 / (20000 + norm.ppf(0.975)**2)
    expect(result.ci[1]).toBeCloseTo(0.00019203605610462553, 16)
    expect(result.method).toBe('Newcombe hybrid score (Wilson) 95% CI of the failure-rate difference new − old')
  })

  it('default +0.1pp: old had none, new 12 of 4000 (0.3%) fails', () => {
    const result = compareErrorRates({ failedOld: 0, totalOld: 4000, failedNew: 12, totalNew: 4000 })
    expect(result.verdict).toBe('fail')
    expect(result.ratio).toBe(Infinity)
    expect(result.ci[0]).toBeCloseTo(0.0013979265520569785, 15) // newcombe(12, 4000, 0, 4000)
    expect(result.ci[1]).toBeCloseTo(0.005236693998005578, 15)
    expect(result.message).toBe('errorRate: new 0.3% (12 of 4000) vs old 0% (0 of 4000), +0.300pp (95% CI +0.140pp to +0.524pp), allowed +0.100pp — fail: new fails clearly more often than old, by more than allowed')
  })

  it('default +0.1pp: 3 of 2000 against none is not clear yet', () => {
    const result = compareErrorRates({ failedOld: 0, totalOld: 2000, failedNew: 3, totalNew: 2000 })
    expect(result.verdict).toBe('inconclusive')
    expect(result.message).toContain('requests per side) would likely settle it')
  })

  it('relative tolerance: the exact rate-ratio interval', () => {
    const tolerance = { kind: 'relative', fraction: 0.1 } as const
    const unclear = compareErrorRates({ failedOld: 15, totalOld: 10_000, failedNew: 30, totalNew: 12_000, tolerance })
    expect(unclear.verdict).toBe('inconclusive')
    expect(unclear.ci[0]).toBeCloseTo(0.8690714475162411, 12) // rr(30, 12000, 15, 10000)
    expect(unclear.ci[1]).toBeCloseTo(3.3332148364805785, 12)
    const steady = compareErrorRates({ failedOld: 1000, totalOld: 100_000, failedNew: 1000, totalNew: 100_000, tolerance })
    // beta.ppf(0.025, 1000, 1001) and beta.isf(0.025, 1001, 1000), mapped by p/(1 − p)
    expect(steady.ci[0]).toBeCloseTo(0.9151605121929256, 12)
    expect(steady.ci[1]).toBeCloseTo(1.0927044891871267, 12)
    expect(steady.verdict).toBe('pass')
    expect(steady.method).toBe('exact conditional binomial test, Clopper–Pearson 95% CI of the failure-rate ratio new/old')
  })

  it('relative tolerance with no failures on old: 0 vs 0 passes, many new failures fail, a few stay inconclusive', () => {
    const tolerance = { kind: 'relative', fraction: 0.1 } as const
    const none = compareErrorRates({ failedOld: 0, totalOld: 20_000, failedNew: 0, totalNew: 20_000, tolerance })
    expect(none.verdict).toBe('pass')
    expect(none.message).toContain('neither side failed')
    const many = compareErrorRates({ failedOld: 0, totalOld: 20_000, failedNew: 60, totalNew: 20_000, tolerance })
    expect(many.verdict).toBe('fail')
    expect(many.ci[1]).toBe(Infinity)
    expect(many.ci[0]).toBeCloseTo(15.77022496185138, 10) // p = beta.ppf(0.025, 60, 1); p/(1 − p)
    const one = compareErrorRates({ failedOld: 0, totalOld: 20_000, failedNew: 1, totalNew: 20_000, tolerance })
    expect(one.verdict).toBe('inconclusive')
    expect(one.message).toContain('a tolerance in points')
  })

  it('a side without requests cannot be compared', () => {
    expect(compareErrorRates({ failedOld: 0, totalOld: 0, failedNew: 0, totalNew: 100 })).toMatchObject({ verdict: 'inconclusive', message: 'errorRate: old answered no requests, so failure rates cannot be compared' })
    expect(() => compareErrorRates({ failedOld: 5, totalOld: 4, failedNew: 0, totalNew: 100 })).toThrow(RangeError)
  })
})
