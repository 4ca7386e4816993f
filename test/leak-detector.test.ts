import { describe, expect, it } from 'vitest'
import { detectLeak, minMeaningfulGrowth, rssWitnessNote } from '../src/analysis/leak/detector.js'
import { leakCheck } from '../src/analysis/leak/leak-check.js'
import { compareGrowth } from '../src/analysis/leak/compare-growth.js'
import { syntheticSeries, type SyntheticKind } from './support/leak/synthetic.js'
import type { LeakInput, LeakResult, MemorySample } from '../src/analysis/leak/types.js'

const MiB = 1024 * 1024
const perMin = (mb: number): number => (mb * 1e6) / 60

/** A noiseless RSS series growing 50 000 bytes/s (3 MB/min), t = 0…179 s, no phases. */
const linearRss: MemorySample[] = Array.from({ length: 180 }, (_, tSec) => ({ tSec, rssBytes: 100e6 + 50_000 * tSec }))

/** A small deterministic wobble (±0.2 MB) so the envelope has noise to measure. */
const wobble = (i: number): number => [0, 0.15e6, -0.1e6, 0.2e6, -0.2e6, 0.05e6, -0.15e6][i % 7] as number

describe('detectLeak on hand-made series', () => {
  it('calls a straight 3 MB/min climb a leak, with the exact slope, fit and time to the limit', () => {
    const result = detectLeak({ samples: linearRss, memoryLimitBytes: 512 * MiB })
    expect(result.verdict).toBe('leak')
    expect(result.signal).toBe('rss')
    expect(result.slopeBytesPerSec).toBe(50_000)
    expect(result.slopeCi).toEqual([50_000, 50_000])
    expect(result.pValue).toBeLessThan(1e-50)
    expect(result.tailToOverallRatio).toBeCloseTo(1, 9)
    // No phases: the first 15% of 179 s is warm-up, so the analysis starts at t = 27 s.
    expect(result.details.warmupTrimmedSec).toBe(27)
    expect(result.fit).toEqual({ t0Sec: 27, t1Sec: 179, interceptBytes: 100e6 + 50_000 * 27 })
    // Time to limit from the lowest RSS of the last tenth (t = 164…179): (536870912 − 108.2e6) / 50000, by hand.
    expect(result.timeToLimitSec).toBeCloseTo((512 * MiB - 108.2e6) / 50_000, 6)
    // 256 KiB/min is above 1% of 512 MiB per hour (1491 B/s).
    expect(result.minGrowthBytesPerSec).toBeCloseTo(262_144 / 60, 9)
    expect(result.reason).toBe('RSS grows 3.00 MB/min (95% CI 3.00 to 3.00 MB/min, p < 1e-6) under steady load through to the end of the run; at this rate RSS reaches the 512 MiB limit in 2.4 h.')
  })

  it('restates the slope of a target idle half the time (interleaved) under load and per 1,000 requests, and projects from the load', () => {
    // 2.5 s slices at 200 req/s, then idle; memory grows 2 MB/min only while loaded (a clean floor, no noise)
    const perLoadedSec = 2e6 / 60
    let grown = 0
    const samples = Array.from({ length: 360 }, (_, i) => {
      const tSec = i * 0.5
      const load = Math.floor(tSec / 2.5) % 2 === 0 ? 200 : 0
      if (load > 0 && i > 0) grown += perLoadedSec * 0.5
      return { tSec, rssBytes: 100e6 + grown + (i % 7) * 1e3, phase: tSec < 10 ? 'warmup' : 'soak', load }
    })
    const result = detectLeak({ samples, memoryLimitBytes: 512 * MiB })
    expect(result.verdict).toBe('leak')
    expect(result.slopeBytesPerSec / perLoadedSec).toBeCloseTo(0.5, 1)
    expect(result.underLoad?.share).toBeCloseTo(0.5, 1)
    expect((result.underLoad?.slopeBytesPerSec ?? NaN) / perLoadedSec).toBeCloseTo(1, 1)
    // 2 MB/min at 200 req/s = 33,333 B/s over 200 requests a second = 166.7 bytes a request
    expect((result.underLoad?.bytesPerThousandRequests ?? NaN) / 166_667).toBeCloseTo(1, 1)
    expect(result.underLoad?.loadWhileLoaded).toBe(200)
    // projected from the growth under load: about half the wall-clock projection
    const recentFloor = Math.min(...samples.slice(-36).map((s) => s.rssBytes))
    expect(result.timeToLimitSec).toBeCloseTo((512 * MiB - recentFloor) / (result.underLoad?.slopeBytesPerSec ?? NaN), 3)
    expect(result.reason).toMatch(/^RSS grows 1\.\d\d MB\/min .* of wall clock; under load \(5\d% of the time\) it grows 2\.\d\d MB\/min, 16\d KB per 1,000 requests; under continuous load at 200 req\/s, RSS reaches the 512 MiB limit in [\d.]+ h\.$/)
  })

  it('calls a flat series stable', () => {
    const samples = Array.from({ length: 180 }, (_, tSec) => ({ tSec, rssBytes: 100e6 + wobble(tSec) }))
    const result = detectLeak({ samples })
    expect(result.verdict).toBe('stable')
    expect(result.reason).toMatch(/^No lasting growth/)
  })

  it('a real but tiny trend is stable, and says so beside its p-value rather than contradict it', () => {
    // 0.05 MB/min of steady growth: significant over 3 minutes of samples, far below the 0.25 MB/min that matters
    const samples = Array.from({ length: 180 }, (_, tSec) => ({ tSec, rssBytes: 100e6 + (0.05e6 / 60) * tSec + wobble(tSec) / 20 }))
    const result = detectLeak({ samples })
    expect(result.verdict).toBe('stable')
    expect(result.pValue).toBeLessThan(0.01)
    expect(result.reason).toMatch(/^No lasting growth that matters \(the trend is real, but small\): /)
  })

  it('says how long a soak would settle it when there is too little data', () => {
    const result = detectLeak({ samples: linearRss.slice(0, 10) })
    expect(result.verdict).toBe('inconclusive')
    expect(result.slopeBytesPerSec).toBeNaN()
    expect(result.reason).toBe(`Only 7 s of memory samples under steady load after warm-up; a soak of at least 3 min would settle it. ${rssWitnessNote}`)
    expect(rssWitnessNote).toMatch(/^This was judged on RSS \(no heap figure for this target\), a noisier witness: it needs about twice the growth/)
  })

  it('will not judge a series the sampler could not keep up with', () => {
    const result = detectLeak({ samples: linearRss.filter((s) => s.tSec % 3 !== 2) })
    expect(result.verdict).toBe('inconclusive')
    // 120 samples kept over t = 0…178 at a 1 s median interval, where 179 were expected
    expect(result.details.coverage).toBeCloseTo(120 / 179, 12)
    expect(result.reason).toMatch(/^Only 67% of the expected memory samples arrived/)
  })

  it('does not call memory that rose with the load and fell back in cooldown a leak', () => {
    const phaseOf = (t: number): string => (t < 10 ? 'warmup' : t < 140 ? 'steady' : 'cooldown')
    const rises = (t: number): number => (t < 10 ? 0 : t < 140 ? 200_000 * (t - 10) : 0)
    const returned = detectLeak({ samples: Array.from({ length: 180 }, (_, t) => ({ tSec: t, rssBytes: 100e6 + rises(t) + wobble(t), phase: phaseOf(t) })) })
    expect(returned.verdict).toBe('stable')
    // The rise is measured from the floor early under load (the first 15% of envelope points) to the peak.
    expect(returned.reason).toMatch(/^RSS rose 2\d\.\d MB with the load and fell back to its starting level in cooldown: it follows the load, it does not leak\.$/)
    expect(returned.details.cooldownRetainedBytes).toBeLessThan(1e6)
    // The same climb that stays up in cooldown is a leak.
    const keeps = (t: number): number => (t < 10 ? 0 : 200_000 * (Math.min(t, 139) - 10))
    const kept = detectLeak({ samples: Array.from({ length: 180 }, (_, t) => ({ tSec: t, rssBytes: 100e6 + keeps(t) + wobble(t), phase: phaseOf(t) })) })
    expect(kept.verdict).toBe('leak')
    expect(kept.reason).toMatch(/and kept 2\d\.\d MB after the load fell/)
  })

  it('leaves the pages a growing heap commits out of the memory outside it, and still finds a Buffer leak beside a heap leak', () => {
    // the heap leaks 1 MB/min; the heap commits 4 MB/min (young space growing ahead of its use); RSS is the committed heap
    // plus a flat 30 MB: RSS − used grows 3 MB/min, three times the heap, but nothing outside the heap grows
    const heapLeak = (i: number): MemorySample => {
      const heapBytes = 50e6 + perMin(1) * i + wobble(i)
      const heapCommittedBytes = 60e6 + perMin(4) * i
      return { tSec: i, heapBytes, heapCommittedBytes, rssBytes: heapCommittedBytes + 30e6 + wobble(i + 3) }
    }
    const samples = Array.from({ length: 180 }, (_, i) => heapLeak(i))
    const judged = detectLeak({ samples })
    expect(judged.verdict).toBe('leak')
    expect(judged.signal).toBe('heap')
    expect(judged.reason).toMatch(/^Heap grows/)
    // without the committed size the same series is reported as memory outside the heap, the mistake this prevents
    const usedOnly = detectLeak({ samples: samples.map(({ heapCommittedBytes: _, ...rest }) => rest) })
    expect(usedOnly.reason).toMatch(/^Memory outside the JS heap/)
    // a Buffer leak: 10 MB/min outside the heap beside the same heap: reported outside, the heap's growth said too
    const buffers = samples.map((s) => ({ ...s, rssBytes: s.rssBytes + perMin(10) * s.tSec }))
    const both = detectLeak({ samples: buffers })
    expect(both.verdict).toBe('leak')
    expect(both.signal).toBe('rss')
    expect(both.reason).toMatch(/^Memory outside the JS heap \(RSS − committed heap\) grows .* \(Buffers, native modules\).* The JS heap grows too/)
    expect(both.slopeBytesPerSec).toBeGreaterThan(perMin(9))
    expect(both.slopeBytesPerSec).toBeLessThan(perMin(11))
  })

  it('needs a leak to have grown an amount that matters, not only a rate: 0.5 MB/min for 25 s is not a leak, for 3 min it is', () => {
    const creeping = (seconds: number): MemorySample[] => Array.from({ length: seconds }, (_, i) => ({ tSec: i, rssBytes: 100e6 + (0.5e6 / 60) * i + wobble(i) / 10 }))
    // 25 s, less its warm-up: about 0.18 MB in all, under the 1 MB a leak must have grown
    const short = detectLeak({ samples: creeping(25) })
    expect(short.verdict, short.reason).not.toBe('leak')
    const long = detectLeak({ samples: creeping(180) })
    expect(long.verdict, long.reason).toBe('leak')
  })

  it('attaches the checks.leak outcome when maxGrowth is given', () => {
    expect(detectLeak({ samples: linearRss, maxGrowthBytesPerSec: perMin(2) }).check?.status).toBe('fail')
    expect(detectLeak({ samples: linearRss, maxGrowthBytesPerSec: perMin(5) }).check?.status).toBe('pass')
  })
})

