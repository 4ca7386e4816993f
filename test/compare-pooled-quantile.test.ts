import { describe, expect, it } from 'vitest'
import { comparePooledQuantile } from '../src/analysis/compare/compare-pooled-quantile.js'
import { seededRandom } from '../src/core/random.js'
import { standardNormal } from '../src/analysis/stats/random.js'
import { createHistogram, recordUs } from '../src/metrics/histogram.js'
import { compactHistogram, pooledPercentileUs, type CompactHistogram } from '../src/metrics/histogram-values.js'

/**
 * Windows of latencies as a loaded service gives them: log-normal requests (median `medianMs`, σ 0.5 on the log
 * scale, a heavy tail), and a per-window level that drifts as AR(1) (φ 0.5, σ 0.1): machine noise between windows.
 */
function windows (random: () => number, count: number, medianMs: number, requests = 200): CompactHistogram[] {
  const out: CompactHistogram[] = []
  let level = 0
  for (let w = 0; w < count; w++) {
    level = 0.5 * level + 0.1 * standardNormal(random)
    const histogram = createHistogram()
    for (let i = 0; i < requests; i++) recordUs(histogram, medianMs * 1000 * Math.exp(level + 0.5 * standardNormal(random)))
    out.push(compactHistogram(histogram))
  }
  return out
}

describe('pooled percentile comparison', () => {
  it('pools histograms exactly: the p99 of merged windows equals the p99 of one histogram of every value', () => {
    const a = createHistogram()
    const b = createHistogram()
    const all = createHistogram()
    for (let i = 1; i <= 300; i++) { recordUs(a, i * 10); recordUs(all, i * 10) }
    for (let i = 1; i <= 100; i++) { recordUs(b, 5000 + i * 7); recordUs(all, 5000 + i * 7) }
    for (const percentile of [50, 90, 99, 100]) {
      expect(pooledPercentileUs([compactHistogram(a), compactHistogram(b)], percentile), `p${percentile}`).toBe(all.getValueAtPercentile(percentile))
    }
  })

  it('A/A: at most 5% of 200 synthetic trials fail at +10% on p99', () => {
    const random = seededRandom(11)
    let failed = 0
    for (let trial = 0; trial < 200; trial++) {
      const result = comparePooledQuantile({ name: 'p99', percentile: 99, old: windows(random, 20, 2), new: windows(random, 20, 2), tolerance: { kind: 'relative', fraction: 0.1 }, seed: trial, resamples: 300 })
      if (result.verdict === 'fail') failed++
    }
    expect(failed / 200).toBeLessThanOrEqual(0.05)
  })

  it('a 20% p99 regression fails in at least 95% of 200 synthetic trials (60 windows a side)', () => {
    const random = seededRandom(12)
    let failed = 0
    for (let trial = 0; trial < 200; trial++) {
      const result = comparePooledQuantile({ name: 'p99', percentile: 99, old: windows(random, 60, 2), new: windows(random, 60, 2.4), tolerance: { kind: 'relative', fraction: 0.1 }, seed: trial, resamples: 300 })
      if (result.verdict === 'fail') failed++
    }
    expect(failed / 200).toBeGreaterThanOrEqual(0.95)
  })

  it('too few windows is inconclusive, with what would settle it', () => {
    const random = seededRandom(3)
    const result = comparePooledQuantile({ name: 'p99', percentile: 99, old: windows(random, 4, 2), new: windows(random, 4, 2), tolerance: { kind: 'relative', fraction: 0.1 }, seed: 1 })
    expect(result.verdict).toBe('inconclusive')
    expect(result.message).toMatch(/only 4 old and 4 new windows/)
  })

  it('a side without responses (a target that failed) is inconclusive and says so, no NaN in the message', () => {
    const result = comparePooledQuantile({ name: 'p99', percentile: 99, old: windows(seededRandom(3), 12, 2), new: [], tolerance: { kind: 'relative', fraction: 0.1 }, seed: 1 })
    expect(result.verdict).toBe('inconclusive')
    expect(result.message).toMatch(/^p99: new no responses vs old \d+\.\d\d ms; only 12 old and 0 new windows/)
    expect(result.message).not.toContain('NaN')
  })
})
