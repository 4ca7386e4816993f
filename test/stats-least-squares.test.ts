import { describe, expect, it } from 'vitest'
import { leastSquares, neweyWestLag } from '../src/analysis/stats/least-squares.js'
import { studentTSf } from '../src/analysis/stats/student-t.js'

// Reference: statsmodels 0.15.0
//   import statsmodels.api as sm; X = np.column_stack([np.ones(16), x1, x2])
//   sm.OLS(y, X).fit(cov_type='HAC', cov_kwds={'maxlags': L, 'use_correction': True}) → params, bse, ssr
const x1 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
const x2 = [5, 5, 6, 8, 9, 9, 9, 8, 6, 5, 4, 4, 5, 7, 8, 9]
const y = [10.2, 11.9, 13.1, 15.8, 17.2, 17.9, 19.5, 19.1, 19.0, 19.9, 20.3, 21.8, 23.5, 26.0, 27.1, 28.9]
const rows = x1.map((x, i) => [1, x, x2[i] as number])
const params = [7.39955402650358, 1.0723623853211013, 0.599286442405707]
const bse: Record<number, number[]> = {
  0: [0.28718647816117016, 0.015721040578024714, 0.03849393314708579],
  2: [0.20929059613481518, 0.015338778963661544, 0.02575963845011513],
  5: [0.16396798291998405, 0.014493038517808907, 0.014821698363365846]
}

describe('least squares with a Newey–West covariance', () => {
  it.each([0, 2, 5])('matches statsmodels OLS HAC with maxlags=%i', (lag) => {
    const fit = leastSquares(rows, y, lag)
    expect(fit).toBeDefined()
    fit?.coefficients.forEach((b, i) => expect(b).toBeCloseTo(params[i] as number, 10))
    fit?.standardErrors.forEach((se, i) => expect(se).toBeCloseTo((bse[lag] as number[])[i] as number, 10))
    expect(fit?.residualSumOfSquares).toBeCloseTo(1.6175904689092766, 10)
    expect(fit?.degreesOfFreedom).toBe(13)
    expect(fit?.maxLag).toBe(lag)
  })

  it('uses the Newey–West rule of thumb for the lag by default, and refuses what cannot be solved', () => {
    expect(neweyWestLag(16)).toBe(2) // ⌊4·0.16^(2/9)⌋ = ⌊2.67⌋
    expect(neweyWestLag(100)).toBe(4)
    expect(leastSquares(rows, y)?.maxLag).toBe(2)
    // a column that repeats another makes X'X singular; no more rows than columns gives no residual freedom
    expect(leastSquares(x1.map((x) => [1, x, 2 * x]), y)).toBeUndefined()
    expect(leastSquares(rows.slice(0, 3), y.slice(0, 3))).toBeUndefined()
  })
})

describe("Student's t upper tail", () => {
  it('matches scipy.stats.t.sf', () => {
    expect(studentTSf(2.1, 13)).toBeCloseTo(0.0279063021356289, 10) // t.sf(2.1, 13)
    expect(studentTSf(-0.7, 5.5)).toBeCloseTo(0.7437855375311961, 10) // t.sf(-0.7, 5.5)
    expect(studentTSf(3.3, 200)).toBeCloseTo(0.0005723613325644438, 10) // t.sf(3.3, 200)
    expect(studentTSf(0, 7)).toBe(0.5)
  })
})
