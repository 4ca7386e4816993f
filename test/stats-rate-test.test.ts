import { describe, expect, it } from 'vitest'
import { binomialTestPValue, clopperPearsonInterval } from '../src/analysis/stats/binomial.js'
import { failureRateDifference, poissonRateRatio } from '../src/analysis/stats/rate-test.js'
import { newcombeDifferenceInterval, wilsonInterval } from '../src/analysis/stats/wilson.js'

// Reference: scipy 1.17.1 (`from scipy.stats import binomtest, beta`); the call that produced each constant is next to it.
const relative = (actual: number, expected: number, tolerance = 1e-12): void => {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(tolerance)
}

describe('exact binomial test (scipy binomtest)', () => {
  it.each([
    ['binomtest(3, 100, 0.1).pvalue', binomialTestPValue(3, 100, 0.1), 0.017843766383309492],
    ['binomtest(17, 100, 0.1).pvalue', binomialTestPValue(17, 100, 0.1), 0.02843529726648458],
    ['binomtest(7, 20, 0.5).pvalue', binomialTestPValue(7, 20, 0.5), 0.26317596435546875],
    ["binomtest(2, 12, 1/3, alternative='less').pvalue", binomialTestPValue(2, 12, 1 / 3, 'less'), 0.18112264578758525],
    ["binomtest(40, 60, 0.5, alternative='greater').pvalue", binomialTestPValue(40, 60, 0.5, 'greater'), 0.00674464686559593],
    ['binomtest(6, 6, 0.5).pvalue', binomialTestPValue(6, 6, 0.5), 0.03125]
  ])('%s', (_call, actual, expected) => {
    relative(actual, expected)
  })

  it('k at the expected count gives 1', () => {
    expect(binomialTestPValue(5, 10, 0.5)).toBe(1)
  })
})

describe('Clopper–Pearson interval', () => {
  it('3 of 100: beta.ppf(0.025, 3, 98) and beta.isf(0.025, 4, 97)', () => {
    const [low, high] = clopperPearsonInterval(3, 100)
    relative(low, 0.006229971538306395) // beta.ppf(0.025, 3, 98)
    relative(high, 0.08517605297428003) // beta.isf(0.025, 4, 97)
    // binomtest(3, 100).proportion_ci(method='exact') -> (0.006229971538306227, 0.08517605297428028): scipy finds
    // these with brentq (xtol 2e-12), so it agrees to that tolerance only
    expect(Math.abs(low - 0.006229971538306227)).toBeLessThan(2e-12)
    expect(Math.abs(high - 0.08517605297428028)).toBeLessThan(2e-12)
  })

  it('0 of 50 has a lower end of exactly 0', () => {
    const [low, high] = clopperPearsonInterval(0, 50)
    expect(low).toBe(0)
    relative(high, 0.07112173646420458, 1e-10) // binomtest(0, 50).proportion_ci(method='exact').high (brentq)
    relative(high, 1 - 0.025 ** (1 / 50)) // closed form for k = 0: 1 − (α/2)^(1/n)
  })
})

describe('Poisson rate ratio by the exact conditional test', () => {
  // rr(xn, en, xo, eo): N = xn + xo; CI of π = [beta.ppf(0.025, xn, N-xn+1), beta.isf(0.025, xn+1, N-xn)],
  // mapped by R = π/(1−π)·eo/en; p = binomtest(xn, N, en/(en+eo)).pvalue
  it('30 failures in 12 000 requests against 15 in 10 000', () => {
    const result = poissonRateRatio({ failuresNew: 30, exposureNew: 12_000, failuresOld: 15, exposureOld: 10_000 })
    relative(result.ratio, 1.6666666666666667)
    relative(result.ci[0], 0.8690714475162411) // rr(30, 12000, 15, 10000)
    relative(result.ci[1], 3.3332148364805785)
    relative(result.pValue, 0.13355077181900946)
  })

  it('8 in 20 000 against 10 in 20 000', () => {
    const result = poissonRateRatio({ failuresNew: 8, exposureNew: 20_000, failuresOld: 10, exposureOld: 20_000 })
    relative(result.ci[0], 0.2743748196462577) // rr(8, 20000, 10, 20000)
    relative(result.ci[1], 2.2512748517055132)
    relative(result.pValue, 0.8145294189453125)
  })

  it('old without failures: the ratio and its upper end are infinite, the lower end is still informative', () => {
    const result = poissonRateRatio({ failuresNew: 6, exposureNew: 1000, failuresOld: 0, exposureOld: 1000 })
    expect(result.ratio).toBe(Infinity)
    expect(result.ci[1]).toBe(Infinity)
    // beta.ppf(0.025, 6, 1) = 0.5407418735600995 -> ratio 0.54074/(1 − 0.54074) = 1.1774247257241781
    relative(result.ci[0], 1.1774247257241781, 1e-11)
    relative(result.pValue, 0.03125) // binomtest(6, 6, 0.5).pvalue
  })

  it('new without failures: ratio 0 and lower end 0', () => {
    const result = poissonRateRatio({ failuresNew: 0, exposureNew: 5000, failuresOld: 4, exposureOld: 5000 })
    expect(result.ratio).toBe(0)
    expect(result.ci[0]).toBe(0)
    relative(result.ci[1], 1.5148668593658703) // rr(0, 5000, 4, 5000)
    relative(result.pValue, 0.125) // binomtest(0, 4, 0.5).pvalue
  })

  it('no failures at all: no estimate, an unbounded interval, p = 1', () => {
    const result = poissonRateRatio({ failuresNew: 0, exposureNew: 5000, failuresOld: 0, exposureOld: 5000 })
    expect(result.ratio).toBeNaN()
    expect(result.ci).toEqual([0, Infinity])
    expect(result.pValue).toBe(1)
  })
})

