import { describe, expect, it } from 'vitest'
import { ar1BlockVarianceRatio, ar1EffectiveSize, rankLag1Autocorrelation } from '../src/analysis/stats/autocorrelation.js'
import { politisWhiteBlockLength } from '../src/analysis/stats/block-length.js'
import { autoBlockLength, blockBootstrapContrast, cubeRootBlockLength } from '../src/analysis/stats/bootstrap.js'
import { normalQuantile } from '../src/analysis/stats/normal.js'
import { seededRandom } from '../src/core/random.js'
import { standardNormal } from '../src/analysis/stats/random.js'
import { studentTQuantile } from '../src/analysis/stats/student-t.js'
import { mean, median, medianInPlace } from '../src/analysis/stats/summary.js'

/** An AR(1) series x[i] = φ·x[i−1] + √(1 − φ²)·ε with unit variance. */
function ar1 (seed: number, n: number, phi: number): number[] {
  const random = seededRandom(seed)
  const values: number[] = []
  let x = standardNormal(random)
  for (let i = 0; i < n; i++) {
    if (i > 0) x = phi * x + Math.sqrt(1 - phi * phi) * standardNormal(random)
    values.push(x)
  }
  return values
}

const latencies = (seed: number, n = 60, level = 100): number[] => ar1(seed, n, 0.5).map((x) => level * Math.exp(0.1 * x))

