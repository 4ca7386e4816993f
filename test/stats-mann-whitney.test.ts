import { describe, expect, it } from 'vitest'
import { mannWhitneyU } from '../src/analysis/stats/mann-whitney.js'
import { rankSumPmf } from '../src/analysis/stats/rank-sum-distribution.js'
import { midRanks } from '../src/analysis/stats/ranks.js'

// Reference: scipy 1.17.1, `from scipy.stats import mannwhitneyu as mw`; the call that produced each constant is
// written next to it. scipy reports U of the first sample, as mannWhitneyU does.
const relative = (actual: number, expected: number, tolerance = 1e-12): void => {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(tolerance)
}

// Hollander & Wolfe (1973), p. 69: permeability constants of the human chorioamnion at term (x) and at 12–26 weeks (y);
// the worked example of R's ?wilcox.test, which prints W = 35, p = 0.1272 (exact, greater) and p = 0.1103 (normal, no correction).
const term = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
const early = [1.15, 0.88, 0.90, 0.74, 1.21]

describe('Mann–Whitney U', () => {
  it('the Hollander & Wolfe example, exact and asymptotic, every alternative', () => {
    const cases = [
      // [alternative, method, scipy p-value, the call]
      ['greater', 'exact', 0.1272061272061272], // mw(x, y, alternative='greater', method='exact')
      ['two-sided', 'exact', 0.2544122544122544], // mw(x, y, method='exact')
      ['less', 'exact', 0.8967698967698967], // mw(x, y, alternative='less', method='exact')
      ['greater', 'asymptotic', 0.12231180256349167], // mw(x, y, alternative='greater', method='asymptotic')
      ['two-sided', 'asymptotic', 0.24462360512698333], // mw(x, y, method='asymptotic')
      ['less', 'asymptotic', 0.9007753482039937] // mw(x, y, alternative='less', method='asymptotic')
    ] as const
    for (const [alternative, method, expected] of cases) {
      const result = mannWhitneyU(term, early, { alternative, method })
      expect(result.u).toBe(35)
      expect(result.method).toBe(method)
      relative(result.pValue, expected)
    }
    // mw(x, y, alternative='greater', method='asymptotic', use_continuity=False) -> 0.11033568095992347
    relative(mannWhitneyU(term, early, { alternative: 'greater', method: 'asymptotic', continuity: false }).pValue, 0.11033568095992347)
  })

  it('ties: tie-corrected variance with the continuity correction', () => {
    // mw([12,15,11,18,15,14,20,15,13,16,12,19], [10,11,9,14,12,11,10,13,12,11,10]) -> U 118.5, p 0.001262528297811718
    const result = mannWhitneyU([12, 15, 11, 18, 15, 14, 20, 15, 13, 16, 12, 19], [10, 11, 9, 14, 12, 11, 10, 13, 12, 11, 10])
    expect(result.u).toBe(118.5)
    expect(result.method).toBe('asymptotic')
    relative(result.pValue, 0.001262528297811718)
    // mw([1, 2, 2], [2, 3]) -> U 1.0, p 0.3329216080655659 ('auto' goes asymptotic because of the ties)
    const tiny = mannWhitneyU([1, 2, 2], [2, 3])
    expect(tiny.u).toBe(1)
    expect(tiny.method).toBe('asymptotic')
    relative(tiny.pValue, 0.3329216080655659)
    // mw([5, 5], [5, 5, 5]) -> U 3.0, p 1.0
    expect(mannWhitneyU([5, 5], [5, 5, 5])).toMatchObject({ u: 3, pValue: 1 })
  })

  it('tiny samples without ties are exact', () => {
    // mw([1, 2], [3], method='exact') -> U 0.0, p 0.6666666666666666
    const one = mannWhitneyU([1, 2], [3])
    expect(one).toMatchObject({ u: 0, method: 'exact' })
    relative(one.pValue, 0.6666666666666666)
    // mw([3.1, 1.2, 5.5], [2.2, 4.4, 0.3, 6.6], alternative='less', method='exact') -> U 6.0, p 0.5714285714285714
    const less = mannWhitneyU([3.1, 1.2, 5.5], [2.2, 4.4, 0.3, 6.6], { alternative: 'less' })
    expect(less.u).toBe(6)
    relative(less.pValue, 0.5714285714285714)
    // mw([9, 8, 7, 6, 5], [1, 2, 3, 4], method='exact') -> U 20.0, p 0.015873015873015872 (= 2/126)
    relative(mannWhitneyU([9, 8, 7, 6, 5], [1, 2, 3, 4]).pValue, 0.015873015873015872)
    // mw([9, 8, 7, 6, 5], [1, 2, 3, 4], method='asymptotic', alternative='greater') -> 0.009982226652608022
    relative(mannWhitneyU([9, 8, 7, 6, 5], [1, 2, 3, 4], { method: 'asymptotic', alternative: 'greater' }).pValue, 0.009982226652608022)
  })

  it('exact p-values for larger samples when asked', () => {
    const a = Array.from({ length: 40 }, (_, i) => (i * 37 % 101) + 0.5)
    const b = Array.from({ length: 45 }, (_, i) => (i * 53 % 97) + 3.25)
    // a = [(i*37 % 101) + 0.5 for i in range(40)]; b = [(i*53 % 97) + 3.25 for i in range(45)]
    // mw(a, b, method='exact') -> U 936.0, p 0.7558453395588282; mw(a, b) -> p 0.7546149172987155
    const exact = mannWhitneyU(a, b, { method: 'exact' })
    expect(exact.u).toBe(936)
    relative(exact.pValue, 0.7558453395588282)
    relative(mannWhitneyU(a, b).pValue, 0.7546149172987155)
  })

  it('exact distribution: C(4,2) = 6 orderings of 2 + 2 values give U = 0,1,2,2,3,4', () => {
    expect(Array.from(rankSumPmf(2, 2)).map((p) => p * 6)).toEqual([1, 1, 2, 1, 1].map((count) => expect.closeTo(count, 12)))
  })

  it('mid-ranks give ties the mean of their ranks', () => {
    const { ranks, tieSizes } = midRanks([10, 20, 20, 5, 20])
    expect(Array.from(ranks)).toEqual([2, 4, 4, 1, 4])
    expect(tieSizes).toEqual([3])
  })
})