describe('leakCheck', () => {
  const leak = detectLeak({ samples: linearRss })
  const withCi = (result: LeakResult, slope: number, low: number, high: number): LeakResult => ({ ...result, slopeBytesPerSec: slope, slopeCi: [low, high] })

  it('fails a leak whose whole interval is above the limit and passes one whose whole interval is below', () => {
    const fail = leakCheck(leak, perMin(2))
    expect(fail).toMatchObject({ status: 'fail', observed: 50_000, limit: perMin(2), unit: 'bytes/s' })
    expect(fail.message).toBe('memory grows 3.00 MB/min (95% CI 3.00 to 3.00 MB/min), above the 2.00 MB/min limit')
    expect(leakCheck(leak, 50_000).status).toBe('pass') // the interval's top equals the limit
    expect(leakCheck(withCi(leak, 50_000, 40_000, 60_000), 50_000).status).toBe('inconclusive')
  })

  it('judges a saturating series by its tail and a stable one by its interval', () => {
    const saturating: LeakResult = { ...withCi(leak, 100_000, 80_000, 120_000), verdict: 'saturating', tailToOverallRatio: 0.1 }
    expect(leakCheck(saturating, perMin(5))).toMatchObject({ status: 'pass', observed: 10_000 })
    expect(leakCheck({ ...saturating, tailToOverallRatio: 1.5 }, perMin(5)).status).toBe('inconclusive')
    const stable: LeakResult = { ...withCi(leak, 0, -5_000, 6_000), verdict: 'stable' }
    expect(leakCheck(stable, perMin(1)).status).toBe('pass')
    expect(leakCheck(stable, 3_000).status).toBe('inconclusive')
  })

  it('with auto, fails leaks only and leaves inconclusive alone', () => {
    expect(leakCheck(leak, 'auto')).toMatchObject({ status: 'fail', limit: leak.minGrowthBytesPerSec })
    expect(leakCheck({ ...leak, verdict: 'stable' }, 'auto').status).toBe('pass')
    expect(leakCheck({ ...leak, verdict: 'inconclusive' }, 'auto').status).toBe('inconclusive')
  })

  it('takes the smallest growth that matters from the limit when that is larger', () => {
    expect(minMeaningfulGrowth()).toBeCloseTo(262_144 / 60, 9)
    expect(minMeaningfulGrowth(8 * 1024 * MiB)).toBeCloseTo((0.01 * 8 * 1024 * MiB) / 3600, 6)
  })
})

