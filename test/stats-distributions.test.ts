import { describe, expect, it } from 'vitest'
import { betaCdf, betaQuantile, betaSf, betaUpperQuantile } from '../src/analysis/stats/beta.js'
import { binomialCdf, binomialPmf, binomialSf } from '../src/analysis/stats/binomial.js'
import { normalCdf, normalQuantile, normalSf } from '../src/analysis/stats/normal.js'
import { studentTQuantile } from '../src/analysis/stats/student-t.js'

// Reference: scipy 1.17.1 (`from scipy import stats as s`); each constant is `float(<call>)` printed with repr.
const relative = (actual: number, expected: number, tolerance = 1e-12): void => {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(tolerance)
}

describe('normal distribution (scipy norm)', () => {
  it.each([
    ['s.norm.cdf(-1)', normalCdf(-1), 0.15865525393145707],
    ['s.norm.sf(0.3)', normalSf(0.3), 0.3820885778110474],
    ['s.norm.sf(1.99)', normalSf(1.99), 0.02329546775021182],
    ['s.norm.sf(2.01)', normalSf(2.01), 0.022215594429431475],
    ['s.norm.sf(3)', normalSf(3), 0.0013498980316300933],
    ['s.norm.sf(8)', normalSf(8), 6.22096057427174e-16],
    ['s.norm.sf(20)', normalSf(20), 2.7536241186061556e-89]
  ])('%s', (_call, actual, expected) => {
    relative(actual, expected)
  })

  it.each([
    ['s.norm.ppf(0.975)', 0.975, 1.959963984540054],
    ['s.norm.ppf(0.3)', 0.3, -0.5244005127080409],
    ['s.norm.ppf(0.02)', 0.02, -2.053748910631823],
    ['s.norm.ppf(0.999)', 0.999, 3.090232306167813],
    ['s.norm.ppf(1e-10)', 1e-10, -6.361340902404056]
  ])('%s', (_call, p, expected) => {
    relative(normalQuantile(p), expected)
  })
})

describe('beta distribution (scipy beta)', () => {
  it.each([
    ['s.beta.cdf(0.3, 2.5, 7)', betaCdf(0.3, 2.5, 7), 0.6412224629717214],
    ['s.beta.sf(0.9, 20, 3)', betaSf(0.9, 20, 3), 0.3799590615880965],
    ['s.beta.cdf(0.001, 0.5, 0.5)', betaCdf(0.001, 0.5, 0.5), 0.020135041633377492],
    ['s.beta.ppf(0.025, 3, 98)', betaQuantile(0.025, 3, 98), 0.006229971538306395],
    ['s.beta.isf(0.025, 4, 97)', betaUpperQuantile(0.025, 4, 97), 0.08517605297428003],
    ['s.beta.ppf(0.025, 1, 10000)', betaQuantile(0.025, 1, 10000), 2.5317775934746866e-06],
    ['s.beta.isf(0.025, 1, 10000)', betaUpperQuantile(0.025, 1, 10000), 0.0003688199146187623],
    ['s.beta.ppf(0.9, 150.5, 0.5)', betaQuantile(0.9, 150.5, 0.5), 0.9999474531206695]
  ])('%s', (_call, actual, expected) => {
    relative(actual, expected, 1e-11)
  })
})

describe("Student's t quantile (scipy t.ppf)", () => {
  it.each([
    ['s.t.ppf(0.975, 4)', 0.975, 4, 2.7764451051977934],
    ['s.t.ppf(0.975, 14)', 0.975, 14, 2.144786687917804],
    ['s.t.ppf(0.025, 2.5)', 0.025, 2.5, -3.5746548420036834],
    ['s.t.ppf(0.995, 1)', 0.995, 1, 63.656741162871526],
    ['s.t.ppf(0.9, 300)', 0.9, 300, 1.284379867579013]
  ])('%s', (_call, p, df, expected) => {
    relative(studentTQuantile(p, df), expected, 1e-11)
  })
})

describe('binomial distribution (scipy binom)', () => {
  it.each([
    ['s.binom.pmf(500, 1000, 0.5)', binomialPmf(500, 1000, 0.5), 0.025225018178360804],
    ['s.binom.pmf(3, 100000, 0.0001)', binomialPmf(3, 100_000, 0.0001), 0.007564914689303213],
    ['s.binom.cdf(480, 1000, 0.5)', binomialCdf(480, 1000, 0.5), 0.10872414660207075],
    ['s.binom.sf(20, 1000, 0.01)', binomialSf(20, 1000, 0.01), 0.0014964815477092413]
  ])('%s', (_call, actual, expected) => {
    relative(actual, expected, 1e-12)
  })

  it('edges: outside the support, and p of 0 or 1', () => {
    expect(binomialPmf(-1, 10, 0.3)).toBe(0)
    expect(binomialPmf(11, 10, 0.3)).toBe(0)
    expect(binomialCdf(10, 10, 0.3)).toBe(1)
    expect(binomialSf(-1, 10, 0.3)).toBe(1)
    expect(binomialPmf(0, 10, 0)).toBe(1)
    expect(binomialPmf(10, 10, 1)).toBe(1)
  })
})
