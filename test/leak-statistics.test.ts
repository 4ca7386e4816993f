import { describe, expect, it } from 'vitest'
import { twoSidedNormalPValue } from '../src/analysis/leak/normal.js'
import { erfc, normalCdf, normalQuantile } from '../src/analysis/stats/normal.js'
import {
  autocorrelation, averageRanks, hamedRaoMannKendall, mannKendall, mannKendallS, mannKendallVariance, senSlopePerIndex, tieGroupSizes
} from '../src/analysis/leak/mann-kendall.js'
import { blockedTheilSen, medianOf, roundHalfEven, senInterval, senVarianceS, theilSen } from '../src/analysis/leak/theil-sen.js'

/*
 * Reference values below come from this script (python3, numpy 2.4, scipy 1.17;
 * pymannkendall is not installable here, so its Hamed–Rao test is re-implemented
 * line for line from its hamed_rao_modification_test):
 *
 *   import numpy as np
 *   from scipy.stats import norm, rankdata, kendalltau, theilslopes
 *   def mk(x):  # Mann-Kendall with tie-corrected variance
 *       x = np.asarray(x, float); n = len(x)
 *       s = sum(np.sign(x[j] - x[i]) for i in range(n - 1) for j in range(i + 1, n))
 *       _, t = np.unique(x, return_counts=True)
 *       var = (n*(n-1)*(2*n+5) - np.sum(t*(t-1)*(2*t+5))) / 18
 *       z = (s - np.sign(s)) / np.sqrt(var) if s != 0 else 0.0
 *       return s, var, z, 2*norm.sf(abs(z)), s / (n*(n-1)/2)
 *   def hamed_rao(x, alpha=0.05):
 *       x = np.asarray(x, float); n = len(x)
 *       s, var, _, _, _ = mk(x)
 *       slope = np.median([(x[j]-x[i])/(j-i) for i in range(n-1) for j in range(i+1, n)])
 *       I = rankdata(x - np.arange(1, n+1) * slope)
 *       y = I - I.mean(); acov = np.correlate(y, y, 'full')[n-1:] / n; rho = acov / acov[0]
 *       bound = norm.ppf(1 - alpha/2) / np.sqrt(n)
 *       lags = [i for i in range(1, n) if abs(rho[i]) > bound]
 *       factor = 1 + 2/(n*(n-1)*(n-2)) * sum((n-i)*(n-i-1)*(n-i-2)*rho[i] for i in lags)
 *       z = (s - np.sign(s)) / np.sqrt(var*factor) if s != 0 else 0.0
 *       return s, var*factor, factor, lags, z, 2*norm.sf(abs(z))
 *   def sen_ci(y, x, var_s, alpha=0.95):  # theilslopes' interval with a given Var(S)
 *       x = np.asarray(x, float); y = np.asarray(y, float)
 *       dx = x[:, None] - x; dy = y[:, None] - y
 *       slopes = np.sort(dy[dx > 0] / dx[dx > 0]); nt = len(slopes)
 *       z = norm.ppf((1 - alpha) / 2)
 *       return (slopes[max(int(np.round((nt + z*np.sqrt(var_s))/2.)) - 1, 0)],
 *               slopes[min(int(np.round((nt - z*np.sqrt(var_s))/2.)), nt-1)])
 */

const ties = [3, 5, 4, 4, 7, 6, 8, 8, 9, 5, 10, 12, 11, 11, 13]
// wavy = [round(0.3*i + 3*np.sin(i/2), 3) for i in range(30)]: a trend under a slow oscillation (autocorrelated).
const wavy = [
  0, 1.738, 3.124, 3.892, 3.928, 3.295, 2.223, 1.048, 0.13, -0.233, 0.123, 1.183, 2.762, 4.545, 6.171,
  7.314, 7.768, 7.495, 6.636, 5.475, 4.368, 3.661, 3.6, 4.274, 5.59, 7.301, 9.061, 10.511, 11.372, 11.505
]

describe('standard normal', () => {
  it('matches scipy.special.erfc and scipy.stats.norm', () => {
    // scipy: erfc(0.5) = 0.4795001221869535, erfc(2.5) = 0.00040695201744495886, erfc(6) = 2.1519736712498913e-17
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 15)
    expect(erfc(2.5) / 0.00040695201744495886).toBeCloseTo(1, 13)
    expect(erfc(6) / 2.1519736712498913e-17).toBeCloseTo(1, 13)
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028516, 15)
    // norm.cdf(-1.3) = 0.09680048458561036; 2*norm.sf(2.5) = 0.012419330651552265
    expect(normalCdf(-1.3)).toBeCloseTo(0.09680048458561036, 15)
    expect(twoSidedNormalPValue(-2.5)).toBeCloseTo(0.012419330651552265, 15)
    // norm.ppf(0.025) = -1.959963984540054, norm.ppf(0.005) = -2.575829303548901, norm.ppf(1e-10) = -6.361340902404056
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 12)
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829303548901, 12)
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 11)
    expect(normalQuantile(0.5)).toBe(0)
  })
})

