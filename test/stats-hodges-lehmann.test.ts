import { describe, expect, it } from 'vitest'
import { hodgesLehmannShift, sortedPairwiseDifferences } from '../src/analysis/stats/hodges-lehmann.js'

/*
 * Reference: R's wilcox.test(new, old, conf.int = TRUE). R is not installed here, so the expected values come from
 * this numpy/scipy re-implementation of the same formulas (run with python3, numpy 2.4, scipy 1.17):
 *
 *   # hl_reference.py — R's wilcox.test(x, y, conf.int=TRUE) re-implemented in numpy/scipy (R is not installed).
 *   # Exact branch (n.x < 50, n.y < 50, no ties): R's qwilcox on integer counts of U, then order statistics of x_i - y_j.
 *   # Normal branch: R's wdiff() literally (re-rank x - d against y, tie-corrected sigma, continuity 0.5*sign(dz)),
 *   # root found by bisection to 1e-12 instead of uniroot(tol=1e-4), so R itself agrees to about 1e-4.
 *   import numpy as np
 *   from scipy.stats import rankdata, norm
 *
 *   def u_counts(m, n):                      # number of orderings giving U = u (classic recurrence on integers)
 *       from functools import lru_cache
 *       @lru_cache(None)
 *       def c(m, n):
 *           if m == 0 or n == 0: return (1,)
 *           a, b = c(m - 1, n), c(m, n - 1)   # largest value from x adds n; from y adds 0
 *           out = [0] * (m * n + 1)
 *           for u, v in enumerate(a): out[u + n] += v
 *           for u, v in enumerate(b): out[u] += v
 *           return tuple(out)
 *       return c(m, n)
 *
 *   def wilcox_ci(x, y, conf=0.95, correct=True, exact=None):
 *       x, y = np.asarray(x, float), np.asarray(y, float)
 *       nx, ny = len(x), len(y)
 *       r = rankdata(np.concatenate([x, y]))
 *       if exact is None: exact = nx < 50 and ny < 50
 *       alpha = 1 - conf
 *       if exact and len(np.unique(r)) == len(r):
 *           counts = u_counts(nx, ny); total = sum(counts)
 *           cum, qu = 0, 0
 *           while True:                                  # qwilcox(alpha/2, nx, ny)
 *               cum += counts[qu]
 *               if cum / total >= alpha / 2 - 10 * np.finfo(float).eps: break
 *               qu += 1
 *           if qu == 0: qu = 1
 *           ql = nx * ny - qu
 *           diffs = np.sort(np.subtract.outer(x, y).ravel())
 *           return float(np.median(diffs)), float(diffs[qu - 1]), float(diffs[ql])
 *       def wdiff(d, zq):
 *           dr = rankdata(np.concatenate([x - d, y]))
 *           _, t = np.unique(dr, return_counts=True)
 *           dz = dr[:nx].sum() - nx * (nx + 1) / 2 - nx * ny / 2
 *           corr = np.sign(dz) * 0.5 if correct else 0.0
 *           sigma = np.sqrt(nx * ny / 12 * ((nx + ny + 1) - (t**3 - t).sum() / ((nx + ny) * (nx + ny - 1))))
 *           return (dz - corr) / sigma - zq
 *       def root(zq):
 *           lo, hi = x.min() - y.max(), x.max() - y.min()
 *           if wdiff(lo, zq) <= 0: return lo
 *           if wdiff(hi, zq) >= 0: return hi
 *           for _ in range(200):
 *               mid = (lo + hi) / 2
 *               if wdiff(mid, zq) > 0: lo = mid
 *               else: hi = mid
 *           return (lo + hi) / 2
 *       diffs = np.sort(np.subtract.outer(x, y).ravel())
 *       return float(np.median(diffs)), root(norm.isf(alpha / 2)), root(norm.ppf(alpha / 2))
 *
 * Each constant below is `wilcox_ci(new, old, ...)` of that script. The normal branch finds its roots by bisection on
 * the step function, so it lands on the pairwise difference itself up to ~1e-15; R's uniroot(tol = 1e-4) lands within
 * 1e-4 of the same differences. The estimate is the median of the differences in both branches (R's normal branch
 * reports its own root of the statistic, which can differ slightly from that median).
 */

const close = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThan(1e-9)
}

