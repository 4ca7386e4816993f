import { describe, expect, it } from 'vitest'
import { arrivalSchedule } from '../src/plan/arrivals.js'
import { planPhases } from '../src/plan/phases.js'

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
