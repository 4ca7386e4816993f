// Paired means of round contrasts (with the ABBA order as a covariate) and the always-valid confidence sequence.
import { describe, expect, it } from 'vitest'
import { mixtureHalfWidth, mixtureRhoSquared, sequentialInterval } from '../src/analysis/stats/confidence-sequence.js'
import { pairedMean } from '../src/analysis/stats/paired-mean.js'
import { standardNormal } from '../src/analysis/stats/random.js'
import { studentTQuantile } from '../src/analysis/stats/student-t.js'
import { seededRandom } from '../src/core/random.js'

const contrasts = [0.031, 0.052, -0.004, 0.066, 0.018, 0.047, 0.009, 0.071, 0.025, 0.058]
const newFirst = contrasts.map((_, i) => i % 2 === 1)

describe('pairedMean', () => {
  it('regresses the contrasts on the order: scipy.stats.linregress(order, contrasts) intercept and intercept_stderr', () => {
    // scipy 1.17: linregress([-1, 1, ...], d) → intercept 0.0373, intercept_stderr 0.0037841775856848996, slope 0.0215
    const fit = pairedMean(contrasts, newFirst)
    expect(fit.orderAdjusted).toBe(true)
    expect(fit.estimate).toBeCloseTo(0.0373, 12)
    expect(fit.standardError).toBeCloseTo(0.0037841775856848996, 12)
    expect(fit.residualSd).toBeCloseTo(0.011966620241321273, 12)
    expect(fit.degreesOfFreedom).toBe(8)
    // unbalanced: seven rounds, four with old first
    const seven = pairedMean(contrasts.slice(0, 7), newFirst.slice(0, 7))
    expect(seven.estimate).toBeCloseTo(0.034249999999999996, 12)
    expect(seven.standardError).toBeCloseTo(0.004970328627632853, 12)
  })

  it('neighbouring rounds that are alike widen the interval: γ0 + 2γ1 of the residuals (numpy OLS residuals, lag-1 autocovariance)', () => {
    // numpy: linregress intercept 0.049 (plain stderr 0.0038405728739343043); residual γ0 0.0001475, γ1 0.00010625 over df 8;
    // √((γ0 + 2γ1)·(X'X)⁻¹₀₀) = 0.006, √(γ0 + 2γ1) = 0.018973665961010275
    const drifting = [0.03, 0.035, 0.04, 0.045, 0.05, 0.06, 0.065, 0.06, 0.055, 0.05]
    const fit = pairedMean(drifting, newFirst)
    expect(fit.estimate).toBeCloseTo(0.049, 12)
    expect(fit.standardError).toBeCloseTo(0.006, 12)
    expect(fit.residualSd).toBeCloseTo(0.018973665961010275, 12)
  })

  it('without both orders it is the one-sample mean: numpy mean 0.0373, scipy.stats.sem 0.008005623023850173', () => {
    const plain = pairedMean(contrasts)
    expect(plain.orderAdjusted).toBe(false)
    expect(plain.estimate).toBeCloseTo(0.0373, 12)
    expect(plain.standardError).toBeCloseTo(0.008005623023850173, 12)
    expect(plain.degreesOfFreedom).toBe(9)
    // scipy.stats.t.interval(0.95, 9, loc=0.0373, scale=sem) → (0.019190022533935105, 0.055409977466064894)
    const half = studentTQuantile(0.975, 9) * plain.standardError
    expect(plain.estimate - half).toBeCloseTo(0.019190022533935105, 9)
    expect(plain.estimate + half).toBeCloseTo(0.055409977466064894, 9)
  })

  it('the order covariate takes a drift both services share out of the effect and out of its variance', () => {
    const random = seededRandom(11)
    // new is 5% slower; the machine speeds up 2% per slice, so the second slice of each round looks 2% faster
    const rounds = 12
    const drifted = Array.from({ length: rounds }, (_, i) => 0.05 + (i % 2 === 1 ? 0.02 : -0.02) + 0.003 * standardNormal(random))
    const order = drifted.map((_, i) => i % 2 === 1)
    const adjusted = pairedMean(drifted, order)
    const plain = pairedMean(drifted)
    expect(adjusted.estimate).toBeCloseTo(0.05, 2)
    expect(adjusted.standardError).toBeLessThan(plain.standardError / 3)
  })
})

describe('the confidence sequence (Waudby-Smith et al. 2024, eq. 3; closed form evaluated with numpy)', () => {
  it('matches the closed form', () => {
    // numpy: rho² = (−2 log 0.05 + log(−2 log 0.05 + 1)) / 20 = 0.39680773008687825
    expect(mixtureRhoSquared(0.05, 20)).toBeCloseTo(0.39680773008687825, 12)
    expect(mixtureHalfWidth(10, 0.02, 0.05, 20)).toBeCloseTo(0.01950220091808233, 12)
    expect(mixtureHalfWidth(40, 1, 0.05, 20)).toBeCloseTo(0.4840620508169426, 12)
    // with the small-sample factor t(8)/z: 0.022945399159073822
    const [low, high] = sequentialInterval(0, 0.02, 10, 8, 0.05, 20)
    expect(high).toBeCloseTo(0.022945399159073822, 9)
    expect(low).toBeCloseTo(-0.022945399159073822, 9)
  })

  it('covers the mean at every look at once: looked at after each of 6…60 rounds, it misses at most 5% of runs; a fixed t interval looked at as often misses far more', () => {
    const random = seededRandom(5)
    const runs = 1000
    let sequenceMissed = 0
    let fixedMissed = 0
    for (let run = 0; run < runs; run++) {
      const values: number[] = []
      let sequenceMiss = false
      let fixedMiss = false
      for (let n = 1; n <= 60; n++) {
        values.push(standardNormal(random))
        if (n < 6) continue
        const fit = pairedMean(values)
        const [low, high] = sequentialInterval(fit.estimate, fit.residualSd, n, fit.degreesOfFreedom, 0.05, 20)
        if (low > 0 || high < 0) sequenceMiss = true
        const half = studentTQuantile(0.975, fit.degreesOfFreedom) * fit.standardError
        if (Math.abs(fit.estimate) > half) fixedMiss = true
      }
      if (sequenceMiss) sequenceMissed++
      if (fixedMiss) fixedMissed++
    }
    // python simulation of the same construction: 4.7% (4000 runs)
    expect(sequenceMissed / runs).toBeLessThanOrEqual(0.065)
    expect(fixedMissed / runs).toBeGreaterThan(0.15)
  })
})
