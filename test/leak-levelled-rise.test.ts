import { describe, expect, it } from 'vitest'
import { detectLeak } from '../src/analysis/leak/detector.js'
import { levelledRise } from '../src/analysis/leak/levelled-rise.js'
import type { MemorySample, TimedValue } from '../src/analysis/leak/types.js'

const MB = 1e6
const wobble = (i: number): number => [0, 0.15e6, -0.1e6, 0.2e6, -0.2e6, 0.05e6, -0.15e6][i % 7] as number
/** 30 MB filled over the first 60 s after a 20 s warm-up, then flat to 260 s: a bounded cache. */
const cacheFill = (t: number): number => 30 * MB * Math.min(1, Math.max(0, t - 20) / 60)

describe('levelledRise', () => {
  const points = (f: (t: number) => number): TimedValue[] => Array.from({ length: 30 }, (_, i) => ({ tSec: 10 * i, value: 50 * MB + f(10 * i) }))

  it('finds a rise that came early and stopped, with when it stopped', () => {
    const found = levelledRise([points(cacheFill)], 0.1 * MB)
    // first three points at 50 MB (t = 0, 10, 20), the last third at 80 MB; 90% of the rise (27 MB) first at t = 80
    expect(found).toEqual({ riseBytes: 30 * MB, flatFromSec: 80 })
  })

  it('says nothing of a steady climb, a flat floor, or a rise within the noise', () => {
    expect(levelledRise([points((t) => 100_000 * t)], 0.1 * MB)).toBeUndefined()
    expect(levelledRise([points(() => 0)], 0.1 * MB)).toBeUndefined()
    expect(levelledRise([points(cacheFill)], 6 * MB)).toBeUndefined()
    expect(levelledRise([points((t) => (t > 100 ? 1.5 * MB : 0))], 0.1 * MB)).toBeUndefined()
  })
})

describe('detectLeak on memory that rose and levelled off', () => {
  const series = (make: (t: number, i: number) => MemorySample): MemorySample[] => Array.from({ length: 260 }, (_, i) => make(i, i))

  it('calls a heap cache that filled and stopped saturating, and the same service without it stable', () => {
    const cache = detectLeak({ samples: series((t, i) => ({ tSec: t, phase: t < 20 ? 'warmup' : 'steady', heapBytes: 20 * MB + cacheFill(t) + wobble(i), heapCommittedBytes: 40 * MB + cacheFill(t), rssBytes: 90 * MB + cacheFill(t) + wobble(i + 2) })) })
    expect(cache.verdict, cache.reason).toBe('saturating')
    expect(cache.signal).toBe('heap')
    expect(cache.reason).toMatch(/^Heap rose 2\d\.\d MB after warm-up and has been flat since about \d+ s into the run \(overall the heap floor changes .*\), as a cache or warm-up filling up does: not a leak\.$/)
    const clean = detectLeak({ samples: series((t, i) => ({ tSec: t, phase: t < 20 ? 'warmup' : 'steady', heapBytes: 20 * MB + wobble(i), heapCommittedBytes: 40 * MB, rssBytes: 90 * MB + wobble(i + 2) })) })
    expect(clean.verdict, clean.reason).toBe('stable')
  })

  it('calls a cache of Buffers (bytes outside a flat heap) saturating on the memory outside the heap, and one judged on RSS alone too', () => {
    const buffers = series((t, i) => ({ tSec: t, phase: t < 20 ? 'warmup' : 'steady', heapBytes: 20 * MB + wobble(i), heapCommittedBytes: 40 * MB, rssBytes: 90 * MB + cacheFill(t) + wobble(i + 2) }))
    const judged = detectLeak({ samples: buffers })
    expect(judged.verdict, judged.reason).toBe('saturating')
    expect(judged.signal).toBe('rss')
    expect(judged.reason).toMatch(/^Memory outside the JS heap \(RSS − committed heap\) rose .* The JS heap stays flat\.$/)
    const rssOnly = detectLeak({ samples: buffers.map(({ tSec, phase, rssBytes }) => ({ tSec, phase, rssBytes })) })
    expect(rssOnly.verdict, rssOnly.reason).toBe('saturating')
    expect(rssOnly.reason).toMatch(/^RSS rose/)
  })
})