describe('Wilson and Newcombe intervals', () => {
  it.each([
    // binomtest(k, n).proportion_ci(method='wilson')
    [0, 50, 0, 0.07134759913335872],
    [3, 100, 0.010254524024038925, 0.08451936429052762],
    [50, 50, 0.9286524008666412, 1]
  ])('Wilson %i of %i', (k, n, low, high) => {
    const ci = wilsonInterval(k, n)
    if (low === 0) expect(ci[0]).toBe(0)
    else relative(ci[0], low)
    if (high === 1) expect(ci[1]).toBe(1)
    else relative(ci[1], high)
  })

  /*
   * Newcombe (1998), Statistics in Medicine 17:873–890, Table II, method 10 (hybrid score), published to 4 decimals:
   * 56/70 − 48/80: 0.0524 to 0.3339; 9/10 − 3/10: 0.1705 to 0.8090; 6/7 − 2/7: 0.0582 to 0.8062; 5/56 − 0/29: −0.0381 to 0.1926.
   * Full-precision values from this script (scipy's Wilson interval, combined as in the paper):
   *   from scipy.stats import binomtest
   *   def wilson(k, n): ci = binomtest(k, n).proportion_ci(method='wilson'); return ci.low, ci.high
   *   def newcombe(k1, n1, k2, n2):
   *       p1, p2 = k1 / n1, k2 / n2; l1, u1 = wilson(k1, n1); l2, u2 = wilson(k2, n2); d = p1 - p2
   *       return d - ((p1 - l1)**2 + (u2 - p2)**2)**0.5, d + ((u1 - p1)**2 + (p2 - l2)**2)**0.5
   */
  it.each([
    [56, 70, 48, 80, 0.052431472402364815, 0.3338726540369059],
    [9, 10, 3, 10, 0.17052272393450302, 0.8090179735354881],
    [6, 7, 2, 7, 0.0582279274823122, 0.8062496375242278],
    [5, 56, 0, 29, -0.03813714790353688, 0.1925600138551116],
    [0, 10, 0, 20, -0.16112515805281935, 0.27753279986288926],
    [3, 20_000, 1, 20_000, -0.0001533296435455562, 0.0003938623954147137],
    [0, 5000, 0, 5000, -0.0007677019450571243, 0.0007677019450571243],
    [12, 4000, 0, 4000, 0.0013979265520569785, 0.005236693998005578]
  ])('Newcombe %i/%i − %i/%i', (k1, n1, k2, n2, low, high) => {
    const ci = newcombeDifferenceInterval(k1, n1, k2, n2)
    relative(ci[0], low, 1e-11)
    relative(ci[1], high, 1e-11)
  })

  it('matches the published four-decimal values', () => {
    const rounded = (ci: [number, number]): number[] => ci.map((v) => Math.round(v * 1e4) / 1e4)
    expect(rounded(newcombeDifferenceInterval(56, 70, 48, 80))).toEqual([0.0524, 0.3339])
    expect(rounded(newcombeDifferenceInterval(9, 10, 3, 10))).toEqual([0.1705, 0.8090])
    expect(rounded(newcombeDifferenceInterval(5, 56, 0, 29))).toEqual([-0.0381, 0.1926])
  })

  it('the failure-rate difference is new − old, in fractions of 1', () => {
    const result = failureRateDifference({ failuresNew: 12, exposureNew: 4000, failuresOld: 0, exposureOld: 4000 })
    expect(result.difference).toBe(0.003)
    relative(result.ci[0], 0.0013979265520569785, 1e-11) // newcombe(12, 4000, 0, 4000)
  })
})