describe('moving-block bootstrap', () => {
  it('is a pure function of its seed', () => {
    const old = latencies(1)
    const next = latencies(2)
    const options = { statistic: medianInPlace, contrast: 'ratio', seed: 42, resamples: 500 } as const
    const first = blockBootstrapContrast(old, next, options)
    expect(blockBootstrapContrast(old, next, options)).toEqual(first)
    expect(blockBootstrapContrast(old, next, { ...options, seed: 43 }).ci).not.toEqual(first.ci)
    expect(first.estimate).toBe(median(next) / median(old))
  })

  it('constant series give a degenerate interval at the exact ratio or difference', () => {
    const old = new Array(30).fill(200)
    const next = new Array(30).fill(220)
    const ratio = blockBootstrapContrast(old, next, { statistic: medianInPlace, contrast: 'ratio', seed: 1, resamples: 200 })
    expect(ratio.estimate).toBeCloseTo(1.1, 15)
    expect(ratio.ci[0]).toBeCloseTo(1.1, 15)
    expect(ratio.ci[1]).toBeCloseTo(1.1, 15)
    const difference = blockBootstrapContrast(old, next, { statistic: mean, contrast: 'difference', seed: 1, resamples: 200 })
    expect(difference).toMatchObject({ estimate: 20, ci: [20, 20] })
  })

  it('resamples whole blocks: with one block as long as the series every resample is the series itself', () => {
    const old = latencies(3, 12)
    const next = latencies(4, 12)
    const result = blockBootstrapContrast(old, next, { statistic: medianInPlace, contrast: 'ratio', seed: 5, resamples: 50, blockLength: 12 })
    expect(result.ci).toEqual([result.estimate, result.estimate])
  })

  it('block length: round(n^(1/3)) for independent values, longer for autocorrelated ones', () => {
    expect(cubeRootBlockLength(60)).toBe(4) // 60^(1/3) = 3.91
    expect(cubeRootBlockLength(240)).toBe(6) // 6.21
    expect(autoBlockLength(ar1(7, 60, 0), ar1(8, 60, 0))).toBe(4)
    expect(politisWhiteBlockLength(ar1(9, 500, 0))).toBeLessThanOrEqual(2)
    // AR(1) with φ = 0.8: the Politis–White optimum is (2G²/D)^(1/3)·n^(1/3) with G = 2φ/(1−φ)², D = (4/3)((1+φ)/(1−φ))²,
    // that is 3.09·500^(1/3) ≈ 24.5; a single series estimates it roughly
    const estimated = politisWhiteBlockLength(ar1(10, 500, 0.8))
    expect(estimated).toBeGreaterThanOrEqual(12)
    expect(estimated).toBeLessThanOrEqual(40)
  })

  it('stretches the percentile interval for autocorrelation and few effective intervals', () => {
    const old = ar1(11, 60, 0.5).map((x) => 100 + x)
    const next = ar1(12, 60, 0.5).map((x) => 100 + x)
    const options = { statistic: mean, contrast: 'difference', seed: 3, resamples: 1000, blockLength: 4 } as const
    const widened = blockBootstrapContrast(old, next, options)
    const plain = blockBootstrapContrast(old, next, { ...options, smallSampleCorrection: false })
    expect(plain.widening).toBe(1)
    const rhoOld = rankLag1Autocorrelation(old)
    const rhoNew = rankLag1Autocorrelation(next)
    const rho = Math.min(0.95, Math.max(0, (rhoOld + rhoNew) / 2))
    expect(widened.lag1Autocorrelation).toBe(rho)
    expect(widened.effectiveIntervals).toBeCloseTo(60 * (1 - rho) / (1 + rho), 12)
    const factor = Math.sqrt((ar1BlockVarianceRatio(rhoOld, 4) + ar1BlockVarianceRatio(rhoNew, 4)) / 2) *
      studentTQuantile(0.975, widened.effectiveIntervals - 1) / normalQuantile(0.975)
    expect(widened.widening).toBeCloseTo(factor, 12)
    expect(widened.ci[0]).toBeCloseTo(widened.estimate - factor * (widened.estimate - plain.ci[0]), 12)
    expect(widened.ci[1]).toBeCloseTo(widened.estimate + factor * (plain.ci[1] - widened.estimate), 12)
  })

  it('AR(1) corrections: effective size, the variance a block bootstrap misses, the rank lag-1 correlation', () => {
    expect(ar1EffectiveSize(60, 0.5)).toBe(20) // 60·0.5/1.5
    expect(ar1EffectiveSize(60, -0.3)).toBe(60) // negative correlation is not credited
    // (1 + 0.5)/(1 − 0.5) = 3 over the Bartlett sum 1 + 2·(0.75·0.5 + 0.5·0.25 + 0.25·0.125) = 2.0625
    expect(ar1BlockVarianceRatio(0.5, 4)).toBeCloseTo(3 / 2.0625, 15)
    expect(ar1BlockVarianceRatio(0.5, 1)).toBeCloseTo(3, 15)
    expect(ar1BlockVarianceRatio(0, 4)).toBe(1)
    // ranks 1..6 centred: Σ d(i)d(i+1) = 8.75 over Σ d² = 17.5 is 0.5, plus the bias (1 + 4·0.5)/6
    expect(rankLag1Autocorrelation([10, 20, 30, 40, 50, 60])).toBeCloseTo(0.5 + 3 / 6, 15)
    // a long AR(1) with φ = 0.7: the rank correlation is (6/π)·asin(φ/2) = 0.6818 for Gaussian data
    expect(rankLag1Autocorrelation(ar1(14, 5000, 0.7))).toBeCloseTo(0.68, 1)
  })

  it('pairing by interval cancels noise the two sides share', () => {
    const shared = ar1(13, 60, 0.5)
    const old = shared.map((x, i) => 100 * Math.exp(0.3 * x + 0.02 * Math.sin(i)))
    const next = shared.map((x, i) => 105 * Math.exp(0.3 * x + 0.02 * Math.cos(i)))
    const options = { statistic: medianInPlace, contrast: 'ratio', seed: 9, resamples: 1000 } as const
    const paired = blockBootstrapContrast(old, next, { ...options, paired: true })
    const independent = blockBootstrapContrast(old, next, options)
    const width = (ci: [number, number]): number => ci[1] - ci[0]
    expect(width(paired.ci)).toBeLessThan(width(independent.ci) / 3)
    expect(paired.ci[0]).toBeLessThan(1.05)
    expect(paired.ci[1]).toBeGreaterThan(1.05)
    expect(() => blockBootstrapContrast(old, next.slice(1), { ...options, paired: true })).toThrow(RangeError)
  })

  it('medianInPlace agrees with a sorted median, ties and even lengths included', () => {
    const random = seededRandom(21)
    for (let trial = 0; trial < 500; trial++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 40) }, () => Math.floor(random() * (trial % 2 === 0 ? 4 : 1000)))
      expect(medianInPlace(Float64Array.from(values))).toBe(median(values))
    }
  })
})