describe('compareGrowth (NEW vs OLD)', () => {
  const base = detectLeak({ samples: linearRss })
  const result = (slope: number, low: number, high: number): LeakResult => ({ ...base, slopeBytesPerSec: slope, slopeCi: [low, high] })

  it('combines the two Sen intervals by MOVER (Zou & Donner 2008), by hand', () => {
    // d = 10 − 4 = 6; low = 6 − √((10−8)² + (6−4)²) = 6 − √8; high = 6 + √((13−10)² + (4−3)²) = 6 + √10
    const comparison = compareGrowth(result(10, 8, 13), result(4, 3, 6), 1)
    expect(comparison.differenceBytesPerSec).toBe(6)
    expect(comparison.ci[0]).toBeCloseTo(6 - Math.sqrt(8), 14)
    expect(comparison.ci[1]).toBeCloseTo(6 + Math.sqrt(10), 14)
    expect(comparison.fasterThanOld).toBe(true)
  })

  it('says no when any difference is too small to matter, and inconclusive in between', () => {
    expect(compareGrowth(result(1000, 500, 1500), result(900, 400, 1400)).fasterThanOld).toBe(false)
    const unsure = compareGrowth(result(20_000, 5_000, 40_000), result(5_000, 0, 10_000))
    expect(unsure.fasterThanOld).toBe('inconclusive')
    expect(unsure.reason).toMatch(/a longer soak would settle it$/)
    expect(compareGrowth(result(NaN, NaN, NaN), result(1, 0, 2)).fasterThanOld).toBe('inconclusive')
  })

  it('finds NEW leaking faster than OLD on synthetic series under the same load', () => {
    const input = (kind: SyntheticKind, rate: number): LeakInput => {
      const series = syntheticSeries({ kind, seed: 3, leakBytesPerSec: rate })
      return { samples: series.samples, memoryLimitBytes: series.memoryLimitBytes }
    }
    const comparison = compareGrowth(detectLeak(input('linear', perMin(10))), detectLeak(input('sawtooth', 0)))
    expect(comparison.fasterThanOld).toBe(true)
    expect(comparison.differenceBytesPerSec).toBeGreaterThan(perMin(8))
  })
})