describe('Mann–Kendall', () => {
  it('computes S, the tie-corrected variance, Z, p and tau (reference: mk(ties) above)', () => {
    // mk(ties) -> (81, 404.3333333333333, 3.978507800654423, 6.934913646530939e-05, 0.7714285714285715)
    const result = mannKendall(ties)
    expect(result.s).toBe(81)
    expect(tieGroupSizes(ties)).toEqual([2, 2, 2, 2])
    expect(result.varianceS).toBeCloseTo(404.3333333333333, 10)
    expect(result.z).toBeCloseTo(3.978507800654423, 12)
    expect(result.pValue).toBeCloseTo(6.934913646530939e-5, 15)
    expect(result.tau).toBeCloseTo(0.7714285714285715, 15)
  })

  it('agrees with scipy.stats.kendalltau(x, range(n)) on tau-b and hence S', () => {
    // kendalltau(ties, range(15)).statistic = 0.7865560618750699 (tau-b: 81 / sqrt(105 * (105 - 4)))
    expect(mannKendall(ties).tauB).toBeCloseTo(0.7865560618750699, 14)
    // kendalltau(wavy, range(30)).statistic = 0.5448275862068965 = S / 435 with no ties
    const wavyResult = mannKendall(wavy)
    expect(wavyResult.tauB).toBeCloseTo(0.5448275862068965, 14)
    expect(wavyResult.s).toBe(237)
    expect(wavyResult.varianceS).toBeCloseTo(3141.6666666666665, 9)
    expect(wavyResult.z).toBeCloseTo(4.210483316826372, 12)
    expect(wavyResult.pValue).toBeCloseTo(2.5482494200248003e-5, 15)
  })

  it('has S = 0 and p = 1 without trend, and the n = 30 variance by hand: 30·29·65/18 = 3141.67', () => {
    expect(mannKendallS([1, 1, 1])).toBe(0)
    expect(mannKendall([1, 2, 2, 1]).pValue).toBeCloseTo(1, 12)
    expect(mannKendallVariance(Array.from({ length: 30 }, (_, i) => i))).toBeCloseTo((30 * 29 * 65) / 18, 10)
  })

  it('applies the Hamed–Rao correction (reference: hamed_rao(wavy) above)', () => {
    // hamed_rao(wavy) -> (237, 4831.352839133427, 1.537831142429738, [1, 2, 5, 6, 7, 8, 11, 12, 13, 14, 19],
    //                     3.3952958696293565, 0.0006855447333446112)
    const result = hamedRaoMannKendall(wavy)
    expect(result.s).toBe(237)
    expect(result.significantLags).toEqual([1, 2, 5, 6, 7, 8, 11, 12, 13, 14, 19])
    expect(result.correctionFactor).toBeCloseTo(1.537831142429738, 12)
    expect(result.varianceS).toBeCloseTo(4831.352839133427, 8)
    expect(result.z).toBeCloseTo(3.3952958696293565, 12)
    expect(result.pValue).toBeCloseTo(0.0006855447333446112, 14)
  })

  it('ranks, autocorrelates and Sen-slopes like rankdata, statsmodels acf and pymannkendall', () => {
    expect(averageRanks([10, 20, 10, 30])).toEqual([1.5, 3, 1.5, 4])
    // acf([1, 2, 3, 4, 5]) by hand: acov0 = 10/5, acov1 = 4/5, acov2 = -1/5 -> [1, 0.4, -0.1]
    const acf = autocorrelation([1, 2, 3, 4, 5], 2)
    expect(acf[0]).toBe(1)
    expect(acf[1]).toBeCloseTo(0.4, 15)
    expect(acf[2]).toBeCloseTo(-0.1, 15)
    // slopes per step of [1, 3, 2, 5]: 2, 0.5, 4/3, -1, 1, 3 -> median (1 + 4/3)/2
    expect(senSlopePerIndex([1, 3, 2, 5])).toBeCloseTo(7 / 6, 15)
  })
})

