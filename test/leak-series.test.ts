import { describe, expect, it } from 'vitest'
import { chooseEnvelopeWindow, lowerEnvelope, successiveDifferenceNoise } from '../src/analysis/leak/envelope.js'
import { isRamp, phaseRuns, steadyLoadBlocks } from '../src/analysis/leak/load-blocks.js'
import { plateauFit } from '../src/analysis/leak/plateau.js'
import { analyseCooldown } from '../src/analysis/leak/cooldown.js'
import { prepareSeries } from '../src/analysis/leak/prepare.js'
import { longestSegment, olsFit, sampleCoverage, splitAtRestarts, trimWarmup } from '../src/analysis/leak/series.js'
import type { MemorySample, TimedValue } from '../src/analysis/leak/types.js'

const points = (values: number[], startSec = 0): TimedValue[] => values.map((value, i) => ({ tSec: startSec + i, value }))

describe('lower envelope', () => {
  it('takes the minimum of each window, aligned to the end, stamped at the window centre (by hand)', () => {
    // windows [4, 8, 6] at t 2..4 and [7, 2, 9] at t 5..7; the partial [5, 3] at the start is dropped
    expect(lowerEnvelope(points([5, 3, 4, 8, 6, 7, 2, 9]), 3)).toEqual([{ tSec: 3, value: 4 }, { tSec: 6, value: 2 }])
    expect(lowerEnvelope(points([5, 3]), 1)).toEqual(points([5, 3]))
  })

  it('measures noise from successive differences around their median (by hand)', () => {
    expect(successiveDifferenceNoise([0, 1, 2, 3])).toBe(0) // a pure trend has no noise
    // diffs 2, -2, 2 -> median 2 -> deviations 0, -4, 0 -> sqrt(16 / 3 / 2)
    expect(successiveDifferenceNoise([0, 2, 0, 2])).toBeCloseTo(Math.sqrt(8 / 3), 15)
  })

  it('chooses a window as long as the GC sawtooth period, where the floor is a clean line', () => {
    // 5 MB sawtooth with a 5-sample period on a 1 KB/s trend: windows of 5 land one trough each.
    const sawtooth = points(Array.from({ length: 100 }, (_, i) => (i % 5) * 1e6 + 1000 * i))
    expect(chooseEnvelopeWindow([sawtooth], { minWindows: 12 })).toBe(5)
    expect(lowerEnvelope(sawtooth, 5).map((p) => p.value)).toEqual(Array.from({ length: 20 }, (_, w) => 5000 * w))
    // Too few samples for 12 windows of even one sample.
    expect(chooseEnvelopeWindow([points([1, 2, 3])], { minWindows: 12 })).toBe(0)
  })
})

describe('restarts, warm-up, coverage, least squares', () => {
  const samples = (values: number[]): Array<{ tSec: number, rssBytes: number }> => values.map((rssBytes, tSec) => ({ tSec, rssBytes }))

  it('splits where RSS falls below half the previous value, and at reported restarts', () => {
    const dropped = splitAtRestarts(samples([100, 110, 120, 50, 60, 70, 80]), (s) => s.rssBytes)
    expect(dropped.map((segment) => segment.map((s) => s.rssBytes))).toEqual([[100, 110, 120], [50, 60, 70, 80]])
    expect(longestSegment(dropped).map((s) => s.tSec)).toEqual([3, 4, 5, 6])
    // 61 is not below half of 120; a reported restart at t = 2.5 still splits before t = 3.
    const reported = splitAtRestarts(samples([100, 110, 120, 61, 62]), (s) => s.rssBytes, [2.5])
    expect(reported.map((segment) => segment.length)).toEqual([3, 2])
    expect(splitAtRestarts(samples([100, 110, 120, 61, 62]), (s) => s.rssBytes)).toHaveLength(1)
  })

  it('trims the warmup phase when phases are named, else the first 15% of the span', () => {
    const named = [0, 1, 2, 3, 4].map((tSec) => ({ tSec, phase: tSec < 2 ? 'warmup' : 'steady' }))
    expect(trimWarmup(named)).toEqual({ kept: named.slice(2), trimmedSec: 2, by: 'phase' })
    const unnamed = Array.from({ length: 21 }, (_, tSec) => ({ tSec }))
    const trim = trimWarmup(unnamed) // cut at 0.15 * 20 = 3 s
    expect(trim.kept[0]?.tSec).toBe(3)
    expect(trim.trimmedSec).toBe(3)
    expect(trim.by).toBe('fraction')
  })

  it('fits least squares and counts coverage (by hand)', () => {
    expect(olsFit([0, 1, 2], [1, 3, 5])).toEqual({ slope: 2, intercept: 1 })
    expect(sampleCoverage([0, 1, 2, 4, 5])).toBeCloseTo(5 / 6, 15) // one of six 1-s samples missing
    expect(sampleCoverage([0, 1, 2, 3])).toBe(1)
  })
})

