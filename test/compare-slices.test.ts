// Slices and rounds: every request counts in the slice it was sent in, and old's and new's turns pair up by round.
import { describe, expect, it } from 'vitest'
import { pairRounds, pairWindows, roundContrasts } from '../src/analysis/compare/rounds.js'
import { slicesOf } from '../src/analysis/compare/slices.js'
import { createHistogram, encodeHistogram, recordUs } from '../src/metrics/histogram.js'
import { pooledPercentileUs } from '../src/metrics/histogram-values.js'
import { TargetRecorder } from '../src/metrics/recorder.js'
import type { TimelineLine } from '../src/rundir/timeline-line.js'

/** A timeline line with `latenciesMs` recorded, CPU `cpuPercent` over `seconds`. */
function line (target: string, t: number, phase: string, slice: number | undefined, latenciesMs: number[], cpuPercent = 10, seconds = 1, failed = 0): TimelineLine {
  const histogram = createHistogram()
  for (const ms of latenciesMs) recordUs(histogram, ms * 1000)
  return {
    t, ts: '', target, phase, intervalMs: seconds * 1000, requests: latenciesMs.length, ok: latenciesMs.length - failed, failed, throughput: latenciesMs.length / seconds,
    latencyMs: { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0 }, byStatus: {}, byError: {}, generator: { sent: latenciesMs.length, dropped: 0, late: 0, sendLagMsP99: 0 },
    inFlight: 0, hist: encodeHistogram(histogram), resources: { rssBytes: 50e6, cpuPercent }, ...(slice === undefined ? {} : { slice })
  }
}

const ones = (n: number, ms = 1): number[] => Array.from({ length: n }, () => ms)

describe('slices', () => {
  it('a slow request that ends while the target is idle counts in the slice it was sent in, with its whole latency', () => {
    const lines = [
      line('old', 1, 'steady', 1, ones(100)),
      line('old', 2, 'steady', 1, ones(100)),
      // new's turn: old is idle, and its two stragglers (sent in slice 1) end now
      line('old', 3, 'idle', 1, [2500, 2600], 4),
      line('old', 4, 'steady', 2, ones(100)),
      line('old', 5, 'idle', 2, [])
    ]
    const [first, second] = slicesOf(lines, 'old')
    expect(first?.slice).toBe(1)
    expect(first?.requests).toBe(202)
    expect(first?.activeMs).toBe(2000)
    expect(pooledPercentileUs([first!.latency], 100)).toBeGreaterThanOrEqual(2_600_000)
    // CPU over the slice and the idle time after it: (10% + 10% + 4%) of 1 s each
    expect(first?.cpuMs).toBeCloseTo(240, 6)
    expect(second?.requests).toBe(100)
    // every request of the target is in some slice: the totals agree with the target's
    expect(slicesOf(lines, 'old').reduce((sum, slice) => sum + slice.requests, 0)).toBe(lines.reduce((sum, l) => sum + l.requests, 0))
  })

  it('a request that ends in a later slice of the same target (ABBA turns run it twice in a row) is moved back to the slice it was sent in', () => {
    const late = line('new', 0, 'idle', 1, [1500, 1500])
    const second = line('new', 2, 'steady', 2, [...ones(98), 1500, 1500])
    second.carried = [{ slice: 1, requests: 2, failed: 0, hist: late.hist }]
    const lines = [line('new', 1, 'steady', 1, ones(100)), second]
    const [first, next] = slicesOf(lines, 'new')
    expect(first?.requests).toBe(102)
    expect(next?.requests).toBe(98)
    expect(pooledPercentileUs([first!.latency], 100)).toBeGreaterThanOrEqual(1_500_000)
    expect(pooledPercentileUs([next!.latency], 100)).toBeLessThan(2000)
  })

  it('timelines written before lines carried their slice: one slice per stretch of active lines, the idle lines after it included', () => {
    const lines = [
      line('old', 1, 'steady', undefined, ones(50)),
      line('old', 2, 'idle', undefined, [3000]),
      line('old', 3, 'steady', undefined, ones(50)),
      line('old', 4, 'flood', undefined, ones(80))
    ]
    expect(slicesOf(lines, 'old').map((slice) => [slice.slice, slice.phase, slice.requests])).toEqual([[1, 'steady', 51], [2, 'steady', 50], [3, 'flood', 80]])
  })
})

describe('rounds', () => {
  it('pair old\'s and new\'s i-th slice of each phase, with which ran first, and give log(new/old) per round', () => {
    const lines = [
      line('old', 1, 'steady', 1, ones(100, 1)), line('new', 1, 'idle', 0, []),
      line('new', 2, 'steady', 1, ones(100, 2)), line('old', 2, 'idle', 1, []),
      line('new', 3, 'steady', 2, ones(100, 2)), line('old', 3, 'idle', 1, []),
      line('old', 4, 'steady', 2, ones(100, 1)), line('new', 4, 'idle', 2, [])
    ]
    const rounds = pairRounds(slicesOf(lines, 'old'), slicesOf(lines, 'new'), new Set(['steady']))
    expect(rounds.map((round) => round.newFirst)).toEqual([false, true])
    const contrasts = roundContrasts(rounds, (slice) => pooledPercentileUs([slice.latency], 50))
    expect(contrasts.map((c) => Math.exp(c.value))).toEqual([expect.closeTo(2, 2), expect.closeTo(2, 2)])
  })

  it('side by side (concurrent): the same moments pair up, merged until each side has 200 requests', () => {
    const lines = [1, 2, 3, 4, 5, 6].flatMap((t) => [line('old', t, 'steady', 1, ones(100, 1)), line('new', t, 'steady', 1, ones(100, 3))])
    const windows = pairWindows(lines, 'old', 'new', new Set(['steady']))
    expect(windows).toHaveLength(3)
    expect(windows.every((w) => w.old.requests === 200 && w.new.requests === 200 && !w.newFirst)).toBe(true)
  })
})

describe('the recorder', () => {
  it('tags an interval with its slice, and lists the requests of earlier slices that ended in it', () => {
    const recorder = new TargetRecorder('new', 0)
    recorder.beginPhase('steady', 'open', 0)
    const sentInFirst = recorder.slice
    recorder.response(900, 200, undefined, sentInFirst)
    recorder.endPhase(1000)
    // the same target again at once (an ABBA turn): a request of slice 1 ends during slice 2
    recorder.beginPhase('steady', 'open', 1000)
    recorder.response(1_500_000, 200, undefined, sentInFirst)
    recorder.error('timeout', 2_000_000, sentInFirst)
    recorder.response(800, 200, undefined, recorder.slice)
    const snapshot = recorder.rotate(2000)
    expect(sentInFirst).toBe(1)
    expect(snapshot.slice).toBe(2)
    expect(snapshot.counts.total).toBe(4)
    expect(snapshot.carried.map((part) => [part.slice, part.requests, part.failed])).toEqual([[1, 2, 1]])
    expect(recorder.rotate(3000).carried).toEqual([])
  })
})
