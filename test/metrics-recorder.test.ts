import { describe, expect, it } from 'vitest'
import { TargetRecorder } from '../src/metrics/recorder.js'

describe('the recorder counts an answer in the phase its request was sent in', () => {
  it('a warm-up answer that comes in after the steady phase began stays in the warm-up, and in the run and the interval', () => {
    const recorder = new TargetRecorder('new', 0)
    recorder.beginPhase('warm', 'open', 0)
    const warmSlice = recorder.slice
    recorder.sent(0)
    recorder.response(5_000, 200, undefined, warmSlice)
    recorder.sent(0)
    recorder.endPhase(1000)
    recorder.beginPhase('steady', 'open', 1000)
    recorder.sent(0)
    // the slow warm-up request answers 900 ms late, the steady one at 4 ms; a timed-out warm-up one fails
    recorder.response(900_000, 200, undefined, warmSlice)
    recorder.response(4_000, 200, undefined, recorder.slice)
    recorder.error('timeout', 2_000_000, warmSlice)
    const interval = recorder.rotate(1500)
    recorder.endPhase(2000)
    const [warm, steady] = recorder.phases
    expect(warm?.counts).toMatchObject({ total: 3, ok: 2, failed: 1 })
    expect(warm?.latency.maxValue).toBeGreaterThanOrEqual(1_999_000)
    expect(steady?.counts).toMatchObject({ total: 1, ok: 1, failed: 0 })
    expect(steady?.latency.maxValue).toBeLessThan(5_000)
    expect(recorder.total.counts).toMatchObject({ total: 4, ok: 3, failed: 1 })
    // the interval holds every answer that ended in it, and notes which came from the earlier slice
    expect(interval.counts.total).toBe(4)
    expect(interval.carried).toEqual([expect.objectContaining({ slice: warmSlice, requests: 2, failed: 1 })])
  })
})