describe('detectLeak on one synthetic series per class', () => {
  const run = (kind: SyntheticKind, seed = 1): LeakResult => {
    const series = syntheticSeries({ kind, seed, leakBytesPerSec: perMin(5) })
    return detectLeak({ samples: series.samples, memoryLimitBytes: series.memoryLimitBytes, restartsAtSec: series.restartsAtSec })
  }

  it.each(['linear', 'stepwise', 'under-sawtooth', 'rare-endpoint'] as const)('finds a 5 MB/min %s leak in the heap', (kind) => {
    const result = run(kind)
    expect(result.verdict).toBe('leak')
    expect(result.signal).toBe('heap')
    expect(result.slopeCi[0]).toBeGreaterThan(perMin(3))
    expect(result.slopeCi[1]).toBeLessThan(perMin(7))
  })

  it('finds a native leak in memory outside the heap', () => {
    const result = run('native')
    expect(result.verdict).toBe('leak')
    expect(result.signal).toBe('rss')
    expect(result.reason).toMatch(/^Memory outside the JS heap \(RSS − heap\) grows/)
  })

  it('finds a per-request leak under a load ramp, leaving the ramp out', () => {
    const result = run('load-proportional')
    expect(result.verdict).toBe('leak')
    expect(result.details.skippedPhases).toEqual(['ramp'])
  })

  it('judges a 2 MB/min per-request leak under a ramp and cooldown against the requests served', () => {
    let found = 0
    let judged = 0
    let covered = 0
    const ratios: number[] = []
    for (let seed = 1; seed <= 20; seed++) {
      const series = syntheticSeries({ kind: 'load-proportional', seed, leakBytesPerSec: perMin(2) })
      const result = detectLeak({ samples: series.samples, memoryLimitBytes: series.memoryLimitBytes })
      if (result.verdict !== 'leak') continue
      found++
      if (result.perRequest === undefined) continue
      judged++
      expect(result.reason).toMatch(/^Heap keeps [\d.]+ (KB|MB) per 1,000 requests \(95% CI .*\), after taking out the memory the load holds while it lasts .* It grows with the requests served, not with the clock(; under continuous load at \d+ req\/s, RSS reaches the \d+ MiB limit in [\d.]+ (h|min|days))?\.$/)
      // the true bytes per request: the leak's mean rate over the load's mean (warm-up included, as the series was built)
      const meanLoad = series.samples.reduce((sum, s) => sum + (s.load ?? 0), 0) / series.samples.length
      const truth = series.leakBytesPerSec / meanLoad
      if (truth >= result.perRequest.ci[0] && truth <= result.perRequest.ci[1]) covered++
      ratios.push(result.perRequest.bytesPerRequest / truth)
      expect(result.slopeBytesPerSec).toBeCloseTo(result.perRequest.bytesPerRequest * result.perRequest.meanLoad, 6)
    }
    ratios.sort((a, b) => a - b)
    console.info(`per-request leak: ${found}/20 found, ${judged} judged per request, truth inside the interval ${covered} times; estimate/truth ${ratios.map((r) => r.toFixed(2)).join(' ')}`)
    expect(found).toBeGreaterThanOrEqual(18)
    expect(judged).toBeGreaterThanOrEqual(15)
    // the fit's interval is narrower than it claims (bench:leaks measures how much); the estimate itself is close
    expect(covered).toBeGreaterThanOrEqual(Math.floor(judged / 2))
    expect(ratios[Math.floor(ratios.length / 2)]).toBeGreaterThan(0.8)
    expect(ratios[Math.floor(ratios.length / 2)]).toBeLessThan(1.25)
    for (const ratio of ratios) expect(ratio).toBeGreaterThan(0.4)
    for (const ratio of ratios) expect(ratio).toBeLessThan(2.5)
  })

  it('calls memory that follows a ramp and comes back in cooldown stable, judged against the requests served', () => {
    const result = run('load-cooldown')
    expect(result.verdict).toBe('stable')
    expect(result.perRequest).toBeDefined()
    expect(result.reason).toMatch(/^No lasting growth: judged against the requests served, the heap floor changes/)
  })

  it('calls a cache that fills and stops saturating', () => {
    const result = run('cache-plateau', 2)
    expect(result.verdict).toBe('saturating')
    expect(result.reason).toMatch(/levelled off about 65 s into the run/)
  })

  it.each([['warmup-growth', 'stable'], ['sawtooth', 'stable'], ['load-cooldown', 'stable'], ['restart', 'inconclusive']] as const)(
    'does not call %s a leak (%s)', (kind, verdict) => {
      expect(run(kind).verdict).toBe(verdict)
    })

  it('analyses the longest stretch between restarts', () => {
    expect(run('restart').details.restarts).toBe(1)
  })
})

describe('syntheticSeries', () => {
  it('is labelled, seeded and shaped like a 3-minute soak sampled every second', () => {
    const a = syntheticSeries({ kind: 'linear', seed: 7, leakBytesPerSec: perMin(2) })
    expect(a).toEqual(syntheticSeries({ kind: 'linear', seed: 7, leakBytesPerSec: perMin(2) }))
    expect(a.label).toBe('leak')
    expect(a.samples).toHaveLength(180)
    expect(a.samples.filter((s) => s.phase === 'warmup')).toHaveLength(10)
    for (const s of a.samples) {
      expect(s.rssBytes).toBeGreaterThan(s.heapBytes ?? 0)
      expect(s.rssBytes).toBeGreaterThan(40e6)
      expect(s.rssBytes).toBeLessThan(300e6)
    }
    expect(syntheticSeries({ kind: 'restart', seed: 7 })).toMatchObject({ label: 'not-leak', leakBytesPerSec: 0 })
    expect(syntheticSeries({ kind: 'restart', seed: 7 }).restartsAtSec).toHaveLength(1)
    expect(syntheticSeries({ kind: 'sawtooth', seed: 7, withHeap: false }).samples[0]?.heapBytes).toBeUndefined()
  })
})
