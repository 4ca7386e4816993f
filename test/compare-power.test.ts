import { describe, expect, it } from 'vitest'
import { compareErrorRates } from '../src/analysis/compare/compare-error-rates.js'
import { compareMetric, type CompareMetricInput } from '../src/analysis/compare/compare-metric.js'
import { defaultTolerances } from '../src/analysis/compare/defaults.js'
import { seededRandom } from '../src/core/random.js'
import { standardNormal } from '../src/analysis/stats/random.js'

/*
 * Operating characteristics of the verdict on synthetic runs, at the default tolerances. Per-interval values
 * (say per-second p99) are log-normal around a level, with AR(1) autocorrelation between consecutive intervals:
 * value[i] = level · exp(σ·x[i]), x[i] = φ·x[i−1] + √(1 − φ²)·ε[i], ε standard normal, 60 intervals per side.
 * Goals: identical services (A/A) fail at most 5% of trials; a regression twice the tolerance fails at least 95%.
 */

interface Noise { sigma: number, phi: number }

function intervals (random: () => number, n: number, level: number, { sigma, phi }: Noise): number[] {
  const values: number[] = []
  let x = standardNormal(random)
  for (let i = 0; i < n; i++) {
    if (i > 0) x = phi * x + Math.sqrt(1 - phi * phi) * standardNormal(random)
    values.push(level * Math.exp(sigma * x))
  }
  return values
}

type Counts = Record<'pass' | 'fail' | 'inconclusive', number>

/** Runs `trials` comparisons of new (level × factor) against old (level), each with its own data and bootstrap seed. */
function verdicts (trials: number, factor: number, noise: Noise, base: Omit<CompareMetricInput, 'old' | 'new' | 'seed'>, level: number): Counts {
  const counts: Counts = { pass: 0, fail: 0, inconclusive: 0 }
  for (let trial = 0; trial < trials; trial++) {
    const random = seededRandom(1000 + trial)
    const old = intervals(random, 60, level, noise)
    const next = intervals(random, 60, level * factor, noise)
    counts[compareMetric({ ...base, old, new: next, seed: trial }).verdict]++
  }
  return counts
}

const p99 = { name: 'p99', direction: 'higher-is-worse', tolerance: defaultTolerances.p99 } as const
const throughput = { name: 'throughput', direction: 'lower-is-worse', tolerance: defaultTolerances.throughput } as const
const typical: Noise = { sigma: 0.1, phi: 0.5 }

describe('p99 +10% (default), 60 intervals per side', () => {
  it('A/A with typical noise (σ 0.1, φ 0.5): at most 5% of 200 trials fail', () => {
    const counts = verdicts(200, 1, typical, p99, 120)
    expect(counts.fail).toBeLessThanOrEqual(10)
    expect(counts.pass).toBeGreaterThan(counts.inconclusive)
  })

  it('a 20% regression with the same noise: at least 95% of 200 trials fail', () => {
    const counts = verdicts(200, 1.2, typical, p99, 120)
    expect(counts.fail).toBeGreaterThanOrEqual(190)
    expect(counts.pass).toBe(0)
  })

  it('A/A with heavy, strongly autocorrelated noise (σ 0.25, φ 0.7): still at most 5% of 400 trials fail', () => {
    const counts = verdicts(400, 1, { sigma: 0.25, phi: 0.7 }, p99, 120)
    expect(counts.fail).toBeLessThanOrEqual(20)
    // such data mostly cannot vouch for new either
    expect(counts.inconclusive).toBeGreaterThan(counts.pass)
  })
})

describe('throughput −5% (default, lower is worse), 60 intervals per side', () => {
  const steady: Noise = { sigma: 0.03, phi: 0.5 }

  it('A/A: at most 5% of 200 trials fail', () => {
    expect(verdicts(200, 1, steady, throughput, 1000).fail).toBeLessThanOrEqual(10)
  })

  it('a 10% drop: at least 95% of 200 trials fail', () => {
    expect(verdicts(200, 0.9, steady, throughput, 1000).fail).toBeGreaterThanOrEqual(190)
  })
})

describe('error rate +0.1pp (default), 20 000 requests per side', () => {
  function failures (random: () => number, total: number, rate: number): number {
    let failed = 0
    for (let i = 0; i < total; i++) if (random() < rate) failed++
    return failed
  }

  function rateVerdicts (trials: number, rateOld: number, rateNew: number): Counts {
    const counts: Counts = { pass: 0, fail: 0, inconclusive: 0 }
    for (let trial = 0; trial < trials; trial++) {
      const random = seededRandom(5000 + trial)
      const failedOld = failures(random, 20_000, rateOld)
      const failedNew = failures(random, 20_000, rateNew)
      counts[compareErrorRates({ failedOld, totalOld: 20_000, failedNew, totalNew: 20_000 }).verdict]++
    }
    return counts
  }

  it('A/A at 0.2%: at most 5% of 200 trials fail', () => {
    expect(rateVerdicts(200, 0.002, 0.002).fail).toBeLessThanOrEqual(10)
  })

  it('0.2% → 0.5%: at least 95% of 200 trials fail', () => {
    expect(rateVerdicts(200, 0.002, 0.005).fail).toBeGreaterThanOrEqual(190)
  })
})
