import { describe, expect, it } from 'vitest'
import { defaultJudgeSettings } from '../src/analysis/shadow/judge.js'
import type { ShadowSample } from '../src/core/result-types.js'
import { ShadowCollector } from '../src/shadow/collector.js'
import type { AnswerDifference } from '../src/shadow/compare.js'
import { formatShadowSummary } from '../src/shadow/format.js'
import { summarizeShadow, type SummarizeInput } from '../src/shadow/summarize.js'
import type { RunResult } from '../src/core/result-types.js'

const sample = (n: number): ShadowSample => ({
  request: { method: 'GET', path: `/p/${n}` },
  old: { status: 200, body: '{}' },
  old2: { status: 200, body: '{}' },
  new: { status: 200, body: '{}' }
})
const value = (path: string, ignored = false): AnswerDifference => ({ path, kind: 'value', ignored })
const input: SummarizeInput = { judge: defaultJudgeSettings, maxMismatchRate: 0, arms: { old: 'old', new: 'new', old2: undefined, note: undefined }, skipped: [], dropped: 0 }

describe('tallies and summary', () => {
  it('counts raw, noise and the discordant pairs per field, and mismatched requests from real fields only', () => {
    const collector = new ShadowCollector()
    let made = 0
    for (let i = 0; i < 30; i++) {
      const raw = [value('$.at'), value('$.id', true), ...(i < 10 ? [value('$.price')] : [])]
      const noise = [value('$.at'), value('$.id', true), ...(i === 29 ? [value('$.price')] : [])]
      collector.record('get', raw, noise, false, () => sample(made++))
    }
    const { report, checks } = summarizeShadow(collector, input)
    const endpoint = report.endpoints[0]
    expect(endpoint).toMatchObject({ name: 'get', requests: 30, differing: 30, mismatched: 10 })
    const byPath = Object.fromEntries((endpoint?.fields ?? []).map((field) => [field.path, field]))
    // b = 10, c = 1: binomtest(10, 11, 0.5, alternative='greater').pvalue = 12/2048 = 0.005859375 (scipy 1.17.1)
    expect(byPath['$.price']).toMatchObject({ verdict: 'real', rawCount: 10, noiseCount: 1, rawOnly: 10, noiseOnly: 1 })
    expect(Math.abs((byPath['$.price']?.pValue ?? NaN) / 0.005859375 - 1)).toBeLessThan(1e-12)
    expect(byPath['$.price']?.rawRate).toBeCloseTo(1 / 3, 15)
    // BH over the two tested fields: min(0.005859375 · 2/1, …) = 0.01171875
    expect(Math.abs((byPath['$.price']?.qValue ?? NaN) / 0.01171875 - 1)).toBeLessThan(1e-12)
    expect(byPath['$.at']).toMatchObject({ verdict: 'noise', rawRate: 1, noiseRate: 1, pValue: 1 })
    expect(byPath['$.id']).toMatchObject({ verdict: 'ignored', rawRate: 1 })
    // samples only from requests where old did not differ from itself, five at most, made only when kept
    expect(byPath['$.price']?.samples?.map((s) => s.request.path)).toEqual(['/p/0', '/p/1', '/p/2', '/p/3', '/p/4'])
    expect(made).toBe(5)
    expect(checks).toEqual([expect.objectContaining({ id: 'shadow.mismatchRate.get', target: 'new', status: 'fail', observed: 1 / 3, limit: 0 })])
    expect(report.suggestions).toEqual([{ rule: 'ignore', path: '$.at', noiseRate: 1 }])
    expect(report).toMatchObject({ requests: 30, mismatched: 10, noiseSource: 'old-again', targets: { old: 'old', new: 'new', noise: 'old' } })
  })

  it('an endpoint with too few requests is inconclusive, and nothing compared at all is too', () => {
    const collector = new ShadowCollector()
    for (let i = 0; i < 5; i++) collector.record('rare', [value('$.x')], [], false, () => sample(i))
    const { checks } = summarizeShadow(collector, input)
    expect(checks[0]).toMatchObject({ status: 'inconclusive' })
    expect(checks[0]?.message).toMatch(/at least 20/)
    expect(summarizeShadow(new ShadowCollector(), input).checks).toEqual([expect.objectContaining({ id: 'shadow.mismatchRate', status: 'inconclusive' })])
  })

  it('the terminal table shows each endpoint, its top paths with raw and noise rates, and the suggestions', () => {
    const collector = new ShadowCollector()
    for (let i = 0; i < 40; i++) collector.record('get-product', [value('$.generatedAt'), ...(i % 4 === 0 ? [value('$.price')] : [])], [value('$.generatedAt')], false, () => sample(i))
    const { report, checks } = summarizeShadow(collector, input)
    const result = { checks, failures: [], verdict: 'fail', status: 'completed' } as unknown as RunResult
    const text = formatShadowSummary(result, report)
    expect(text).toMatch(/get-product\s+40\s+25\.0%/)
    expect(text).toMatch(/\$\.price\s+value\s+25\.0%\s+0\.0%\s+real/)
    expect(text).toMatch(/\$\.generatedAt\s+value\s+100\.0%\s+100\.0%\s+noise/)
    expect(text).toMatch(/ignore: \["\$\.generatedAt"\]/)
    expect(text).toMatch(/verdict: FAIL/)
  })
})