describe('Theil–Sen with Sen\'s interval', () => {
  it('matches scipy.stats.theilslopes on a simple series', () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    const y = [2.0, 2.5, 2.1, 3.8, 4.0, 3.9, 5.2, 5.0, 6.3, 6.1]
    // theilslopes(y, x, 0.95) -> (0.5, 1.7000000000000002, 0.38, 0.58)
    const result = theilSen(y, x)
    expect(result.slope).toBeCloseTo(0.5, 15)
    expect(result.intercept).toBeCloseTo(1.7000000000000002, 14)
    expect(result.lowSlope).toBeCloseTo(0.38, 15)
    expect(result.highSlope).toBeCloseTo(0.58, 15)
    // theilslopes(y, x, 0.90) -> (0.5, 1.7, 0.3833333333333333, 0.575)
    const ninety = theilSen(y, x, { confidence: 0.9 })
    expect(ninety.lowSlope).toBeCloseTo(0.3833333333333333, 15)
    expect(ninety.highSlope).toBeCloseTo(0.575, 15)
  })

  it('matches scipy.stats.theilslopes with ties in x and in y', () => {
    // theilslopes([10, 12, 11, 15, 15, 18, 17, 20, 22, 21], [1, 2, 2, 3, 4, 5, 5, 6, 7, 8], 0.95) -> (2.0, 7.0, 1.5, 2.2)
    const result = theilSen([10, 12, 11, 15, 15, 18, 17, 20, 22, 21], [1, 2, 2, 3, 4, 5, 5, 6, 7, 8])
    expect(result.slope).toBe(2)
    expect(result.intercept).toBe(7)
    expect(result.lowSlope).toBeCloseTo(1.5, 15)
    expect(result.highSlope).toBeCloseTo(2.2, 15)
    expect(result.pairCount).toBe(43)
  })

  it('matches scipy.stats.theilslopes on an envelope-like series (window centres, MB)', () => {
    const t = Array.from({ length: 12 }, (_, i) => 15.5 + 6 * i)
    const v = [54.90, 54.12, 56.75, 53.29, 59.10, 56.34, 54.68, 55.67, 58.44, 57.57, 59.24, 60.16]
    // theilslopes(v, t, 0.95) -> (0.07845959595959595, 52.739709595959596, 0.01866666666666674, 0.15416666666666679)
    const result = theilSen(v, t)
    expect(result.slope).toBeCloseTo(0.07845959595959595, 14)
    expect(result.intercept).toBeCloseTo(52.739709595959596, 12)
    expect(result.lowSlope).toBeCloseTo(0.01866666666666674, 14)
    expect(result.highSlope).toBeCloseTo(0.15416666666666679, 14)
  })

  it('widens the interval with a Hamed–Rao variance (reference: sen_ci(wavy, range(30), 4831.352839133427))', () => {
    const x = wavy.map((_, i) => i)
    // theilslopes(wavy, range(30)) -> (0.29935714285714293, -0.23967857142857252, 0.18293333333333334, 0.38925)
    const plain = theilSen(wavy, x)
    expect(plain.lowSlope).toBeCloseTo(0.18293333333333334, 14)
    expect(plain.highSlope).toBeCloseTo(0.38925, 14)
    // sen_ci(...) -> (0.14971428571428572, 0.4182727272727273)
    const corrected = theilSen(wavy, x, { varianceS: hamedRaoMannKendall(wavy).varianceS })
    expect(corrected.slope).toBeCloseTo(0.29935714285714293, 14)
    expect(corrected.lowSlope).toBeCloseTo(0.14971428571428572, 14)
    expect(corrected.highSlope).toBeCloseTo(0.4182727272727273, 14)
  })

  it('pools slopes within blocks only, so a level shift between blocks is not a trend', () => {
    // Two flat-with-slope-1 blocks, the second 100 higher: within-block slopes are all 1.
    const blocked = blockedTheilSen([{ x: [0, 1, 2], y: [0, 1, 2] }, { x: [10, 11, 12, 13], y: [110, 111, 112, 113] }], 10)
    expect(blocked.slope).toBe(1)
    expect(blocked.pairCount).toBe(3 + 6)
    expect(blocked.intercept).toBe(100)
  })

  it('rounds half to even and takes medians as numpy does', () => {
    expect([0.5, 1.5, 2.5, -0.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 0, 2, 3])
    expect(medianOf([3, 1, 2, 10])).toBe(2.5)
    expect(senVarianceS([1, 2, 3], [1, 2, 3])).toBeCloseTo((3 * 2 * 11) / 18, 15)
    // 9 sorted slopes, Var(S) = 25, z = 1.96: ranks round((9 ± 9.8)/2) -> lower index 0, upper index 8 (clamped)
    expect(senInterval([1, 2, 3, 4, 5, 6, 7, 8, 9], 25)).toEqual([1, 9])
  })
})
