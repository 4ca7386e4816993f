// analyzeRun: the one pure step that judges a run (SLO checks, leak verdicts, old vs new, the baseline, the verdict).
import { describe, expect, it } from 'vitest'
import { analyzeRun } from '../src/analysis/analyze-run.js'
import { sloChecks } from '../src/analysis/slo.js'
import type { MeasuredRun, RunResult } from '../src/core/result-types.js'
import type { MemorySample } from '../src/analysis/leak/types.js'
import { syntheticRun } from './fixtures/report/synthetic-run.js'

/** What a run measured: a synthetic result without its judgement. */
function measured (): { run: MeasuredRun, lines: ReturnType<typeof syntheticRun>['timeline'] } {
  const { result, timeline } = syntheticRun({ seconds: 120 })
  const { checks: _checks, verdict: _verdict, comparison: _comparison, baseline: _baseline, ...run } = result
  for (const target of Object.values(run.targets)) delete target.leak
  return { run, lines: timeline }
}

/** Three minutes of a heap growing 2 MB/min (new) and a flat one (old), one sample a second. */
function memory (target: string, bytesPerSec: number): { target: string, samples: MemorySample[] } {
  const samples = Array.from({ length: 180 }, (_, i): MemorySample => ({ tSec: i + 1, rssBytes: 80e6 + bytesPerSec * i, heapBytes: 30e6 + bytesPerSec * i + ((i * 7919) % 13) * 1e4, phase: 'steady', load: 300 }))
  return { target, samples }
}

describe('analyzeRun', () => {
  it('SLO checks are those of each target, the verdict follows them, and the input is left as it was', () => {
    const { run } = measured()
    const before = JSON.stringify(run)
    const limits = { p99: 2, errorRate: 0.5 }
    const result = analyzeRun({ run, slo: limits })
    const expected = Object.entries(run.targets).flatMap(([name, summary]) => sloChecks(name, summary, limits))
    expect(result.checks).toEqual(expected)
    expect(result.verdict).toBe(expected.some((check) => check.status === 'fail') ? 'fail' : 'pass')
    expect(expected.some((check) => check.id === 'slo.p99' && check.status === 'fail')).toBe(true)
    expect(JSON.stringify(run)).toBe(before)
  })

  it('what is not asked for is not judged: no SLO, leak, comparison or baseline without their inputs', () => {
    const { run } = measured()
    const result: RunResult = analyzeRun({ run, commandChecks: [{ id: 'smoke.a.request', target: 'old', status: 'pass', observed: 0, limit: 0, unit: 'failures', message: 'passed' }] })
    expect(result.checks.map((check) => check.id)).toEqual(['smoke.a.request'])
    expect(result.verdict).toBe('pass')
    expect(result.comparison).toBeUndefined()
    expect(result.baseline).toBeUndefined()
    expect(Object.values(result.targets).every((target) => target.leak === undefined)).toBe(true)
  })

  it('leak verdicts go on the judged targets (not the input), with checks.leak and memory growth of new against old', () => {
    const { run, lines } = measured()
    const result = analyzeRun({
      run,
      leak: { memory: [memory('old', 0), memory('new', 2e6 / 60)], maxGrowth: 'auto' },
      compare: { lines, phases: [], intervalMs: 1000, tolerances: {} }
    })
    expect(result.targets.new?.leak?.verdict).toBe('leak')
    expect(result.targets.old?.leak?.verdict).toBe('stable')
    expect(run.targets.new?.leak).toBeUndefined()
    expect(result.checks.filter((check) => check.id === 'leak').map((check) => [check.target, check.status])).toEqual([['old', 'pass'], ['new', 'fail']])
    expect(result.comparison?.metrics.at(-1)?.name).toBe('memoryGrowth')
    expect(result.verdict).toBe('fail')
  })

  it('a missing baseline is one inconclusive check saying how to save one; the verdict says inconclusive', () => {
    const { run, lines } = measured()
    const result = analyzeRun({ run, baseline: { found: { state: 'missing', message: 'no baseline yet at baselines/x.json' }, lines, runDirName: 'x' } })
    expect(result.checks).toEqual([{ id: 'baseline.file', status: 'inconclusive', observed: 0, limit: 1, unit: 'files', message: 'no baseline yet at baselines/x.json' }])
    expect(result.verdict).toBe('inconclusive')
  })

  it('a capacity run compares only the knees', () => {
    const { run } = measured()
    const knee = (maxRps: number): NonNullable<MeasuredRun['targets'][string]['capacity']> => ({ maxRps, limitedBy: 'latency', bracket: [maxRps, maxRps + 100], curve: [] })
    const targets = { old: { ...run.targets.old!, capacity: knee(1000) }, new: { ...run.targets.new!, capacity: knee(500) } }
    const result = analyzeRun({ run: { ...run, targets }, compare: { lines: [], phases: [], intervalMs: 1000, tolerances: {}, only: ['capacity'] } })
    expect(result.comparison?.metrics.map((metric) => metric.name)).toEqual(['capacity'])
    expect(result.checks.map((check) => check.id)).toEqual(['compare.capacity'])
    expect(result.checks[0]?.status).toBe('fail')
  })
})
