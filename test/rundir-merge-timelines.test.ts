import { describe, expect, it } from 'vitest'
import { createHistogram, decodeHistogram, encodeHistogram, recordUs } from '../src/metrics/histogram.js'
import { mergeTimelines } from '../src/rundir/merge-timelines.js'
import type { TimelineLine } from '../src/rundir/timeline-line.js'
import { answeredLine } from './support/timeline-lines.js'

const histogramOf = (...latenciesUs: number[]): ReturnType<typeof createHistogram> => {
  const histogram = createHistogram()
  for (const us of latenciesUs) recordUs(histogram, us)
  return histogram
}
const line = (t: number, requests: number, latencyUs: number, extra: Partial<TimelineLine> = {}): TimelineLine => ({
  ...answeredLine({ t, startMs: Date.UTC(2026, 11, 7), target: 'old', phase: 'steady', intervalMs: 1000 }, requests, histogramOf(...Array.from({ length: requests }, () => latencyUs))),
  slice: 1,
  ...extra
})

describe('merging shard timelines', () => {
  it('adds each interval into the reference interval of the same target, phase and slice that ended nearest, histograms merged', () => {
    const reference = [line(1.001, 10, 2000, { resources: { cpuPercent: 5, rssBytes: 1e8 } as never }), line(2.002, 10, 2000)]
    const other = [line(0.998, 4, 8000, { generator: { sent: 4, dropped: 0, late: 1, sendLagMsP99: 12 }, inFlight: 2 }), line(2.004, 6, 8000)]
    const merged = mergeTimelines(reference, [other])
    expect(merged.map((m) => [m.t, m.requests, m.ok])).toEqual([[1.001, 14, 14], [2.002, 16, 16]])
    const first = merged[0] as TimelineLine
    expect(decodeHistogram(first.hist).totalCount).toBe(14)
    // 10 answers at 2 ms and 4 at 8 ms: the merged p90 is 8 ms, which no average of the two p90s gives
    expect(first.latencyMs.p90).toBeCloseTo(8, 1)
    expect(first.generator).toEqual({ sent: 14, dropped: 0, late: 1, sendLagMsP99: 12 })
    expect(first.inFlight).toBe(2)
    expect(first.throughput).toBe(14)
    expect(first.byStatus).toEqual({ 200: 14 })
    // the reference's resource sample stays; the reference's own lines are not changed
    expect(first.resources?.cpuPercent).toBe(5)
    expect(reference[0]?.requests).toBe(10)
  })

  it('keeps apart what belongs to another phase or slice, merges carried requests by slice, and keeps a line with no partner', () => {
    const reference = [line(1, 10, 2000), line(2, 10, 2000, { phase: 'flood', slice: 2, carried: [{ slice: 1, requests: 1, failed: 0, hist: encodeHistogram(histogramOf(5000)) }] })]
    const other = [
      line(1.9, 3, 2000, { phase: 'flood', slice: 2, carried: [{ slice: 1, requests: 2, failed: 1, hist: encodeHistogram(histogramOf(6000, 7000)) }] }),
      line(9, 5, 2000, { phase: 'cooldown', slice: 3, resources: { cpuPercent: 1, rssBytes: 1 } as never })
    ]
    const merged = mergeTimelines(reference, [other])
    expect(merged.map((m) => [m.t, m.phase, m.requests])).toEqual([[1, 'steady', 10], [2, 'flood', 13], [9, 'cooldown', 5]])
    const carried = merged[1]?.carried ?? []
    expect(carried.map((part) => [part.slice, part.requests, part.failed])).toEqual([[1, 3, 1]])
    expect(decodeHistogram(carried[0]?.hist as string).totalCount).toBe(3)
    // a shard that was not asked to sample brings no resource sample
    expect(merged[2]?.resources).toBeUndefined()
  })
})