describe('Hodges–Lehmann shift and its rank-inversion interval', () => {
  it('Hollander & Wolfe (1973, p. 69) permeability data: exact interval at critical rank 9', () => {
    const term = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    const early = [1.15, 0.88, 0.90, 0.74, 1.21]
    // wilcox_ci(term, early) -> (0.305, -0.15, 0.76); qwilcox(0.025, 10, 5) = 9, achieved 1 - 2*P(U <= 8) = 0.9600399600399601
    const shift = hodgesLehmannShift(term, early)
    expect(shift.method).toBe('exact')
    expect(shift.criticalRank).toBe(9)
    close(shift.estimate, 0.305)
    close(shift.ci[0], -0.15)
    close(shift.ci[1], 0.76)
    expect(shift.achievedConfidence).toBeCloseTo(0.9600399600399601, 12)
  })

  it('two values a side: qwilcox gives 0, which R raises to 1, so the interval is the whole range', () => {
    // wilcox_ci([1.5, 2.5], [1.0, 2.0]) -> (0.5, -0.5, 1.5)
    const shift = hodgesLehmannShift([1.5, 2.5], [1.0, 2.0])
    expect(shift).toMatchObject({ estimate: 0.5, ci: [-0.5, 1.5], criticalRank: 1 })
  })

  it('ties force the normal approximation with the within-sample tie correction', () => {
    const newValues = [12, 15, 11, 18, 15, 14, 20, 15, 13, 16, 12, 19]
    const oldValues = [10, 11, 9, 14, 12, 11, 10, 13, 12, 11, 10]
    // wilcox_ci(new, old) -> (4.0, 2.0, 6.0)
    const shift = hodgesLehmannShift(newValues, oldValues)
    expect(shift.method).toBe('normal')
    close(shift.estimate, 4)
    close(shift.ci[0], 2)
    close(shift.ci[1], 6)
  })

  it('the continuity correction moves an end when the crossing is close to a rank', () => {
    const newValues = [0.75, 6.0, 4.0, 2.0, 0.0, 5.25, 3.25, 1.25, 6.5, 4.5, 2.5, 0.5, 5.75, 3.75, 1.75, 7.0, 5.0, 3.0]
    const oldValues = [0.25, 2.5, 4.75, 7.0, 1.5, 3.75, 6.0, 0.5, 2.75, 5.0, 7.25, 1.75, 4.0, 6.25, 0.75, 3.0]
    // wilcox_ci(new, old) -> (0.0, -1.75, 1.75); wilcox_ci(new, old, correct=False) -> (0.0, -1.75, 1.5)
    const corrected = hodgesLehmannShift(newValues, oldValues)
    expect(corrected.method).toBe('normal')
    close(corrected.ci[0], -1.75)
    close(corrected.ci[1], 1.75)
    const uncorrected = hodgesLehmannShift(newValues, oldValues, { continuity: false })
    close(uncorrected.ci[0], -1.75)
    close(uncorrected.ci[1], 1.5)
  })

  it('50 or more values per side use the normal approximation even without ties', () => {
    const newValues = Array.from({ length: 55 }, (_, i) => ((i * 37) % 101) / 10 + 0.3)
    const oldValues = Array.from({ length: 60 }, (_, i) => ((i * 53) % 97) / 10)
    // new = [((i*37)%101)/10 + 0.3 for i in range(55)]; old = [((i*53)%97)/10 for i in range(60)]
    // wilcox_ci(new, old) -> (0.7, -0.4, 1.9)
    const shift = hodgesLehmannShift(newValues, oldValues)
    expect(shift.method).toBe('normal')
    close(shift.estimate, 0.7)
    close(shift.ci[0], -0.4)
    close(shift.ci[1], 1.9)
  })

  it('a 90% interval with ties', () => {
    const newValues = Array.from({ length: 30 }, (_, i) => ((i * 7) % 23) / 4)
    const oldValues = Array.from({ length: 25 }, (_, i) => ((i * 5) % 19) / 4)
    // new = [((i*7)%23)/4 for i in range(30)]; old = [((i*5)%19)/4 for i in range(25)]
    // wilcox_ci(new, old) -> (0.75, -0.25, 1.5); wilcox_ci(new, old, conf=0.9) -> (0.75, 0.0, 1.5)
    const at95 = hodgesLehmannShift(newValues, oldValues)
    close(at95.estimate, 0.75)
    close(at95.ci[0], -0.25)
    close(at95.ci[1], 1.5)
    const at90 = hodgesLehmannShift(newValues, oldValues, { confidence: 0.9 })
    close(at90.ci[0], 0)
    close(at90.ci[1], 1.5)
  })

  it('shifting new by a constant shifts estimate and interval by it', () => {
    const oldValues = [3.1, 4.7, 2.2, 5.9, 4.1, 3.3, 6.2, 2.8]
    const newValues = [4.0, 2.9, 5.1, 3.7, 6.6, 4.4, 3.0]
    const base = hodgesLehmannShift(newValues, oldValues)
    const moved = hodgesLehmannShift(newValues.map((v) => v + 10), oldValues)
    close(moved.estimate, base.estimate + 10)
    close(moved.ci[0], base.ci[0] + 10)
    close(moved.ci[1], base.ci[1] + 10)
  })

  it('refuses more pairwise differences than it will sort', () => {
    expect(sortedPairwiseDifferences([3, 1], [1, 2])).toEqual(Float64Array.of(-1, 0, 1, 2))
    expect(() => sortedPairwiseDifferences(new Array(3000).fill(1), new Array(3000).fill(2))).toThrow(RangeError)
  })
})
