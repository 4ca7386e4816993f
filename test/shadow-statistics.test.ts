import { describe, expect, it } from 'vitest'
import { benjaminiHochbergAdjusted, benjaminiHochbergRejects } from '../src/analysis/shadow/benjamini-hochberg.js'
import { diffyAbsolutePercent, diffyRelativePercent, diffyReports } from '../src/analysis/shadow/diffy-thresholds.js'
import { defaultJudgeSettings, judgeFields, type FieldCounts } from '../src/analysis/shadow/judge.js'
import { mcnemarGreaterPValue } from '../src/analysis/shadow/mcnemar.js'
import { suggestRules } from '../src/analysis/shadow/suggest.js'

// Reference: scipy 1.17.1. Each constant is `scipy.stats.binomtest(b, b + c, 0.5, alternative='greater').pvalue`.
const relative = (actual: number, expected: number, tolerance = 1e-12): void => {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(tolerance)
}

describe('one-sided exact McNemar test (scipy binomtest, alternative="greater")', () => {
  it.each([
    [10, 2, 0.019287109375],
    [7, 3, 0.171875],
    [40, 20, 0.00674464686559593],
    [0, 5, 1.0],
    [5, 0, 0.03125],
    [1, 0, 0.5],
    [25, 30, 0.7906229058654923],
    [60, 0, 8.673617379884035e-19],
    [12, 11, 0.5],
    [3, 1, 0.3125]
  ])('b = %i, c = %i', (b, c, expected) => {
    relative(mcnemarGreaterPValue(b, c), expected)
  })

  it('no discordant pair gives 1', () => {
    expect(mcnemarGreaterPValue(0, 0)).toBe(1)
  })
})

describe('Benjamini–Hochberg', () => {
  it('a hand-worked example: m = 5, q = 0.05', () => {
    // sorted p: 0.005, 0.01, 0.03, 0.04, 0.2 against k/m·q = 0.01, 0.02, 0.03, 0.04, 0.05:
    // the largest k with p(k) ≤ k/m·q is 4, so the four smallest are rejected and 0.2 is not.
    // Adjusted p(k)·m/k = 0.025, 0.025, 0.05, 0.05, 0.2, then running minima from the top: unchanged.
    const p = [0.01, 0.04, 0.03, 0.005, 0.2]
    expect(benjaminiHochbergRejects(p, 0.05)).toEqual([true, true, true, true, false])
    const adjusted = benjaminiHochbergAdjusted(p)
    // scipy.stats.false_discovery_control([0.01, 0.04, 0.03, 0.005, 0.2]) -> [0.025, 0.05, 0.05, 0.025, 0.2]
    expect(adjusted).toEqual([0.025, 0.05, 0.05, 0.025, 0.2])
  })

  it('matches scipy false_discovery_control on ten p-values (running minima from the top)', () => {
    const p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216]
    // scipy.stats.false_discovery_control(p)
    const expected = [0.01, 0.04, 0.084, 0.084, 0.084, 0.1, 0.1057142857142857, 0.216, 0.216, 0.216]
    benjaminiHochbergAdjusted(p).forEach((value, i) => relative(value, expected[i] as number))
    expect(benjaminiHochbergRejects(p, 0.05)).toEqual([true, true, false, false, false, false, false, false, false, false])
  })

  it('an empty family is empty', () => {
    expect(benjaminiHochbergAdjusted([])).toEqual([])
  })
})

describe('Diffy thresholds (twitter/diffy JoinedDifferences.scala: r > n, relative > 20, absolute > 0.03, strict)', () => {
  it('computes relative and absolute as Diffy does', () => {
    expect(diffyRelativePercent(6, 4)).toBe(20)
    expect(diffyAbsolutePercent(3, 0, 10_000)).toBe(0.03)
    expect(diffyRelativePercent(0, 0)).toBe(0)
  })

  it('relative exactly 20 is not reported; just above is', () => {
    expect(diffyReports(6, 4, 100)).toBe(false) // |6-4|/10·100 = 20
    expect(diffyReports(7, 4, 100)).toBe(true) // 27.3
  })

  it('absolute exactly 0.03 is not reported; just above is', () => {
    expect(diffyReports(3, 0, 10_000)).toBe(false) // 3/10000·100 = 0.03
    expect(diffyReports(4, 0, 10_000)).toBe(true) // 0.04
  })

  it('raw must exceed noise', () => {
    expect(diffyReports(5, 5, 10)).toBe(false)
    expect(diffyReports(4, 5, 10)).toBe(false)
  })

  it('ignores sample size: one difference in ten requests is reported (the weakness the statistical mode fixes)', () => {
    expect(diffyReports(1, 0, 10)).toBe(true)
    const [diffy] = judgeFields([{ requests: 10, raw: 1, noise: 0, rawOnly: 1, noiseOnly: 0, ignored: false }], { ...defaultJudgeSettings, mode: 'diffy' })
    const [statistical] = judgeFields([{ requests: 10, raw: 1, noise: 0, rawOnly: 1, noiseOnly: 0, ignored: false }])
    expect(diffy?.verdict).toBe('real')
    expect(statistical?.verdict).toBe('noise')
  })
})

