import { describe, expect, it } from 'vitest'
import { arrivalSchedule } from '../src/plan/arrivals.js'
import { planPhases } from '../src/plan/phases.js'
import { planSchedule, segmentMs, sliceBounds } from '../src/plan/schedule.js'

describe('arrival schedules', () => {
  it('a constant rate spaces arrivals evenly', () => {
    const schedule = arrivalSchedule(400, 400, 5000)
    expect(schedule.count).toBe(2000)
    expect(schedule.timeOfMs(0)).toBe(0)
    expect(schedule.timeOfMs(1)).toBe(2.5)
    expect(schedule.timeOfMs(1999)).toBe(4997.5)
  })

  it('a ramp from 50 to 400 over 30 s: 6750 arrivals, denser at the end', () => {
    const schedule = arrivalSchedule(50, 400, 30_000)
    // (50 + 400) / 2 × 30 = 6750
    expect(schedule.count).toBe(6750)
    // N(t) = 50t + 350t²/60; N(10 s) = 500 + 583.33 = 1083.33, so arrival 1083 is just before 10 s
    expect(schedule.timeOfMs(1083)).toBeLessThan(10_000)
    expect(schedule.timeOfMs(1084)).toBeGreaterThan(10_000)
    expect(schedule.timeOfMs(6749)).toBeLessThan(30_000)
    expect(schedule.rateAtMs(15_000)).toBe(225)
  })

  it('a ramp down and an idle phase', () => {
    expect(arrivalSchedule(100, 0, 10_000).count).toBe(500)
    expect(arrivalSchedule(0, 0, 10_000).count).toBe(0)
    const down = arrivalSchedule(100, 0, 10_000)
    expect(down.timeOfMs(499)).toBeLessThan(10_000)
  })

  it('phases resolve their model and defaults', () => {
    expect(planPhases([
      { name: 'a', duration: 1000, rate: 5 },
      { name: 'b', duration: 2000, rate: { from: 1, to: 9 }, maxInFlight: 10 },
      { name: 'c', duration: 3000, connections: 4 }
    ])).toEqual([
      { kind: 'open', name: 'a', durationMs: 1000, fromRate: 5, toRate: 5, maxInFlight: 1000 },
      { kind: 'open', name: 'b', durationMs: 2000, fromRate: 1, toRate: 9, maxInFlight: 10 },
      { kind: 'closed', name: 'c', durationMs: 3000, connections: 4 }
    ])
  })
})

describe('schedules', () => {
  const phases = planPhases([
    { name: 'ramp', duration: 10_000, rate: { from: 0, to: 100 } },
    { name: 'flood', duration: 4000, connections: 8 }
  ])

  it('sequential: one target after the other, whole phases', () => {
    const steps = planSchedule(phases, ['old', 'new'], 'sequential')
    expect(steps.map((s) => s.segments.map((g) => `${g.target}:${g.phase.name}`))).toEqual([['old:ramp'], ['old:flood'], ['new:ramp'], ['new:flood']])
  })

  it('concurrent: both targets at once, same plan', () => {
    const steps = planSchedule(phases, ['old', 'new'], 'concurrent')
    expect(steps.map((s) => s.segments.map((g) => g.target))).toEqual([['old', 'new'], ['old', 'new']])
    expect(steps[0]?.segments[0]?.phase).toEqual(steps[0]?.segments[1]?.phase)
    expect(steps[0]?.segments[0]?.window).toEqual([0, 10_000])
  })

  it('interleaved: ABBA slices, each a window of the phase', () => {
    const steps = planSchedule(phases, ['old', 'new'], 'interleaved', 5000)
    expect(steps.map((s) => s.segments[0]?.target).join('')).toBe(['old', 'new', 'new', 'old', 'old', 'new'].join(''))
    expect(steps.map((s) => s.segments[0]?.window)).toEqual([[0, 5000], [0, 5000], [5000, 10_000], [5000, 10_000], [0, 4000], [0, 4000]])
    // each target gets every phase's full planned time
    for (const target of ['old', 'new']) {
      const ms = steps.flatMap((s) => s.segments).filter((g) => g.target === target).reduce((sum, g) => sum + segmentMs(g), 0)
      expect(ms).toBe(14_000)
    }
  })

  it('the windows of a ramp split its arrivals exactly, with no arrival lost or doubled', () => {
    const schedule = arrivalSchedule(50, 150, 2000)
    const bounds = sliceBounds(2000, 500)
    const counts = bounds.map(([from, to]) => schedule.countBeforeMs(to) - schedule.countBeforeMs(from))
    // N(t) = 50t + 25t²: N(0.5) = 31.25, N(1) = 75, N(1.5) = 131.25, N(2) = 200
    expect(counts).toEqual([32, 43, 57, 68])
    expect(counts.reduce((a, b) => a + b, 0)).toBe(200)
    expect(schedule.timeOfMs(31)).toBeLessThan(500)
    expect(schedule.timeOfMs(32)).toBeGreaterThanOrEqual(500)
  })

  it('slices never leave a sliver', () => {
    expect(sliceBounds(12_000, 5000)).toEqual([[0, 6000], [6000, 12_000]])
    expect(sliceBounds(3000, 5000)).toEqual([[0, 3000]])
  })
})