describe('steady-load blocks', () => {
  const phase = (name: string, fromSec: number, toSec: number, load: (t: number) => number): MemorySample[] =>
    Array.from({ length: toSec - fromSec }, (_, i) => ({ tSec: fromSec + i, rssBytes: 1e8, phase: name, load: load(fromSec + i) }))

  it('leaves out a ramp when the steady phases hold enough of the run', () => {
    const run = [...phase('ramp', 0, 30, (t) => 50 + (350 * t) / 30), ...phase('steady', 30, 150, () => 400)]
    expect(phaseRuns(run).map((r) => r.length)).toEqual([30, 120])
    expect(isRamp(run.slice(0, 30))).toBe(true)
    const { blocks, skippedPhases } = steadyLoadBlocks(run)
    expect(skippedPhases).toEqual(['ramp'])
    expect(blocks.map((b) => b[0]?.phase)).toEqual(['steady'])
  })

  it('keeps everything when the ramp is most of the run', () => {
    const run = [...phase('ramp', 0, 100, (t) => 50 + 3 * t), ...phase('steady', 100, 120, () => 350)]
    expect(steadyLoadBlocks(run).skippedPhases).toEqual([])
  })
})

describe('plateau test', () => {
  const times = Array.from({ length: 21 }, (_, i) => 5 * i)

  it('finds a clean grow-then-flat shape and reports where it bends', () => {
    const fit = plateauFit(times.map((tSec) => ({ tSec, value: Math.min(tSec, 50) })))
    expect(fit.f).toBe(Infinity) // the bent line fits exactly, the straight one does not
    expect(fit.bendSec).toBe(50)
    // OLS of min(t, 50) over t = 0, 5, …, 100: Sxy/Sxx = 9625/19250 (numpy.polyfit gives 0.5)
    expect(fit.lineSlope).toBeCloseTo(0.5, 12)
  })

  it('gives a straight line no reason to bend', () => {
    const wobble = [0.3, -0.2, 0.1, -0.4, 0.2]
    const fit = plateauFit(times.map((tSec, i) => ({ tSec, value: 2 * tSec + (wobble[i % 5] as number) })))
    expect(fit.f).toBeLessThan(1)
  })
})

describe('cooldown', () => {
  const main = Array.from({ length: 20 }, (_, i) => ({ tSec: 10 + 5 * i, value: 100e6 + 1e6 * i }))

  it('sees memory that came back down as following the load', () => {
    const cooldown = Array.from({ length: 40 }, (_, i) => ({ tSec: 110 + i, value: 100.2e6 + (i % 2) * 0.1e6 }))
    const result = analyseCooldown(main, cooldown, 1, 0.3e6, 4369)
    expect(result?.returned).toBe(true)
    // peak: running median of 3 at the last point (of 118 and 119 MB) = 118.5 MB; start: median of 100, 101, 102 MB
    expect(result?.riseBytes).toBe(17.5e6)
  })

  it('sees memory kept after the load fell as retained', () => {
    const cooldown = Array.from({ length: 40 }, (_, i) => ({ tSec: 110 + i, value: 118e6 + (i % 2) * 0.1e6 }))
    const result = analyseCooldown(main, cooldown, 1, 0.3e6, 4369)
    expect(result?.returned).toBe(false)
    // start level = median of the first 3 envelope points (101 MB); late cooldown median 118.05 MB
    expect(result?.retainedBytes).toBeCloseTo(17.05e6, 0)
  })
})

describe('series preparation', () => {
  it('keeps the longest segment after a restart and trims half of it as warm-up', () => {
    const samples: MemorySample[] = Array.from({ length: 180 }, (_, tSec) => ({
      tSec, rssBytes: tSec < 60 ? 150e6 : 50e6, heapBytes: 40e6, phase: tSec < 10 ? 'warmup' : 'steady'
    }))
    const prepared = prepareSeries({ samples }, 'heap')
    expect(prepared.restarts).toBe(1)
    expect(prepared.warmupTrimmedSec).toBeCloseTo(119 / 2, 12) // segment t = 60..179, span 119 s
    expect(prepared.main[0]?.tSec).toBe(120)
    expect(prepared.main).toHaveLength(60)
  })
})