describe('field verdicts', () => {
  const field = (counts: Partial<FieldCounts>): FieldCounts => ({ requests: 200, raw: 0, noise: 0, rawOnly: 0, noiseOnly: 0, ignored: false, ...counts })

  it('raw far above noise on enough requests is real', () => {
    const [judgement] = judgeFields([field({ raw: 40, rawOnly: 40 })])
    expect(judgement?.verdict).toBe('real')
    relative(judgement?.pValue ?? NaN, 0.5 ** 40)
  })

  it('raw as often as noise is noise', () => {
    const [judgement] = judgeFields([field({ raw: 200, noise: 200 })])
    expect(judgement?.verdict).toBe('noise')
    expect(judgement?.pValue).toBe(1)
  })

  it('fewer than 20 requests is never real', () => {
    const [judgement] = judgeFields([field({ requests: 19, raw: 19, rawOnly: 19 })])
    expect(judgement?.verdict).toBe('noise')
    expect(judgement?.reason).toMatch(/too few requests/)
  })

  it('a significant excess below 0.5 points is noise', () => {
    // 12 of 10,000: p = 0.5^12 ≈ 2.4e-4, significant, but the excess is only 0.12 points
    const [judgement] = judgeFields([field({ requests: 10_000, raw: 12, rawOnly: 12 })])
    expect(judgement?.qValue).toBeLessThan(0.05)
    expect(judgement?.verdict).toBe('noise')
    expect(judgement?.reason).toMatch(/only 0\.12%/)
  })

  it('BH across fields: p = 0.03 alone is real, among many null fields it is not', () => {
    // b = 5, c = 0: p = 0.03125
    const alone = judgeFields([field({ raw: 5, rawOnly: 5 })])
    expect(alone[0]?.verdict).toBe('real')
    const crowd = judgeFields([field({ raw: 5, rawOnly: 5 }), ...Array.from({ length: 9 }, () => field({ raw: 10, noise: 10, rawOnly: 3, noiseOnly: 3 }))])
    expect(crowd[0]?.qValue).toBeCloseTo(0.3125, 12)
    expect(crowd[0]?.verdict).toBe('noise')
  })

  it('ignored fields are neither tested nor counted in BH', () => {
    const judgements = judgeFields([field({ raw: 200, rawOnly: 200, ignored: true }), field({ raw: 5, rawOnly: 5 })])
    expect(judgements[0]?.verdict).toBe('ignored')
    expect(judgements[1]?.qValue).toBe(0.03125)
  })
})

describe('suggested rules', () => {
  it('suggests ignoring pure noise, unordered for order noise, and not what is real anywhere', () => {
    const suggestions = suggestRules([
      { path: '$.generatedAt', kind: 'value', noiseRate: 1, verdict: 'noise' },
      { path: '$.meta', kind: 'value', noiseRate: 0.9, verdict: 'noise' },
      { path: '$.meta.id', kind: 'value', noiseRate: 0.9, verdict: 'noise' },
      { path: '$.tags', kind: 'order', noiseRate: 0.6, verdict: 'noise' },
      { path: '$.price', kind: 'value', noiseRate: 0.7, verdict: 'noise' },
      { path: '$.price', kind: 'value', noiseRate: 0.7, verdict: 'real' },
      { path: '$.rare', kind: 'value', noiseRate: 0.2, verdict: 'noise' },
      { path: 'headers.etag', kind: 'header', noiseRate: 1, verdict: 'noise' }
    ])
    expect(suggestions).toEqual([
      { rule: 'header', path: 'headers.etag', noiseRate: 1 },
      { rule: 'ignore', path: '$.generatedAt', noiseRate: 1 },
      { rule: 'ignore', path: '$.meta', noiseRate: 0.9 },
      { rule: 'unordered', path: '$.tags', noiseRate: 0.6 }
    ])
  })
})
