// The memoryGrowth gate of a rollout step (issue 18, item 3): cutover's leak analysis on new's and old's memory so far.
import { describe, expect, it } from 'vitest'
import type { TargetMemory } from '../src/analysis/leak-for-run.js'
import { memoryGrowthGate } from '../src/analysis/rollout-memory-gate.js'
import type { MemorySample } from '../src/analysis/leak/types.js'
import { parseScenario } from '../src/scenario/load.js'

/** A small deterministic wobble (±0.2 MB) so the envelope has noise to measure. */
const wobble = (i: number): number => [0, 0.15e6, -0.1e6, 0.2e6, -0.2e6, 0.05e6, -0.15e6][i % 7] as number

/** `seconds` of heap samples twice a second at 300 req/s, growing `bytesPerSec`. */
function series (target: string, seconds: number, bytesPerSec: number): TargetMemory {
  const samples: MemorySample[] = Array.from({ length: seconds * 2 }, (_, i) => {
    const tSec = i / 2
    const heap = 40e6 + bytesPerSec * tSec + wobble(i)
    return { tSec, rssBytes: heap + 30e6, heapBytes: heap, phase: 'live', load: 300 }
  })
  return { target, samples }
}

describe('the memoryGrowth gate', () => {
  it('fails a new that grows 6 MB/min beside a flat old, and says by how much', () => {
    const gate = memoryGrowthGate(series('old', 120, 0), series('new', 120, 100_000), 'auto')
    expect(gate?.gate).toBe('memoryGrowth')
    expect(gate?.status).toBe('fail')
    // the Theil–Sen slope of a straight line with a periodic wobble is the line's slope
    expect(gate?.observed).toBeCloseTo(100_000, -3)
    expect(gate?.ci[0]).toBeGreaterThan(0)
    expect(gate?.message).toMatch(/^memory: new's heap grows 6\.\d\d MB\/min \(95% CI .*\), old's .*; memory leak: .*; NEW's memory grows faster than OLD's by /)
  })

  it('fails a leaking new when old has only RSS (no heap reported) and does not leak: slopes of two witnesses are not compared', () => {
    // old's RSS wanders ±30 MB (a fixed pseudo-random sequence) around a flat line: its slope's interval is wide
    let seed = 7
    const noise = (): number => { seed = (seed * 48271) % 2147483647; return (seed / 2147483647 - 0.5) * 60e6 }
    const oldRss: TargetMemory = { target: 'old', samples: series('old', 120, 0).samples.map(({ heapBytes: _heap, ...sample }) => ({ ...sample, rssBytes: sample.rssBytes + noise() })) }
    const gate = memoryGrowthGate(oldRss, series('new', 120, 12_000), 'auto')
    expect(gate?.status).toBe('fail')
    expect(gate?.message).toMatch(/; old's rss does not leak \(inconclusive\), and the two were measured on different witnesses \(new's heap, old's rss\), so their slopes are not compared$/)
    // old leaking on RSS as well: not new's fault alone
    const oldLeaking: TargetMemory = { target: 'old', samples: series('old', 120, 100_000).samples.map(({ heapBytes: _heap, ...sample }) => sample) }
    expect(memoryGrowthGate(oldLeaking, series('new', 120, 100_000), 'auto')?.status).not.toBe('fail')
  })

  it('passes when neither grows', () => {
    const gate = memoryGrowthGate(series('old', 120, 0), series('new', 120, 0), 'auto')
    expect(gate?.status).toBe('pass')
  })

  it('does not fail new for growth old shows too (the same live traffic grows both)', () => {
    const gate = memoryGrowthGate(series('old', 120, 100_000), series('new', 120, 100_000), 'auto')
    expect(gate?.status).not.toBe('fail')
  })

  it('with a growth limit, a leak below it passes', () => {
    // 6 MB/min against a 20 MB/min limit (333,333 B/s)
    const gate = memoryGrowthGate(series('old', 120, 0), series('new', 120, 100_000), 20e6 / 60)
    expect(gate?.status).toBe('pass')
    expect(gate?.limit).toBeCloseTo(20e6 / 60, 6)
  })

  it('is inconclusive on a few seconds of samples, and absent without samples', () => {
    expect(memoryGrowthGate(series('old', 6, 0), series('new', 6, 100_000), 'auto')?.status).toBe('inconclusive')
    expect(memoryGrowthGate({ target: 'old', samples: [] }, series('new', 120, 100_000), 'auto')).toBeUndefined()
  })

  it('is set in the scenario as auto, off or a growth rate (5MB/min is 83,333 bytes a second)', () => {
    const gates = (value: string): unknown => parseScenario(`
name: g
targets: { old: { url: "http://127.0.0.1:3001" }, new: { url: "http://127.0.0.1:3002" } }
requests: [{ name: r, path: / }]
phases: [{ name: p, duration: 1s, rate: 1 }]
proxy: { mode: rollout, rollout: { gates: { memoryGrowth: ${value} } } }
`, 'g.yaml').config.proxy?.rollout?.gates?.memoryGrowth
    expect(gates('5MB/min')).toBeCloseTo(5e6 / 60, 6)
    expect(gates('auto')).toBe('auto')
    expect(gates('off')).toBe('off')
  })
})
