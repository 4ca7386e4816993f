import { describe, expect, it } from 'vitest'
import { leakSoakAdvice, recommendedSteadySec, steadyLoadSec } from '../src/analysis/leak/soak-length.js'
import { planPhases } from '../src/plan/phases.js'

const phases = (list: Array<{ name: string, duration: number, rate?: number | { from: number, to: number }, connections?: number }>): ReturnType<typeof planPhases> =>
  planPhases(list.map((phase) => ({ ...phase, duration: phase.duration * 1000 })) as Parameters<typeof planPhases>[0])

describe('is a run long enough for checks.leak', () => {
  it('counts constant-load phases only: not warm-up, cooldown or ramps', () => {
    const plan = phases([
      { name: 'warmup', duration: 10, rate: 100 },
      { name: 'ramp', duration: 30, rate: { from: 100, to: 400 } },
      { name: 'steady', duration: 60, rate: 400 },
      { name: 'flood', duration: 20, connections: 16 },
      { name: 'cool-down', duration: 15, rate: 50 }
    ])
    expect(steadyLoadSec(plan)).toBe(80)
    expect(leakSoakAdvice(plan)).toBe('checks.leak: this run has 80 s of steady load after warm-up; the leak verdict needs about 3 min ' +
      '(npm run bench:leaks measures its recall on 3-minute soaks; shorter ones miss most slow leaks and end inconclusive): lengthen `steady` to at least 3 min.')
  })

  it('says nothing from three minutes of steady load on, and asks for a phase when there is none', () => {
    expect(recommendedSteadySec).toBe(180)
    expect(leakSoakAdvice(phases([{ name: 'warmup', duration: 10, rate: 5 }, { name: 'soak', duration: 180, rate: 50 }]))).toBeUndefined()
    expect(leakSoakAdvice(phases([{ name: 'ramp', duration: 600, rate: { from: 1, to: 500 } }]))).toMatch(/has 0 s of steady load .*: add a phase at a constant rate of at least 3 min\.$/)
  })
})
