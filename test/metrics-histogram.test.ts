import { describe, expect, it } from 'vitest'
import { createHistogram, decodeHistogram, encodeHistogram, mergeInto, recordUs, summarizeMs } from '../src/metrics/histogram.js'
import { TargetRecorder } from '../src/metrics/recorder.js'

describe('latency histograms', () => {
  it('summarises in milliseconds with 3 significant digits', () => {
    const histogram = createHistogram()
    for (let us = 1000; us <= 100_000; us += 1000) recordUs(histogram, us)
    const summary = summarizeMs(histogram)
    expect(summary.p50).toBeCloseTo(50, 1)
    expect(summary.p99).toBeCloseTo(99, 0)
    expect(summary.max).toBeCloseTo(100, 0)
    expect(summary.mean).toBeCloseTo(50.5, 1)
  })

  it('encodes so that histograms from separate runs merge exactly', () => {
    const a = createHistogram()
    const b = createHistogram()
    for (let i = 1; i <= 1000; i++) recordUs(a, i * 10)
    for (let i = 1; i <= 1000; i++) recordUs(b, 20_000 + i * 10)
    const merged = decodeHistogram(encodeHistogram(a))
    mergeInto(merged, decodeHistogram(encodeHistogram(b)))
    const direct = createHistogram()
    mergeInto(direct, a)
    mergeInto(direct, b)
    expect(merged.totalCount).toBe(2000)
    expect(summarizeMs(merged)).toEqual(summarizeMs(direct))
  })

  it('clamps absurd values instead of throwing', () => {
    const histogram = createHistogram()
    recordUs(histogram, -5)
    recordUs(histogram, 1e13)
    expect(histogram.totalCount).toBe(2)
  })

  it('a recorder folds intervals into phases and the run', () => {
    const recorder = new TargetRecorder('t', 0)
    recorder.beginPhase('a', 'open', 0)
    recorder.sent(100)
    recorder.response(1000, 200)
    recorder.sent(20_000)
    recorder.response(3000, 500, 'http 500')
    recorder.dropped()
    const first = recorder.rotate(1000)
    expect(first.counts).toEqual({ total: 3, ok: 1, failed: 2, byStatus: { 200: 1, 500: 1 }, byError: { 'http 500': 1, dropped: 1 } })
    expect(first.generator).toEqual({ dropped: 1, late: 1, sent: 2 })
    recorder.beginPhase('b', 'closed', 1000)
    recorder.error('refused')
    recorder.rotate(2000)
    expect(recorder.phases.map((p) => [p.name, p.counts.total])).toEqual([['a', 3], ['b', 1]])
    expect(recorder.total.counts.total).toBe(4)
    expect(recorder.total.counts.byError).toEqual({ 'http 500': 1, dropped: 1, refused: 1 })
    expect(recorder.total.latency.totalCount).toBe(2)
  })
})
