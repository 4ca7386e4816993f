import { describe, expect, it } from 'vitest'
import { detectLeak } from '../src/analysis/leak/detector.js'
import { baselineVerdicts } from './support/leak/baselines.js'
import { leakKinds, nonLeakKinds, syntheticSeries, type SyntheticKind } from './support/leak/synthetic.js'

/*
 * A quick accuracy smoke on the synthetic corpus: 20 seeds per kind, 3-minute
 * soaks sampled every second, leaks at 2 MB/min (the per-request leak under a
 * load ramp too, judged against the requests served). The full benchmark (more seeds, rates, durations) lives outside
 * the tests. Correct = verdict 'leak' exactly for the leaking kinds.
 */
const seeds = Array.from({ length: 20 }, (_, i) => i + 1)
const rules = ['detector', 'ols', 'memwatch', 'coroot'] as const
const rateFor = (_kind: SyntheticKind): number => (2 * 1e6) / 60

function score (kind: SyntheticKind): Record<typeof rules[number], number> {
  const correct = { detector: 0, ols: 0, memwatch: 0, coroot: 0 }
  for (const seed of seeds) {
    const series = syntheticSeries({ kind, seed, leakBytesPerSec: rateFor(kind) })
    const input = { samples: series.samples, memoryLimitBytes: series.memoryLimitBytes, restartsAtSec: series.restartsAtSec }
    const leaking = series.label === 'leak'
    if ((detectLeak(input).verdict === 'leak') === leaking) correct.detector++
    for (const baseline of baselineVerdicts(input)) if (baseline.leak === leaking) correct[baseline.rule]++
  }
  return correct
}

describe('leak detector accuracy smoke (20 seeds per kind, 2 MB/min, 3-minute soak)', () => {
  const table = new Map([...leakKinds, ...nonLeakKinds].map((kind) => [kind, score(kind)]))
  const pooled = (kinds: readonly SyntheticKind[], rule: typeof rules[number]): number =>
    kinds.reduce((sum, kind) => sum + (table.get(kind)?.[rule] ?? 0), 0) / (kinds.length * seeds.length)

  it('gets at least 90% of leaks and of non-leaks right, and no kind below 80%', () => {
    console.info([
      `kind               ${rules.map((r) => r.padStart(9)).join('')}`,
      ...[...table].map(([kind, row]) => `${kind.padEnd(19)}${rules.map((r) => `${((row[r] / seeds.length) * 100).toFixed(0)}%`.padStart(9)).join('')}`)
    ].join('\n'))
    expect(pooled(leakKinds, 'detector')).toBeGreaterThanOrEqual(0.9)
    expect(pooled(nonLeakKinds, 'detector')).toBeGreaterThanOrEqual(0.9)
    for (const [, row] of table) expect(row.detector / seeds.length).toBeGreaterThanOrEqual(0.8)
  })

  it('beats every baseline rule on balanced accuracy', () => {
    const balanced = (rule: typeof rules[number]): number => (pooled(leakKinds, rule) + pooled(nonLeakKinds, rule)) / 2
    for (const rule of ['ols', 'memwatch', 'coroot'] as const) expect(balanced('detector')).toBeGreaterThan(balanced(rule))
  })
})
