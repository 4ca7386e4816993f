/**
 * Ordinary least squares with a heteroscedasticity- and autocorrelation-consistent (Newey–West) covariance:
 * what a trend with covariates needs when its residuals are neighbours that look alike (a memory floor between
 * garbage collections). Reference: statsmodels `OLS(y, X).fit(cov_type='HAC', cov_kwds={'maxlags': L,
 * 'use_correction': True})` → `params` and `bse` (tests).
 */

/** A fitted linear model. */
export interface LeastSquaresFit {
  /** One coefficient per column of the design. */
  coefficients: number[]
  /** Newey–West standard errors, with the small-sample factor n/(n − k). */
  standardErrors: number[]
  /** Residuals y − Xβ, in the order of the rows. */
  residuals: number[]
  /** Residual sum of squares. */
  residualSumOfSquares: number
  /** n − k. */
  degreesOfFreedom: number
  /** The Bartlett-kernel lag the covariance used. */
  maxLag: number
}

/** Newey and West's (1994) rule of thumb for the lag: ⌊4·(n/100)^(2/9)⌋. */
export function neweyWestLag (n: number): number {
  return Math.floor(4 * (n / 100) ** (2 / 9))
}

/**
 * Fits y = Xβ + e by least squares; undefined when there are no more rows than columns or X'X is singular.
 * `maxLag` defaults to {@link neweyWestLag}.
 */
export function leastSquares (rows: ReadonlyArray<readonly number[]>, y: readonly number[], maxLag?: number): LeastSquaresFit | undefined {
  const n = Math.min(rows.length, y.length)
  const k = rows[0]?.length ?? 0
  if (k === 0 || n <= k) return undefined
  const xtx = zeros(k, k)
  const xty = new Array<number>(k).fill(0)
  for (let i = 0; i < n; i++) {
    const row = rows[i] as readonly number[]
    for (let a = 0; a < k; a++) {
      xty[a] = (xty[a] as number) + (row[a] as number) * (y[i] as number)
      for (let b = 0; b < k; b++) (xtx[a] as number[])[b] = ((xtx[a] as number[])[b] as number) + (row[a] as number) * (row[b] as number)
    }
  }
  const bread = invert(xtx)
  if (bread === undefined) return undefined
  const coefficients = multiplyVector(bread, xty)
  const residuals: number[] = []
  let residualSumOfSquares = 0
  for (let i = 0; i < n; i++) {
    const row = rows[i] as readonly number[]
    const e = (y[i] as number) - row.reduce((sum, x, a) => sum + x * (coefficients[a] as number), 0)
    residuals.push(e)
    residualSumOfSquares += e * e
  }
  const lag = Math.max(0, Math.min(n - 1, maxLag ?? neweyWestLag(n)))
  // the meat: Σ_l w_l Σ_t (x_t e_t)(x_{t−l} e_{t−l})' + its transpose, w_0 = 1/2 so that l = 0 counts once
  const scores = rows.slice(0, n).map((row, i) => row.map((x) => x * (residuals[i] as number)))
  const meat = zeros(k, k)
  for (let l = 0; l <= lag; l++) {
    const weight = l === 0 ? 1 : 1 - l / (lag + 1)
    for (let t = l; t < n; t++) {
      const now = scores[t] as number[]
      const before = scores[t - l] as number[]
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          const term = l === 0 ? (now[a] as number) * (now[b] as number) : (now[a] as number) * (before[b] as number) + (before[a] as number) * (now[b] as number)
          ;(meat[a] as number[])[b] = ((meat[a] as number[])[b] as number) + weight * term
        }
      }
    }
  }
  const covariance = multiply(multiply(bread, meat), bread)
  const correction = n / (n - k)
  return {
    coefficients,
    standardErrors: coefficients.map((_, a) => Math.sqrt(Math.max(0, ((covariance[a] as number[])[a] as number) * correction))),
    residuals,
    residualSumOfSquares,
    degreesOfFreedom: n - k,
    maxLag: lag
  }
}

function zeros (rows: number, columns: number): number[][] {
  return Array.from({ length: rows }, () => new Array<number>(columns).fill(0))
}

function multiply (a: readonly number[][], b: readonly number[][]): number[][] {
  return a.map((row) => (b[0] ?? []).map((_, j) => row.reduce((sum, x, m) => sum + x * ((b[m] as number[])[j] as number), 0)))
}

function multiplyVector (a: readonly number[][], v: readonly number[]): number[] {
  return a.map((row) => row.reduce((sum, x, j) => sum + x * (v[j] as number), 0))
}

/** Gauss–Jordan inverse with partial pivoting; undefined when the matrix is (numerically) singular. */
function invert (matrix: readonly number[][]): number[][] | undefined {
  const k = matrix.length
  const work = matrix.map((row, i) => [...row, ...Array.from({ length: k }, (_, j) => (i === j ? 1 : 0))])
  const scale = Math.max(...matrix.map((row, i) => Math.abs(row[i] as number)))
  for (let column = 0; column < k; column++) {
    let pivot = column
    for (let r = column + 1; r < k; r++) if (Math.abs((work[r] as number[])[column] as number) > Math.abs((work[pivot] as number[])[column] as number)) pivot = r
    const pivotValue = (work[pivot] as number[])[column] as number
    if (!(Math.abs(pivotValue) > 1e-12 * scale)) return undefined
    ;[work[column], work[pivot]] = [work[pivot] as number[], work[column] as number[]]
    const row = work[column] as number[]
    for (let j = 0; j < 2 * k; j++) row[j] = (row[j] as number) / pivotValue
    for (let r = 0; r < k; r++) {
      if (r === column) continue
      const other = work[r] as number[]
      const factor = other[column] as number
      if (factor === 0) continue
      for (let j = 0; j < 2 * k; j++) other[j] = (other[j] as number) - factor * (row[j] as number)
    }
  }
  return work.map((row) => row.slice(k))
}
